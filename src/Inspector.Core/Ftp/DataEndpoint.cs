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
    public static IPEndPoint? ParsePort(string argument) => ParseSixNumbers(argument.Trim(), anywhere: false);

    /// <summary>
    /// A 227 reply's text. RFC 1123 §4.1.2.6: the client must scan for the six numbers, because
    /// servers format the text differently ("Entering Passive Mode (h1,h2,...)" or without parentheses).
    /// </summary>
    public static IPEndPoint? ParsePasvReply(string text) => ParseSixNumbers(text, anywhere: true);

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
    public static int? ParseEpsvReply(string text)
    {
        int open = text.IndexOf('(');
        int close = open < 0 ? -1 : text.IndexOf(')', open + 1);
        if (open < 0 || close < 0) return null;
        string inner = text[(open + 1)..close];
        if (inner.Length < 5) return null;
        char d = inner[0];
        if (inner[1] != d || inner[2] != d || inner[^1] != d) return null;
        return ParsePortNumber(inner[3..^1]);
    }

    private static IPEndPoint? ParseSixNumbers(string text, bool anywhere)
    {
        int start = 0;
        while (start < text.Length)
        {
            if (anywhere)
            {
                while (start < text.Length && !char.IsAsciiDigit(text[start])) start++;
            }
            if (TryReadSix(text, start, out int end, out Span<int> n) is true)
            {
                if (!anywhere && end != text.Length) return null;
                var address = new IPAddress(new[] { (byte)n[0], (byte)n[1], (byte)n[2], (byte)n[3] });
                return new IPEndPoint(address, n[4] * 256 + n[5]);
            }
            if (!anywhere) return null;
            while (start < text.Length && char.IsAsciiDigit(text[start])) start++;
        }
        return null;
    }

    private static bool TryReadSix(string text, int start, out int end, out Span<int> numbers)
    {
        numbers = new int[6];
        int pos = start;
        for (int k = 0; k < 6; k++)
        {
            if (k > 0)
            {
                if (pos >= text.Length || text[pos] != ',') { end = pos; return false; }
                pos++;
            }
            int digits = 0, value = 0;
            while (pos < text.Length && char.IsAsciiDigit(text[pos]) && digits < 4)
            {
                value = value * 10 + (text[pos] - '0');
                pos++;
                digits++;
            }
            if (digits == 0 || value > 255) { end = pos; return false; }
            numbers[k] = value;
        }
        end = pos;
        return true;
    }

    private static int? ParsePortNumber(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is > 0 and <= 65535
            ? port
            : null;
}
