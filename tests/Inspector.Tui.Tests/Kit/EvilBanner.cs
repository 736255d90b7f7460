using System.Net;
using System.Text;
using Inspector.Capture.Files;
using Inspector.Capture.Recording;
using Inspector.Core.Model;

namespace Inspector.Tui.Tests.Kit;

/// <summary>A server whose greeting tries to drive the viewer's terminal: clear screen, colours, a window title, a bidi override.</summary>
internal static class EvilBanner
{
    public const string Greeting = "220 \u001b[2J\u001b[31mPWNED\u001b]0;owned\u0007 \u202eevil\u202c ready\r\n";

    /// <summary>What the banner must look like once escaped.</summary>
    public const string Escaped = @"\x1b[2J\x1b[31mPWNED\x1b]0;owned\x07";

    public static byte[] Bytes => Encoding.UTF8.GetBytes(Greeting);

    /// <summary>Writes a capture of a client connecting to that server and sending USER, as tcpdump would have recorded it.</summary>
    public static string WriteCapture(string directory)
    {
        string path = Path.Combine(directory, "evil-banner.pcapng");
        using var file = File.Create(path);
        using var writer = new PcapngWriter(file, "inspector tests");
        int id = writer.AddInterface(SyntheticTcpConnection.LinkType, 262_144);
        var connection = new SyntheticTcpConnection(writer, id, new IPEndPoint(IPAddress.Loopback, 50_000), new IPEndPoint(IPAddress.Loopback, 21), (1000, 5000));
        Timestamp t = Stores.T(0);
        connection.Open(t);
        connection.Data(Direction.ServerToClient, Stores.T(1), Bytes);
        connection.Data(Direction.ClientToServer, Stores.T(2), "USER anonymous\r\n"u8);
        connection.Fin(Direction.ClientToServer, Stores.T(3));
        connection.Fin(Direction.ServerToClient, Stores.T(4));
        return path;
    }
}
