using System.Globalization;
using Inspector.Capture.Files;
using Inspector.Capture.Pipeline;
using Inspector.Core.Analysis;
using Inspector.Core.Sessions;
using Inspector.Proxy;
using Inspector.Tui;

namespace Inspector.Cli.Commands;

/// <summary>
/// <c>inspector read FILE --tui</c>: the capture is read on a worker thread straight into the
/// UI's session store, so the first sessions show while a large file is still being read.
/// </summary>
internal static class TuiRunner
{
    /// <summary>False (with the reason on stderr) when input or output is not a terminal.</summary>
    public static bool HasTerminal(TextWriter stderr)
    {
        if (!Console.IsOutputRedirected && !Console.IsInputRedirected) return true;
        // Drawing into a pipe or a file would fill it with escape sequences; the text and JSON outputs are for those.
        stderr.WriteLine("inspector: --tui needs a terminal (input and output); without --tui the sessions are printed as text, or JSON with --json");
        return false;
    }

    public static int Read(string path, CaptureAnalysisOptions options, TextWriter stderr)
    {
        if (!HasTerminal(stderr)) return InspectorCommand.ExitBadInput;
        ICaptureReader reader;
        try
        {
            reader = CaptureFileReader.Open(path);
        }
        catch (Exception e) when (e is CaptureFormatException or IOException or UnauthorizedAccessException)
        {
            // Before the screen is taken over, so the reason stays readable.
            stderr.WriteLine($"inspector: {(e is CaptureFormatException ? e.Message : $"{path}: {e.Message}")}");
            return InspectorCommand.ExitBadInput;
        }

        var store = new SessionStore();
        var tally = new SessionTally(store);
        var analysis = new CaptureAnalysis(tally, options);
        var progress = new ReadProgress(reader, new FileInfo(path).Length);
        using var stop = new CancellationTokenSource();
        Task reading = Task.Run(() => progress.Run(analysis, stop.Token));

        TuiApp.Run(new TuiSource
        {
            Title = $"read {Path.GetFileName(path)}",
            Store = store,
            IsLive = false,
            Saver = new CaptureSessionSaver(path, store.AllSessions),
            Activity = progress.Describe,
        });

        stop.Cancel();
        reading.Wait();
        reader.Dispose();
        if (progress.Failure is { } failure)
        {
            stderr.WriteLine($"inspector: {failure}");
            return InspectorCommand.ExitBadInput;
        }
        return tally.Errors > 0 ? InspectorCommand.ExitErrorFindings : InspectorCommand.ExitOk;
    }

    /// <summary>
    /// <c>inspector proxy --tui</c>: the relay and its analysis run beside the UI, feeding its store;
    /// quitting stops the relay (sessions still open are reset and reported) and prints the summary.
    /// </summary>
    public static Task<int> ProxyAsync(ProxyOptions options, AnalyzerOptions analyzer, PcapngRelayRecorder recorder, string recordPath,
        TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        var store = new SessionStore();
        return ProxyCommand.RunAsync(options, store, analyzer, stdout, stderr, json: false, cancel, recorder, server =>
        {
            string route = $"{server.LocalEndPoint} -> {ProxyCommand.Route(options)}";
            TuiApp.Run(new TuiSource
            {
                Title = $"proxy {route}",
                Store = store,
                IsLive = true,
                OpenSessions = () => server.ActiveSessions,
                // A relayed session is two connections in the recording: the client's leg and the server's.
                Saver = new CaptureSessionSaver(() => [recordPath], () =>
                {
                    Dictionary<long, long?> parents = store.AllSessions().ToDictionary(s => s.Id, s => s.Data?.ParentId);
                    return [.. recorder.Recorded().SelectMany(r => Legs(r.Session, r.Legs, r.Start, parents.GetValueOrDefault(r.Session)))];
                }, recorder.Flush),
                Activity = () => $"relaying {route}, {server.ActiveSessions.ToString(CultureInfo.InvariantCulture)} open",
            });
        });
    }

    private static IEnumerable<SessionFlow> Legs(long session, RelayLegs legs, Core.Model.Timestamp start, long? parent)
    {
        yield return new SessionFlow(session, legs.Client, legs.RelayFront, start, parent);
        if (legs.RelayBack is not null && legs.Server is not null) yield return new SessionFlow(session, legs.RelayBack, legs.Server, start, parent);
    }

    /// <summary>Reads packets until the end, a damaged record, or the user quits; says how far it got.</summary>
    private sealed class ReadProgress(ICaptureReader reader, long fileLength)
    {
        private long packets;
        private long lastOffset;
        private volatile bool done;

        public string? Failure { get; private set; }

        public void Run(CaptureAnalysis analysis, CancellationToken stop)
        {
            try
            {
                while (!stop.IsCancellationRequested && reader.TryRead(out CapturedPacket packet))
                {
                    analysis.Add(packet);
                    Interlocked.Increment(ref packets);
                    Volatile.Write(ref lastOffset, packet.FileOffset);
                }
            }
            catch (Exception e) when (e is CaptureFormatException or IOException)
            {
                Failure = e.Message;
            }
            finally
            {
                // Whatever was read is still analysed: open connections end as "capture ended".
                if (!stop.IsCancellationRequested) analysis.Complete();
                done = true;
            }
        }

        public string Describe()
        {
            string count = Interlocked.Read(ref packets).ToString(CultureInfo.InvariantCulture);
            if (Failure is not null) return $"read {count} packets, then: {Failure}";
            if (done) return $"{count} packets";
            long percent = fileLength > 0 ? Volatile.Read(ref lastOffset) * 100 / fileLength : 0;
            return $"reading {percent}% ({count} packets)";
        }
    }
}
