namespace Inspector.Core.Ftp;

/// <summary>What a server line did to the reply being assembled.</summary>
public enum ReplyLineResult : byte
{
    /// <summary>The line opened or continued a multi-line reply.</summary>
    Continued,
    /// <summary>A reply is complete: see <see cref="FtpReplyAssembler.Completed"/>.</summary>
    Completed,
    /// <summary>The line is not a reply line (RFC 959 §4.2).</summary>
    Malformed,
    /// <summary>The multi-line reply exceeded the line limit and was closed early.</summary>
    CompletedTooLong,
}

/// <summary>
/// Assembles server lines into replies, RFC 959 §4.2: "ddd text" is a whole reply; "ddd-text"
/// opens a multi-line reply that ends at the first line starting with the same code and a space.
/// Lines in between may hold anything, digits included.
/// </summary>
public sealed class FtpReplyAssembler(int maxLines)
{
    private List<string>? lines;
    private int code;

    public FtpReply? Completed { get; private set; }

    public bool InMultiline => lines is not null;

    public ReplyLineResult Add(string line)
    {
        Completed = null;
        if (lines is not null)
        {
            lines.Add(line);
            if (line.Length >= 3 && ParseCode(line) == code && (line.Length == 3 || line[3] == ' '))
            {
                Completed = new FtpReply(code, lines, Multiline: true, Truncated: false);
                lines = null;
                return ReplyLineResult.Completed;
            }
            if (lines.Count >= maxLines)
            {
                Completed = new FtpReply(code, lines, Multiline: true, Truncated: true);
                lines = null;
                return ReplyLineResult.CompletedTooLong;
            }
            return ReplyLineResult.Continued;
        }

        int parsed = line.Length >= 3 ? ParseCode(line) : -1;
        if (parsed < 0) return ReplyLineResult.Malformed;
        if (line.Length == 3 || line[3] == ' ')
        {
            Completed = new FtpReply(parsed, [line], Multiline: false, Truncated: false);
            return ReplyLineResult.Completed;
        }
        if (line[3] == '-')
        {
            code = parsed;
            lines = [line];
            return ReplyLineResult.Continued;
        }
        return ReplyLineResult.Malformed;
    }

    /// <summary>A partial multi-line reply at the end of the stream, if any.</summary>
    public FtpReply? TakeUnfinished()
    {
        if (lines is null) return null;
        var r = new FtpReply(code, lines, Multiline: true, Truncated: true);
        lines = null;
        return r;
    }

    /// <summary>Three digits, the first 1-6 (6 is RFC 2228's protected reply); else -1. RFC 959 §4.2.1 uses 0-5 for the second digit, but servers send others, so any digit is accepted.</summary>
    public static int ParseCode(string line)
    {
        if (line.Length < 3) return -1;
        char a = line[0], b = line[1], c = line[2];
        if (a is < '1' or > '6' || b is < '0' or > '9' || c is < '0' or > '9') return -1;
        return (a - '0') * 100 + (b - '0') * 10 + (c - '0');
    }
}
