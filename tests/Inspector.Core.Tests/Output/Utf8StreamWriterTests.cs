using System.Text;
using Inspector.Core.Output;

namespace Inspector.Core.Tests.Output;

/// <summary>The UTF-8 writer writes what a StreamWriter writes, and raw UTF-8 lines in their place.</summary>
public class Utf8StreamWriterTests
{
    private static readonly UTF8Encoding Utf8NoBom = new(false);

    private static byte[] Written(int bufferSize, Action<Utf8StreamWriter> write)
    {
        var stream = new MemoryStream();
        using (var w = new Utf8StreamWriter(stream, bufferSize, leaveOpen: true)) write(w);
        return stream.ToArray();
    }

    [Theory]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(1 << 16)]
    public void Text_and_raw_lines_come_out_in_order_whatever_the_buffer(int bufferSize)
    {
        string[] texts = ["plain ascii", "é ü ß", "emoji 😀 and 中文", new string('x', 100), "", "\u001b[31m escape"];
        byte[] got = Written(bufferSize, w =>
        {
            foreach (string t in texts)
            {
                w.WriteLine(t);
                w.WriteUtf8Line(Encoding.UTF8.GetBytes("{\"raw\":\"" + t + "\"}"));
                w.Write('c');
                w.Write(t.ToCharArray(), 0, t.Length);
                w.WriteLine();
            }
        });

        var expected = new StringBuilder();
        foreach (string t in texts) expected.Append(t).Append('\n').Append("{\"raw\":\"").Append(t).Append("\"}\n").Append('c').Append(t).Append('\n');
        Assert.Equal(Utf8NoBom.GetBytes(expected.ToString()), got);
    }

    [Fact]
    public void A_surrogate_pair_split_across_writes_stays_one_character()
    {
        string smile = "😀";
        byte[] got = Written(16, w =>
        {
            w.Write(smile[0]);
            w.Write(smile[1]);
        });
        Assert.Equal(Encoding.UTF8.GetBytes(smile), got);
    }

    [Fact]
    public void A_lone_high_surrogate_before_raw_bytes_becomes_a_replacement_character_not_a_lost_byte()
    {
        byte[] got = Written(64, w =>
        {
            w.Write('\uD83D');
            w.WriteUtf8("ok"u8);
        });
        Assert.Equal([0xEF, 0xBF, 0xBD, (byte)'o', (byte)'k'], got);
    }

    [Fact]
    public void Nothing_reaches_the_stream_before_a_flush_unless_the_buffer_fills()
    {
        var stream = new MemoryStream();
        var w = new Utf8StreamWriter(stream, 32, leaveOpen: true);
        w.Write("0123456789");
        Assert.Equal(0, stream.Length);
        w.Write("0123456789012345678901234567890123456789");
        Assert.True(stream.Length > 0);
        w.Flush();
        Assert.Equal(50, stream.Length);
        w.Dispose();
        Assert.True(stream.CanWrite); // left open as asked
    }

    [Fact]
    public void Grouped_json_output_through_it_matches_a_stream_writer_byte_for_byte()
    {
        string Run(Func<Stream, TextWriter> make)
        {
            var stream = new MemoryStream();
            using (TextWriter writer = make(stream))
            {
                var json = new JsonSessionWriter(writer, OutputFilter.All, grouped: true);
                var session = new Inspector.Core.Sessions.SessionInfo(7,
                    new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 40000), new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 21),
                    default, false, false);
                json.SessionStarted(session);
                json.SessionEnded(session, new Inspector.Core.Sessions.SessionSummary("ftp", "plaintext", default, 10, 20, 0, 1, 0));
            }
            return Encoding.UTF8.GetString(stream.ToArray());
        }

        string viaStreamWriter = Run(s => new StreamWriter(s, Utf8NoBom) { NewLine = "\n" });
        string viaUtf8 = Run(s => new Utf8StreamWriter(s));
        Assert.Contains("\"type\":\"session_end\"", viaUtf8, StringComparison.Ordinal);
        Assert.Equal(viaStreamWriter, viaUtf8);
    }
}
