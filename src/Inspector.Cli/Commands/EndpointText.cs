using System.Globalization;
using System.Net;

namespace Inspector.Cli.Commands;

/// <summary>Parses "host:port", "1.2.3.4:21" and "[::1]:2121" as the user writes them.</summary>
internal static class EndpointText
{
    public static bool TryParse(string text, out string host, out int port)
    {
        host = "";
        port = 0;
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1) return false;
        string h = text[..colon];
        if (h.StartsWith('[') && h.EndsWith(']')) h = h[1..^1];
        else if (h.Contains(':')) return false; // a bare IPv6 address needs brackets
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 0 or > 65535) return false;
        host = h;
        return h.Length > 0;
    }

    public static bool TryParseLocal(string text, out IPEndPoint endpoint)
    {
        endpoint = new IPEndPoint(IPAddress.Loopback, 0);
        if (!TryParse(text, out string host, out int port)) return false;
        IPAddress? address = host == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(host, out IPAddress? a) ? a : null;
        if (address is null) return false;
        endpoint = new IPEndPoint(address, port);
        return true;
    }
}
