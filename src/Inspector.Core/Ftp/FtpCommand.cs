using System.Collections.Frozen;

namespace Inspector.Core.Ftp;

/// <summary>
/// A client command (RFC 959 §4.1, §5.3). <see cref="Verb"/> is upper-cased (commands are
/// case-insensitive, RFC 959 §5.3.1); <see cref="Argument"/> is already redacted for PASS
/// unless passwords are shown.
/// </summary>
public sealed record FtpCommand(string Verb, string? Argument, bool Known, bool Redacted)
{
    public const string RedactedText = "********";

    /// <summary>Verbs from RFC 959, 2228, 2389, 2428, 2640, 3659, 4217, 7151, and common extensions.</summary>
    private static readonly FrozenSet<string> KnownVerbs = new[]
    {
        // RFC 959 §4.1
        "USER", "PASS", "ACCT", "CWD", "CDUP", "SMNT", "REIN", "QUIT", "PORT", "PASV", "TYPE", "STRU",
        "MODE", "RETR", "STOR", "STOU", "APPE", "ALLO", "REST", "RNFR", "RNTO", "ABOR", "DELE", "RMD",
        "MKD", "PWD", "LIST", "NLST", "SITE", "SYST", "STAT", "HELP", "NOOP",
        // RFC 775 X-variants still sent by some clients
        "XCWD", "XCUP", "XMKD", "XRMD", "XPWD",
        // RFC 2228 security extensions, RFC 4217 FTPS
        "AUTH", "ADAT", "PROT", "PBSZ", "CCC", "MIC", "CONF", "ENC",
        // RFC 2389 FEAT/OPTS, RFC 2428 EPRT/EPSV, RFC 1639 LPRT/LPSV, RFC 2640 LANG
        "FEAT", "OPTS", "EPRT", "EPSV", "LPRT", "LPSV", "LANG",
        // RFC 3659, RFC 7151 HOST, draft/common extensions
        "MDTM", "SIZE", "MLST", "MLSD", "HOST", "CLNT", "MFMT", "MFCT", "MFF", "AVBL", "CSID", "DSIZ",
        "HASH", "RANG", "XCRC", "XMD5", "XSHA1", "XSHA256", "XSHA512",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsKnownVerb(string verb) => KnownVerbs.Contains(verb);

    /// <summary>Verbs whose argument may be a secret (RFC 959 §4.1.1 PASS and ACCT, RFC 2228 §3 ADAT): lines with them are never kept in a cache.</summary>
    public static readonly string[] SecretVerbs = ["PASS", "ACCT", "ADAT"];

    /// <summary>
    /// Parses one line's text. Returns null when the line is not a command: an empty line, or a
    /// verb that is not alphanumeric starting with a letter (RFC 959 §5.3: verbs are alphabetic;
    /// extensions such as XSHA1 add digits).
    /// </summary>
    public static FtpCommand? Parse(string text, bool showPasswords)
    {
        int space = text.IndexOf(' ');
        string verbText = space < 0 ? text : text[..space];
        if (verbText.Length is 0 or > 12 || !char.IsAsciiLetter(verbText[0])) return null;
        foreach (char c in verbText)
        {
            if (!char.IsAsciiLetterOrDigit(c)) return null;
        }
        string verb = verbText.ToUpperInvariant();
        string? argument = space < 0 ? null : text[(space + 1)..];
        bool redact = verb == "PASS" && !showPasswords && argument is not null;
        return new FtpCommand(verb, redact ? RedactedText : argument, IsKnownVerb(verb), redact);
    }

    public override string ToString() => Argument is null ? Verb : $"{Verb} {Argument}";
}
