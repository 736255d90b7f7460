using System.Net;
using System.Text;
using Inspector.Cli;
using Inspector.Cli.Commands;
using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Sessions;

namespace Inspector.Capture.Tests.Cli;

/// <summary>
/// `read` formats and writes its output on a second thread: the output must be the same, in the
/// same order, however many batches it spans, and a writer that fails must give a clear error.
/// </summary>
public class WriterThreadTests
{
    /// <summary>Records every call, with the thread it came on.</summary>
    private sealed class RecordingSink : ISessionSink
    {
        public readonly List<string> Calls = [];
        public readonly HashSet<int> Threads = [];

        public void SessionStarted(SessionInfo session) => Add($"start {session.Id}");

        public void Output(SessionInfo session, AnalysisOutput output) => Add($"out {session.Id} {((Finding)output).Summary}");

        public void SessionEnded(SessionInfo session, SessionSummary summary) => Add($"end {session.Id}");

        private void Add(string call)
        {
            Calls.Add(call);
            Threads.Add(Environment.CurrentManagedThreadId);
        }
    }

    private sealed class FailingSink(int failAt) : ISessionSink
    {
        private int calls;

        public void SessionStarted(SessionInfo session) => Count();

        public void Output(SessionInfo session, AnalysisOutput output) => Count();

        public void SessionEnded(SessionInfo session, SessionSummary summary) => Count();

        private void Count()
        {
            if (++calls == failAt) throw new IOException("No space left on device");
        }
    }

    private static SessionInfo Session(long id) =>
        new(id, new IPEndPoint(IPAddress.Loopback, 40000), new IPEndPoint(IPAddress.Loopback, 21), Timestamp.Zero, false, false);

    private static Finding Note(int i) =>
        new("ftp.test", Severity.Info, Side.Client, Timestamp.Zero, Direction.ClientToServer, i, Array.Empty<byte>(), $"n{i}", "");

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(WriterThreadSink.BatchSize - 1)]
    [InlineData(WriterThreadSink.BatchSize * WriterThreadSink.QueuedBatches * 3 + 7)]
    public void Every_call_arrives_once_in_order_on_the_writer_thread(int outputs)
    {
        var inner = new RecordingSink();
        var expected = new List<string>();
        using (var sink = new WriterThreadSink(inner))
        {
            for (int s = 1; s <= 3; s++)
            {
                sink.SessionStarted(Session(s));
                expected.Add($"start {s}");
                for (int i = 0; i < outputs; i++)
                {
                    sink.Output(Session(s), Note(i));
                    expected.Add($"out {s} n{i}");
                }
                sink.SessionEnded(Session(s), SessionSummaryFor());
                expected.Add($"end {s}");
            }
            sink.Complete();
        }
        Assert.Equal(expected, inner.Calls);
        Assert.DoesNotContain(Environment.CurrentManagedThreadId, inner.Threads);
    }

    [Fact]
    public void A_writer_failure_is_raised_on_the_reading_side()
    {
        using var sink = new WriterThreadSink(new FailingSink(failAt: 10));
        var raised = Assert.Throws<OutputFailedException>(() =>
        {
            // Enough calls to fill the queue many times over: the reader must not block forever
            // on a writer that stopped.
            for (int i = 0; i < WriterThreadSink.BatchSize * WriterThreadSink.QueuedBatches * 4; i++) sink.Output(Session(1), Note(i));
            sink.Complete();
        });
        Assert.Contains("No space left on device", raised.Message);
    }

    /// <summary>A TextWriter that fails once something was written, like a full disk.</summary>
    private sealed class FullDiskWriter : StringWriter
    {
        public override void Write(char value) => throw new IOException("No space left on device");

        public override void Write(ReadOnlySpan<char> buffer) => throw new IOException("No space left on device");

        public override void Write(string? value) => throw new IOException("No space left on device");

        public override void WriteLine(ReadOnlySpan<char> buffer) => throw new IOException("No space left on device");

        public override void WriteLine(string? value) => throw new IOException("No space left on device");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Read_with_output_that_fails_exits_2_naming_the_output(bool json)
    {
        var stderr = new StringWriter { NewLine = "\n" };
        string[] args = json ? ["read", CliRun.Capture("ftp-plain-curl-proftpd.pcap"), "--json"] : ["read", CliRun.Capture("ftp-plain-curl-proftpd.pcap")];
        int code = await InspectorCommand.RunAsync(args, new FullDiskWriter(), stderr);
        Assert.Equal(InspectorCommand.ExitBadInput, code);
        Assert.Equal("inspector: writing the output failed: No space left on device\n", stderr.ToString());
    }

    private static SessionSummary SessionSummaryFor() =>
        new("ftp", "closed", Timestamp.Zero, 0, 0, 0, 0, 0);
}
