namespace Inspector.Core.Ftp;

/// <summary>
/// A complete server reply (RFC 959 §4.2): a three-digit code and its text lines. A multi-line
/// reply starts with "ddd-" and ends with a line starting "ddd ".
/// </summary>
public sealed record FtpReply(int Code, IReadOnlyList<string> Lines, bool Multiline, bool Truncated)
{
    /// <summary>First digit: 1 preliminary, 2 completion, 3 intermediate, 4 transient, 5 permanent, 6 protected (RFC 2228).</summary>
    public int Class => Code / 100;

    public bool IsPreliminary => Class == 1;

    public bool IsPositive => Class is 1 or 2 or 3;

    public bool IsNegative => Class is 4 or 5;

    /// <summary>The text of the first line after the code.</summary>
    public string FirstText => Lines.Count == 0 ? "" : TextOf(Lines[0]);

    /// <summary>All the reply's text joined with spaces (for keyword checks).</summary>
    public string AllText => string.Join(" ", Lines.Select(TextOf));

    private static string TextOf(string line) => line.Length > 4 ? line[4..] : "";
}
