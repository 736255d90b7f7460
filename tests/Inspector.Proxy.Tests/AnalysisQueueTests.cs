using System.Net;
using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Streams;
using Inspector.Core.Timeline;

namespace Inspector.Proxy.Tests;

public class AnalysisQueueTests
{
    [Fact(Timeout = 180_000)]
    public async Task A_full_queue_skips_bytes_as_a_gap_and_reports_it_without_waiting()
    {
        var sink = new RecordingSink();
        var queue = new AnalysisQueue(sink, AnalyzerOptions.Default, maxQueuedBytesPerSession: 100);
        var t = Timestamp.FromUnixSeconds(1_800_000_000);
        AnalysisQueue.SessionTap tap = queue.Open(new IPEndPoint(IPAddress.Loopback, 40000), new IPEndPoint(IPAddress.Loopback, 21), t);

        // The consumer is not running yet: the queue fills after 100 bytes and the rest is skipped at once.
        tap.Data(Direction.ServerToClient, "220 a greeting that is long enough to matter\r\n"u8, t);
        for (int i = 0; i < 10; i++) tap.Data(Direction.ServerToClient, new byte[50], t);
        tap.End(Direction.ServerToClient, EndKind.Fin, t);
        tap.Close(t);
        queue.Complete();
        await queue.RunAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Finding f = Assert.Single(sink.Findings, f => f.Name == FindingCatalog.AnalysisOverflow);
        Assert.Contains("skipped 450 bytes", f.Summary);
        TimelineEvent gap = Assert.Single(sink.Events, e => e.Kind == EventKinds.TcpGap);
        Assert.Equal(46 + 50, gap.Offset);
        Assert.Equal(450, gap.Length);
        Assert.Contains(sink.Events, e => e.Kind == EventKinds.FtpReply && e.Summary.StartsWith("220 a greeting"));
    }
}
