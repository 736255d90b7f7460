using System.Net;
using System.Text;
using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Streams;
using Inspector.Core.Timeline;

namespace Inspector.Proxy.Tests;

/// <summary>
/// Counted bytes in a row join one run that the analysis takes whole
/// (<see cref="AnalysisQueue.SessionTap.Counted"/>): a stream of small messages costs the
/// analysis one item per wake-up, not one per message. A run takes no more bytes once the analysis
/// took it, or once any other item of the session followed it, so no byte is lost, counted twice,
/// or read by the analysis ahead of an item posted before it.
/// </summary>
public class CountedRunTests
{
    private static readonly Timestamp T0 = Timestamp.FromUnixSeconds(1_800_000_000);

    private static readonly IPEndPoint Client = new(IPAddress.Loopback, 40000);
    private static readonly IPEndPoint Server = new(IPAddress.Loopback, 21);

    /// <summary>A session whose client is given up as not FTP once the analysis reads what this queues, so its later bytes may be counted.</summary>
    private static (AnalysisQueue Queue, RecordingSink Sink, AnalysisQueue.SessionTap Tap, int Garbage) NotFtpClient()
    {
        var sink = new RecordingSink();
        var queue = new AnalysisQueue(sink, AnalyzerOptions.Default, maxQueuedBytesPerSession: 64 << 20);
        AnalysisQueue.SessionTap tap = queue.Open(Client, Server, T0);
        tap.Data(Direction.ServerToClient, "220 ready\r\n"u8, T0);
        var lines = new StringBuilder();
        for (int i = 0; i < 100; i++) lines.Append("\u0001not a command ").Append(i).Append("\r\n");
        byte[] garbage = Encoding.Latin1.GetBytes(lines.ToString());
        tap.Data(Direction.ClientToServer, garbage, T0);
        return (queue, sink, tap, garbage.Length);
    }

    private static async Task FinishAsync(AnalysisQueue queue, AnalysisQueue.SessionTap tap, Task? running = null)
    {
        tap.End(Direction.ClientToServer, EndKind.Fin, T0);
        tap.End(Direction.ServerToClient, EndKind.Fin, T0);
        tap.Close(T0);
        queue.Complete();
        await (running ?? queue.RunAsync()).WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>The client's pump counts <paramref name="length"/> bytes and forwards them.</summary>
    private static void CountAndForward(AnalysisQueue.SessionTap tap, int length)
    {
        tap.Counted(Direction.ClientToServer, length, T0);
        tap.Forwarded(Direction.ClientToServer);
    }

    private static void AssertWhole(RecordingSink sink, long clientBytes, long serverBytes)
    {
        var summary = Assert.Single(sink.Ended).Summary;
        Assert.Equal(clientBytes, summary.ClientBytes);
        Assert.Equal(serverBytes, summary.ServerBytes);
        Assert.Contains(sink.Findings, f => f.Name == FindingCatalog.FtpNotFtp);
        // A wrong offset would show as bytes missing (a gap) or be dropped as seen already.
        Assert.DoesNotContain(sink.Events, e => e.Kind == EventKinds.TcpGap);
        Assert.DoesNotContain(sink.Findings, f => f.Name == FindingCatalog.AnalysisOverflow);
    }

    [Fact(Timeout = 60_000)]
    public async Task Counts_in_a_row_join_one_run_and_every_byte_is_counted()
    {
        (AnalysisQueue queue, RecordingSink sink, AnalysisQueue.SessionTap tap, int garbage) = NotFtpClient();

        // The analysis is not running yet, so it takes nothing in between.
        for (int i = 0; i < 1000; i++) tap.Counted(Direction.ClientToServer, 64, T0.Add(TimeSpan.FromMicroseconds(i)));
        Assert.Equal(1, queue.CountedRuns);

        await FinishAsync(queue, tap);
        Assert.Equal(64_000, queue.CountedBytes);
        AssertWhole(sink, garbage + 64_000L, 11);
    }

    [Fact(Timeout = 60_000)]
    public async Task Any_other_item_of_the_session_closes_the_run_so_later_bytes_come_after_it()
    {
        (AnalysisQueue queue, RecordingSink sink, AnalysisQueue.SessionTap tap, int garbage) = NotFtpClient();

        tap.Counted(Direction.ClientToServer, 100, T0);
        tap.Counted(Direction.ClientToServer, 100, T0);
        // A reply from the other direction: the client's next bytes may answer it.
        tap.Data(Direction.ServerToClient, "200 noted\r\n"u8, T0);
        tap.Counted(Direction.ClientToServer, 100, T0);
        Assert.Equal(2, queue.CountedRuns);
        // Something the relay reports closes it too.
        tap.Report(FindingCatalog.ProxyIdleTimeout, Side.Unknown, "a report", "a report", T0);
        tap.Counted(Direction.ClientToServer, 100, T0);
        tap.Counted(Direction.ClientToServer, 100, T0);
        Assert.Equal(3, queue.CountedRuns);

        await FinishAsync(queue, tap);
        Assert.Equal(500, queue.CountedBytes);
        AssertWhole(sink, garbage + 500L, 11 + 11);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_run_the_analysis_took_takes_no_more_bytes()
    {
        (AnalysisQueue queue, RecordingSink sink, AnalysisQueue.SessionTap tap, int garbage) = NotFtpClient();
        Task running = queue.RunAsync();

        CountAndForward(tap, 100);
        await Measure.UntilAsync(() => queue.CountedBytes == 100);
        CountAndForward(tap, 50);
        Assert.Equal(2, queue.CountedRuns);

        await FinishAsync(queue, tap, running);
        Assert.Equal(150, queue.CountedBytes);
        AssertWhole(sink, garbage + 150L, 11);
    }

    /// <summary>
    /// A stream that is only counted leaves the analysis napping: a new run does not wake it
    /// (its bytes wait for the nap's end), where waking it for each would cost a system call and
    /// a context switch per message, as the analysis takes each run at once.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task A_counted_stream_does_not_wake_the_analysis_per_message()
    {
        (AnalysisQueue queue, RecordingSink sink, AnalysisQueue.SessionTap tap, int garbage) = NotFtpClient();
        Task running = queue.RunAsync();
        CountAndForward(tap, 64);
        await Measure.UntilAsync(() => queue.CountedBytes == 64);

        long wakeUpsBefore = queue.WakeUps;
        for (int i = 0; i < 2000; i++)
        {
            CountAndForward(tap, 64);
            Thread.Sleep(0); // time for an analysis that was woken to take the run
        }
        Assert.InRange(queue.WakeUps - wakeUpsBefore, 0, 5);

        await FinishAsync(queue, tap, running);
        Assert.Equal(64 * 2001, queue.CountedBytes);
        AssertWhole(sink, garbage + 64 * 2001L, 11);
    }

    /// <summary>
    /// The relay's two threads at once, with the analysis taking runs as they grow: one direction
    /// counted in random sizes, the other posting replies that close its runs.
    /// </summary>
    [Fact(Timeout = 120_000)]
    public async Task Counting_while_the_analysis_takes_runs_and_the_other_direction_posts_loses_no_byte()
    {
        (AnalysisQueue queue, RecordingSink sink, AnalysisQueue.SessionTap tap, int garbage) = NotFtpClient();
        Task running = queue.RunAsync();
        const int Counts = 200_000, Replies = 2_000;
        byte[] reply = "200 noted\r\n"u8.ToArray();

        long counted = 0;
        var counting = Task.Run(() =>
        {
            var random = new Random(5);
            for (int i = 0; i < Counts; i++)
            {
                int n = random.Next(1, 3000);
                CountAndForward(tap, n);
                counted += n;
            }
        });
        var replying = Task.Run(() =>
        {
            for (int i = 0; i < Replies; i++)
            {
                tap.Data(Direction.ServerToClient, reply, T0);
                tap.Forwarded(Direction.ServerToClient);
                Thread.SpinWait(2000);
            }
        });
        await Task.WhenAll(counting, replying);

        await FinishAsync(queue, tap, running);
        Assert.Equal(counted, queue.CountedBytes);
        AssertWhole(sink, garbage + counted, 11 + (long)Replies * reply.Length);
        Assert.InRange(queue.CountedRuns, 1, Counts - 1);
    }
}
