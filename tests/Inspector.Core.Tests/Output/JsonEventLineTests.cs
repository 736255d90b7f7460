using System.Text;
using Inspector.Core.Model;
using Inspector.Core.Output;
using Inspector.Core.Tests.Kit;
using Inspector.Core.Timeline;

namespace Inspector.Core.Tests.Output;

/// <summary>
/// Timeline events are written as JSON by hand (JsonEventLine), not through Utf8JsonWriter: every
/// line must be byte for byte what the writer makes with the same encoder, escapes included.
/// </summary>
public class JsonEventLineTests
{
    public static TheoryData<string> Captures() => new(PcapConnections.ReadableCaptures());

    [Theory]
    [MemberData(nameof(Captures))]
    public void Every_event_of_a_bundled_capture_is_written_as_the_writer_would(string capture)
    {
        var withBytes = new JsonLinesFormatter(includeBytes: true);
        var withoutBytes = new JsonLinesFormatter(includeBytes: false);
        int events = 0;
        foreach (PcapConnections.Connection conn in PcapConnections.Read(PcapConnections.CapturePath(capture)))
        {
            foreach (TimelineEvent e in AnalyzerRun.Of(conn.Info, conn.Events).Events)
            {
                Assert.Equal(ReferenceJson.EventLine(42, e, includeBytes: true), withBytes.Format(42, e));
                Assert.Equal(ReferenceJson.EventLine(42, e, includeBytes: false), withoutBytes.Format(42, e));
                events++;
            }
        }
        Assert.True(events > 0, $"{capture} gave no events");
    }

    public static TheoryData<string> Hostile()
    {
        var data = new TheoryData<string>
        {
            "",
            "plain ASCII, the fast path",
            "550 \"quoted\" \\ back/slash <b>&amp;</b> 'single' +plus `tick`",
            "esc \u001b[2J bell \u0007 nul \u0000 del \u007f",
            "bidi \u202e reversed \u2028 line sep, é, 中文, 😀",
            "lone high \ud800 surrogate",
            "lone low \udc00 surrogate",
            new string('x', 5000) + "\u0001" + new string('y', 5000),
        };
        // Every ASCII and Latin-1 character on its own, amid safe text.
        for (int c = 0; c < 256; c++) data.Add($"a{(char)c}b");
        return data;
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Any_string_anywhere_is_escaped_as_the_writer_would(string s)
    {
        var detail = DetailNode.Object(s);
        detail.Add(s, s);
        detail.Add("number", long.MinValue);
        detail.Add("max", long.MaxValue);
        detail.Add("flag", true);
        detail.Add("off", false);
        detail.AddStrings(s + "list", [s, "two", s]);
        DetailNode inner = DetailNode.Object("inner");
        inner.Add(s, 7);
        inner.AddNode(DetailNode.List("empty"));
        DetailNode items = DetailNode.List("items");
        items.Item(s);
        items.Item(-1);
        items.AddNode(DetailNode.Object("in_list")).Add("k", s);
        inner.AddNode(items);
        detail.AddNode(inner);
        detail.AddNode(DetailNode.Object("empty_object"));
        foreach (Direction? dir in new Direction?[] { Direction.ClientToServer, Direction.ServerToClient, null })
        {
            var e = new TimelineEvent(Timestamp.FromUnixSeconds(1_767_268_800, 123_456_789), dir, long.MaxValue, -5, Layer.Session,
                s, s, detail, Encoding.UTF8.GetBytes(s + "\0\xff"));
            Assert.Equal(ReferenceJson.EventLine(7, e, includeBytes: true), new JsonLinesFormatter(includeBytes: true).Format(7, e));
            Assert.Equal(ReferenceJson.EventLine(-7, e with { Detail = null }, includeBytes: false), new JsonLinesFormatter().Format(-7, e with { Detail = null }));
        }
    }

    [Fact]
    public void One_formatter_writes_long_and_short_lines_in_turn_without_leftovers()
    {
        var f = new JsonLinesFormatter();
        var detail = DetailNode.Object("m");
        for (int i = 0; i < 300; i++) detail.Add("field" + i, new string((char)('a' + i % 26), i));
        var big = new TimelineEvent(Timestamp.Zero, null, 0, 0, Layer.Tcp, "k", "big", detail, default);
        var small = new TimelineEvent(Timestamp.Zero, Direction.ClientToServer, 1, 2, Layer.Ftp, "k", "small", null, default);
        for (int round = 0; round < 3; round++)
        {
            Assert.Equal(ReferenceJson.EventLine(1, big, false), f.Format(1, big));
            Assert.Equal(ReferenceJson.EventLine(1, small, false), f.Format(1, small));
        }
    }
}
