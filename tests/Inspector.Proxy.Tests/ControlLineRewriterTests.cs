using System.Buffers;
using System.Net;
using System.Text;
using Inspector.Core.Model;
using Inspector.Proxy.Data;

namespace Inspector.Proxy.Tests;

/// <summary>
/// The sans-IO rewriter of data announcements: every script is fed whole, byte by byte and at
/// random cut points, and must give the same output each way.
/// </summary>
public class ControlLineRewriterTests
{
    private const Direction C = Direction.ClientToServer, S = Direction.ServerToClient;

    /// <summary>Answers every announcement with fixed relay endpoints and remembers what it was asked.</summary>
    private sealed class FakeHandler : IDataAnnouncementHandler
    {
        public List<string> Calls { get; } = [];

        public IPEndPoint? Passive(DataVia via, IPAddress? address, int port)
        {
            Calls.Add($"{via} {address?.ToString() ?? "-"}:{port}");
            return new IPEndPoint(IPAddress.Parse("10.0.0.9"), 1025);
        }

        public IPEndPoint? Active(DataVia via, IPEndPoint announced)
        {
            Calls.Add($"{via} {announced}");
            return via == DataVia.Eprt && announced.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? new IPEndPoint(IPAddress.Parse("fd00::7"), 2049)
                : new IPEndPoint(IPAddress.Parse("10.0.0.8"), 2048);
        }

        public void Encrypted(string why) => Calls.Add("encrypted");
    }

    /// <summary>Feeds the script (each message cut by <paramref name="cut"/>) and returns what each direction forwarded.</summary>
    private static (string C2S, string S2C, List<string> Calls) Run((Direction D, string Text)[] script, Func<int, IEnumerable<int>> cut)
    {
        var handler = new FakeHandler();
        var rewriter = new ControlLineRewriter(handler);
        var outC = new ArrayBufferWriter<byte>();
        var outS = new ArrayBufferWriter<byte>();
        foreach ((Direction d, string text) in script)
        {
            byte[] bytes = Encoding.Latin1.GetBytes(text);
            int pos = 0;
            foreach (int n in cut(bytes.Length))
            {
                rewriter.Feed(d, bytes.AsSpan(pos, n), d == C ? outC : outS);
                pos += n;
            }
            Assert.Equal(bytes.Length, pos);
        }
        return (Encoding.Latin1.GetString(outC.WrittenSpan), Encoding.Latin1.GetString(outS.WrittenSpan), handler.Calls);
    }

    private static IEnumerable<int> Whole(int length) => length == 0 ? [] : [length];

    private static IEnumerable<int> Bytewise(int length) => Enumerable.Repeat(1, length);

    private static Func<int, IEnumerable<int>> RandomCuts(int seed)
    {
        var random = new Random(seed);
        return length =>
        {
            var pieces = new List<int>();
            int left = length;
            while (left > 0)
            {
                int n = Math.Min(left, random.Next(1, 12));
                pieces.Add(n);
                left -= n;
            }
            return pieces;
        };
    }

    /// <summary>Runs the script every way and checks all agree with the expected output.</summary>
    private static List<string> Check((Direction D, string Text)[] script, string expectedC2S, string expectedS2C)
    {
        (string c, string s, List<string> calls) = Run(script, Whole);
        Assert.Equal(expectedC2S, c);
        Assert.Equal(expectedS2C, s);
        var ways = new List<Func<int, IEnumerable<int>>> { Bytewise };
        for (int seed = 0; seed < 20; seed++) ways.Add(RandomCuts(seed));
        foreach (var way in ways)
        {
            (string c2, string s2, List<string> calls2) = Run(script, way);
            Assert.Equal(expectedC2S, c2);
            Assert.Equal(expectedS2C, s2);
            Assert.Equal(calls, calls2);
        }
        return calls;
    }

    [Fact]
    public void Passive_replies_are_rewritten_and_everything_else_passes_byte_for_byte()
    {
        var calls = Check(
            [
                (S, "220 ProFTPD ready\r\n"),
                (C, "USER x\r\nPASS y\r\nPASV\r\n"),
                (S, "331 ok\r\n230 in\r\n227 Entering Passive Mode (127,0,0,1,200,10).\r\n"),
                (C, "EPSV\r\n"),
                (S, "229 Entering Extended Passive Mode (|||40001|)\r\n"),
                (C, "PASV\r\n"),
                (S, "227 =127,0,0,1,78,33\n"), // RFC 1123: the numbers anywhere; bare LF kept
                (C, "QUIT\r\n"),
                (S, "221 bye\r\n"),
            ],
            "USER x\r\nPASS y\r\nPASV\r\nEPSV\r\nPASV\r\nQUIT\r\n",
            "220 ProFTPD ready\r\n331 ok\r\n230 in\r\n227 Entering Passive Mode (10,0,0,9,4,1).\r\n"
            + "229 Entering Extended Passive Mode (|||1025|)\r\n227 =10,0,0,9,4,1\n221 bye\r\n");
        Assert.Equal(["Pasv 127.0.0.1:51210", "Epsv -:40001", "Pasv 127.0.0.1:20001"], calls);
    }

    [Fact]
    public void Port_and_eprt_commands_are_rewritten()
    {
        var calls = Check(
            [
                (S, "220 hi\r\n"),
                (C, "PORT 127,0,0,1,4,1\r\n"),
                (S, "200 ok\r\n"),
                (C, "port 127,0,0,1,4,2\n"),
                (S, "200 ok\r\n"),
                (C, "EPRT |1|127.0.0.1|5000|\r\nEPRT !2!::1!5001!\r\n"),
                (S, "200 ok\r\n200 ok\r\n"),
            ],
            "PORT 10,0,0,8,8,0\r\nport 10,0,0,8,8,0\nEPRT |1|10.0.0.8|2048|\r\nEPRT !2!fd00::7!2049!\r\n",
            "220 hi\r\n200 ok\r\n200 ok\r\n200 ok\r\n200 ok\r\n");
        Assert.Equal(["Port 127.0.0.1:1025", "Port 127.0.0.1:1026", "Eprt 127.0.0.1:5000", "Eprt [::1]:5001"], calls);
    }

    [Fact]
    public void Multi_line_and_malformed_announcements_pass_unchanged()
    {
        string server = "227-Passive mode follows\r\n227 (127,0,0,1,4,1)\r\n"  // multi-line 227: not rewritten (RFC 959 §4.2)
            + "211-Features\r\n227 (127,0,0,1,4,1)\r\n 229 (|||5|)\r\n211 End\r\n" // a 227 inside another reply
            + "227 Entering Passive Mode (999,0,0,1,4,1)\r\n"                   // number out of range
            + "227 Entering Passive Mode (127,0,0,1,4)\r\n"                     // five numbers
            + "229 Entering Extended Passive Mode (|||70000|)\r\n"             // port out of range
            + "229 Entering Extended Passive Mode (|x|40001|)\r\n"             // bad delimiters
            + "2270 (127,0,0,1,4,1)\r\n227(127,0,0,1,4,1)\r\n"                 // not "227 "
            + "227 no newline yet";                                            // held, never complete
        string client = "PORT 127,0,0,1,4\r\nPORT 127,0,0,1,4,1,7\r\nEPRT |3|127.0.0.1|5|\r\nEPRT |1|::1|5|\r\nPORTAL 1,2,3,4,5,6\r\nXPORT 1,2,3,4,5,6\r\n";
        var calls = Check([(S, server), (C, client)], client, server[..^"227 no newline yet".Length]);
        Assert.Empty(calls);
    }

    [Fact]
    public void A_line_longer_than_the_limit_passes_unmodified_and_is_not_rewritten()
    {
        string huge = "227 " + new string('x', ControlLineRewriter.MaxLine) + " (127,0,0,1,4,1)\r\n";
        string after = "227 ok (127,0,0,1,4,1)\r\n";
        var calls = Check([(S, huge + after)], "", huge + "227 ok (10,0,0,9,4,1)\r\n");
        Assert.Equal(["Pasv 127.0.0.1:1025"], calls);
    }

    [Fact]
    public void After_234_both_directions_pass_untouched_and_encryption_is_reported_once()
    {
        string tlsLike = "\u0016\u0003\u0001\u0000\u0005PORT 127,0,0,1,4,1\r\n227 (127,0,0,1,4,1)\r\n";
        var calls = Check(
            [
                (S, "220 hi\r\n"),
                (C, "AUTH TLS\r\n"),
                (C, "PORT 127,0,0,1,4,1\r\n"), // sent before the reply: not rewritten (nor held)
                (S, "234 AUTH TLS successful\r\n" + tlsLike),
                (C, tlsLike),
                (S, "234 again\r\n"),
            ],
            "AUTH TLS\r\nPORT 127,0,0,1,4,1\r\n" + tlsLike,
            "220 hi\r\n234 AUTH TLS successful\r\n" + tlsLike + "234 again\r\n");
        Assert.Equal(["encrypted"], calls);
    }

    [Fact]
    public void A_refused_AUTH_resumes_rewriting_of_client_lines()
    {
        var calls = Check(
            [
                (S, "220 hi\r\n"),
                (C, "AUTH TLS\r\n"),
                (S, "530-Not now\r\n"),
                (C, "PORT 127,0,0,1,4,1\r\n"), // the reply is not complete yet: passes
                (S, "530 Not now\r\n"),
                (C, "PORT 127,0,0,1,4,2\r\n"),
                (S, "200 ok\r\n"),
            ],
            "AUTH TLS\r\nPORT 127,0,0,1,4,1\r\nPORT 10,0,0,8,8,0\r\n",
            "220 hi\r\n530-Not now\r\n530 Not now\r\n200 ok\r\n");
        Assert.Equal(["Port 127.0.0.1:1026"], calls);
    }

    [Fact]
    public void Tls_from_the_first_byte_passes_and_is_reported()
    {
        string hello = "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u00fcPORT 127,0,0,1,4,1\r\n";
        var calls = Check([(C, hello), (S, "\u0016\u0003\u0003\u0000\u0010227 (127,0,0,1,4,1)\r\n")], hello, "\u0016\u0003\u0003\u0000\u0010227 (127,0,0,1,4,1)\r\n");
        Assert.Equal(["encrypted"], calls);
    }

    [Fact]
    public void Bytes_of_a_line_that_cannot_be_rewritten_are_not_held()
    {
        var rewriter = new ControlLineRewriter(new FakeHandler());
        var output = new ArrayBufferWriter<byte>();
        // A reply that is not 227/229/234 passes as soon as its code is known; a command that is not PORT/EPRT/AUTH at its first differing byte.
        rewriter.Feed(S, "150 Opening data connection for big.bin"u8, output);
        Assert.Equal("150 Opening data connection for big.bin", Encoding.Latin1.GetString(output.WrittenSpan));
        output.ResetWrittenCount();
        rewriter.Feed(C, "RETR big"u8, output);
        Assert.Equal("RETR big", Encoding.Latin1.GetString(output.WrittenSpan));
        output.ResetWrittenCount();
        rewriter.Feed(S, "\r\n227 Entering"u8, output);
        Assert.Equal("\r\n", Encoding.Latin1.GetString(output.WrittenSpan)); // a candidate is held to its LF
    }
}
