using System.Globalization;
using Inspector.Capture.Files;
using Inspector.Capture.Live;
using Inspector.Capture.Pipeline;
using Inspector.Core.Analysis;
using Inspector.Core.Model;
using Inspector.Core.Sessions;

namespace Inspector.Cli.Commands;

/// <summary>
/// One open capture and what happens to its packets: kept (--write), analysed, and the kernel
/// filter widened to announced data endpoints. The capture loop runs on its own thread; the
/// analysis and the filter updates run there too, so they need no locking.
/// </summary>
internal sealed class LivePipeline(LiveCapture capture, RotatingPcapngWriter? keep, FtpCaptureFilter? dataFilter, TextWriter? dropNotices)
{
    private LiveCaptureStats latest;

    public CaptureAnalysis? Analysis { get; private set; }

    /// <summary>libpcap's counters as of the last idle moment (read from any thread).</summary>
    public LiveCaptureStats Latest => latest;

    /// <summary>Captures into <paramref name="sink"/> until <paramref name="stop"/>; throws <see cref="LiveCaptureException"/> if capture fails.</summary>
    public Task RunAsync(ISessionSink sink, CaptureAnalysisOptions options, CancellationToken stop)
    {
        // Data endpoints announced on a control connection widen the kernel filter at once.
        ISessionSink watched = dataFilter is null ? sink : new DataPortWatcher(sink, endpoint =>
        {
            if (dataFilter.AddDataEndpoint(endpoint, Now())) capture.SetFilter(dataFilter.Expression);
        });
        var analysis = new CaptureAnalysis(watched, options);
        Analysis = analysis;
        long lastDropped = 0;
        // libpcap's packet memory is valid only until the next read; the analysis keeps copies of what it needs.
        byte[] frame = new byte[LiveCaptureOptions.DefaultSnapLength];
        return Task.Factory.StartNew(() => capture.Run(
            (linkType, time, data, wire) =>
            {
                keep?.Write(time, data, wire);
                int n = Math.Min(data.Length, frame.Length);
                data[..n].CopyTo(frame);
                analysis.Add(new CapturedPacket(linkType, time, frame.AsMemory(0, n), wire, -1, 0));
            },
            () =>
            {
                Timestamp now = Now();
                analysis.Sweep(now);
                keep?.Flush();
                if (dataFilter is not null && dataFilter.Expire(now)) capture.SetFilter(dataFilter.Expression);
                LiveCaptureStats stats = capture.Stats();
                latest = stats;
                if (stats.Dropped > lastDropped)
                {
                    dropNotices?.WriteLine($"inspector: libpcap dropped {(stats.Dropped - lastDropped).ToString(CultureInfo.InvariantCulture)} packet(s) (its buffer was full); streams they cut show as tcp.gap");
                }
                lastDropped = stats.Dropped;
            },
            stop), stop, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private static Timestamp Now() => Timestamp.FromDateTime(DateTime.UtcNow);

    /// <summary>Passes everything on, and tells the capture about each announced data endpoint.</summary>
    private sealed class DataPortWatcher(ISessionSink next, Action<System.Net.IPEndPoint> announced) : ISessionSink
    {
        public void SessionStarted(SessionInfo session) => next.SessionStarted(session);

        public void Output(SessionInfo session, AnalysisOutput output)
        {
            if (output is ExpectedDataConnection d) announced(d.Endpoint);
            next.Output(session, output);
        }

        public void SessionEnded(SessionInfo session, SessionSummary summary) => next.SessionEnded(session, summary);
    }
}
