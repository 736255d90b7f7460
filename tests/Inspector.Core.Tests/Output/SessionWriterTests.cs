using System.Net;
using Inspector.Core.Analysis;
using Inspector.Core.Model;
using Inspector.Core.Output;
using Inspector.Core.Sessions;
using Inspector.Core.Timeline;

namespace Inspector.Core.Tests.Output;

public class SessionWriterTests
{
    private static readonly SessionInfo Session = new(7, new IPEndPoint(IPAddress.Loopback, 40000), new IPEndPoint(IPAddress.Loopback, 21),
        Timestamp.FromUnixSeconds(1_800_000_000), Midstream: false, RolesInferred: false);

    private static TimelineEvent Row(int i) =>
        new(Timestamp.FromUnixSeconds(1_800_000_000, i), Direction.ClientToServer, i, 1, Layer.Ftp, EventKinds.FtpCommand, $"NOOP {i}", null, default);

    private static readonly SessionSummary Summary = new("ftp", "plaintext", Timestamp.FromUnixSeconds(1_800_000_001), 10, 20, 0, 0, 0);

    [Fact]
    public void Grouped_text_writes_nothing_until_the_session_ends_then_one_block()
    {
        var text = new StringWriter();
        var w = new TextSessionWriter(text, OutputFilter.All, color: false, grouped: true);
        w.SessionStarted(Session);
        w.Output(Session, Row(1));
        Assert.Equal("", text.ToString());
        w.SessionEnded(Session, Summary);
        string[] lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("=== session 7: 127.0.0.1:40000 -> 127.0.0.1:21", lines[0]);
        Assert.Contains("ftp, ok", lines[0]);
        Assert.Contains("NOOP 1", lines[1]);
    }

    [Fact]
    public void A_huge_session_streams_instead_of_growing_without_bound()
    {
        var text = new StringWriter();
        var json = new StringWriter();
        var t = new TextSessionWriter(text, OutputFilter.All, color: false, grouped: true);
        var j = new JsonSessionWriter(json, OutputFilter.All, grouped: true);
        foreach (ISessionSink w in new ISessionSink[] { t, j })
        {
            w.SessionStarted(Session);
            for (int i = 0; i < TextSessionWriter.MaxBufferedLines + 5; i++) w.Output(Session, Row(i));
        }
        Assert.Contains("written as it goes", text.ToString());
        Assert.Contains($"NOOP {TextSessionWriter.MaxBufferedLines + 4}", text.ToString());
        Assert.Contains("\"type\":\"session\"", json.ToString());
        j.SessionEnded(Session, Summary);
        Assert.Contains("\"type\":\"session_end\",\"session\":7,\"end\":\"2027-01-15T08:00:01.000000Z\",\"protocol\":\"ftp\"", json.ToString());
    }
}
