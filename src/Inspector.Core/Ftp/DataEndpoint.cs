using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Inspector.Core.Ftp;

/// <summary>
/// Parses the addresses FTP uses to set up data connections: PASV replies and PORT arguments
/// (RFC 959 §4.1.2: h1,h2,h3,h4,p1,p2), EPSV replies and EPRT arguments (RFC 2428 §2-3:
/// a delimiter, protocol 1 or 2, address, port).
/// </summary>
public static class DataEndpoint
{
    /// <summary>PORT's argument: exactly six comma-separated numbers 0-255.</summary>
    public static IPEndPoint? ParsePort(string argument)
    {
        string a = argument.Trim();
        return FindSixNumbers(a, 0) is { Start: 0 } six && six.End == a.Length ? six.EndPoint : null;
    }

    /// <summary>
    /// A 227 reply's text. RFC 1123 §4.1.2.6: the client must scan for the six numbers, because
    /// servers format the text differently ("Entering Passive Mode (h1,h2,...)" or without parentheses).
    /// </summary>
    public static IPEndPoint? ParsePasvReply(string text) => FindSixNumbers(text, 0)?.EndPoint;

    /// <summary>EPRT's argument: d proto d address d port d, e.g. |2|::1|40001|.</summary>
    public static IPEndPoint? ParseEprt(string argument)
    {
        string a = argument.Trim();
        if (a.Length < 7) return null;
        char d = a[0];
        string[] parts = a.Split(d);
        // "|2|::1|40001|" splits into "", "2", "::1", "40001", ""
        if (parts.Length != 5 || parts[0].Length != 0 || parts[4].Length != 0) return null;
        if (!IPAddress.TryParse(parts[2], out IPAddress? address)) return null;
        AddressFamily expected = parts[1] switch
        {
            "1" => AddressFamily.InterNetwork,
            "2" => AddressFamily.InterNetworkV6,
            _ => AddressFamily.Unknown,
        };
        if (address.AddressFamily != expected) return null;
        return ParsePortNumber(parts[3]) is int port ? new IPEndPoint(address, port) : null;
    }

    /// <summary>A 229 reply's port: "... (|||port|)" with any delimiter character (RFC 2428 §3).</summary>
    public static int? ParseEpsvReply(string text) => FindEpsvPort(text, 0)?.Port;

    /// <summary>
    /// The "(dddportd)" of a 229 reply from <paramref name="from"/>: the positions of its parentheses,
    /// its delimiter and its port (RFC 2428 §3). The relay rewrites the port in place.
    /// </summary>
    public static (int Open, int Close, char Delimiter, int Port)? FindEpsvPort(string text, int from)
    {
        int open = text.IndexOf('(', from);
        int close = open < 0 ? -1 : text.IndexOf(')', open + 1);
        if (open < 0 || close < 0) return null;
        string inner = text[(open + 1)..close];
        if (inner.Length < 5) return null;
        char d = inner[0];
        if (inner[1] != d || inner[2] != d || inner[^1] != d) return null;
        return ParsePortNumber(inner[3..^1]) is int port ? (open, close, d, port) : null;
    }

    /// <summary>
    /// The first run of six comma-separated numbers 0-255 (h1,h2,h3,h4,p1,p2, RFC 959 §4.1.2) from
    /// <paramref name="from"/>, not followed by another digit: where it is and the endpoint it names.
    /// A port of 0 names no endpoint.
    /// </summary>
    public static (int Start, int End, IPEndPoint EndPoint)? FindSixNumbers(string text, int from)
    {
        int start = from;
        Span<int> n = stackalloc int[6];
        while (start < text.Length)
        {
            while (start < text.Length && !char.IsAsciiDigit(text[start])) start++;
            if (start >= text.Length) return null;
            if (TryReadSix(text, start, n) is int end && (end >= text.Length || !char.IsAsciiDigit(text[end])))
            {
                int port = n[4] * 256 + n[5];
                if (port == 0) return null;
                return (start, end, new IPEndPoint(new IPAddress([(byte)n[0], (byte)n[1], (byte)n[2], (byte)n[3]]), port));
            }
            while (start < text.Length && char.IsAsciiDigit(text[start])) start++;
        }
        return null;
    }

    /// <summary>Six numbers 0-255 separated by commas at <paramref name="start"/>: the position after them, or null.</summary>
    private static int? TryReadSix(string text, int start, Span<int> numbers)
    {
        int pos = start;
        for (int k = 0; k < 6; k++)
        {
            if (k > 0)
            {
                if (pos >= text.Length || text[pos] != ',') return null;
                pos++;
            }
            int digits = 0, value = 0;
            while (pos < text.Length && char.IsAsciiDigit(text[pos]) && digits < 4)
            {
                value = value * 10 + (text[pos] - '0');
                pos++;
                digits++;
            }
            if (digits == 0 || value > 255) return null;
            numbers[k] = value;
        }
        return pos;
    }

    private static int? ParsePortNumber(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is > 0 and <= 65535
            ? port
            : null;
}
