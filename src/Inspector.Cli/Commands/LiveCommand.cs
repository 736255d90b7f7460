using System.CommandLine;
using System.Globalization;
using Inspector.Capture.Files;
using Inspector.Capture.Live;
using Inspector.Capture.Packets;
using Inspector.Capture.Pipeline;
using Inspector.Core.Analysis;
using Inspector.Core.Model;
using Inspector.Core.Output;
using Inspector.Core.Sessions;

namespace Inspector.Cli.Commands;

/// <summary><c>inspector live -i IFACE</c>: the analysis of <c>read</c>, on packets as they are captured.</summary>
internal static class LiveCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var iface = new Option<string?>("--interface", "-i") { Description = "Interface to capture on (see --list); lo for loopback, any for all" };
        var list = new Option<bool>("--list") { Description = "List the interfaces libpcap can capture on, and exit" };
        var filter = new Option<string?>("--filter", "-f")
        {
            Description = "BPF capture filter (tcpdump syntax). Default: TCP on ports 21, 990 and every --port, plus the data ports the sessions announce",
        };
        var dataPorts = new Option<string[]>("--data-ports")
        {
            Description = "The server's passive port range, e.g. 30000-30100: in the default filter from the start, so even a data connection opened at once is captured whole",
            AllowMultipleArgumentsPerToken = false,
        };
        var promiscuous = new Option<bool>("--promiscuous") { Description = "Put the interface in promiscuous mode (see traffic not addressed to this host, e.g. on a span port)" };
        var write = new Option<string?>("--write", "-w") { Description = "Also keep the captured packets in this pcapng file (like tcpdump -w)" };
        var writeMax = new Option<long>("--write-max-mb") { Description = "Start a new file (name.1.pcapng, name.2.pcapng, ...) when the current one reaches this many MB; 0: no limit" };
        var idle = new Option<double>("--idle-timeout") { Description = "End a connection after this many seconds without packets", DefaultValueFactory = _ => 600 };
        var output = new OutputOptions();
        var tui = new Option<bool>("--tui") { Description = "Watch the sessions in the terminal UI instead of printing them" };
        Option<int[]> ports = CommonOptions.Ports();
        var cmd = new Command("live", "Capture on a network interface and analyse FTP and FTPS sessions as they happen (needs root or CAP_NET_RAW)")
        {
            iface, list, filter, dataPorts, promiscuous, write, writeMax, idle, tui, ports,
        };
        output.AddTo(cmd);
        cmd.SetAction(async (parse, cancel) =>
        {
            if (parse.GetValue(list)) return ListInterfaces(stdout, stderr);
            string? name = parse.GetValue(iface);
            if (name is null)
            {
                stderr.WriteLine("inspector: live needs an interface: -i NAME (inspector live --list shows them)");
                return InspectorCommand.ExitBadInput;
            }
            IReadOnlySet<int> portSet = CommonOptions.FtpPorts(parse.GetValue(ports));
            var ranges = new List<(int, int)>();
            foreach (string text in parse.GetValue(dataPorts) ?? [])
            {
                if (!TryParseRange(text, out (int, int) range))
                {
                    stderr.WriteLine($"inspector: --data-ports {text}: expected LOW-HIGH, e.g. 30000-30100");
                    return InspectorCommand.ExitBadInput;
                }
                ranges.Add(range);
            }
            if (!CommonOptions.TrySeconds(stderr, "--idle-timeout", parse.GetValue(idle), out TimeSpan idleAfter)) return InspectorCommand.ExitBadInput;
            // A petabyte: more would overflow the byte count.
            long writeMaxMb = Math.Clamp(parse.GetValue(writeMax), 0, 1L << 30);
            bool asJson = parse.GetValue(output.Json);
            ISessionSink writer = output.Writer(parse, stdout, output.Filter(parse), grouped: false);
            var run = new LiveRun
            {
                Interface = name,
                Filter = parse.GetValue(filter),
                DataPortRanges = ranges,
                Promiscuous = parse.GetValue(promiscuous),
                WritePath = parse.GetValue(write),
                WriteMaxBytes = writeMaxMb * 1024 * 1024,
                Tui = parse.GetValue(tui),
                Analysis = new CaptureAnalysisOptions
                {
                    FtpPorts = portSet,
                    Analyzer = output.Analyzer(parse, forTui: parse.GetValue(tui)),
                    // At least a second, as before: the reassembler sweeps for idle connections at half of it.
                    Reassembly = Capture.Tcp.TcpReassemblyOptions.Default with { IdleTimeout = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, idleAfter.Ticks)) },
                },
            };
            return await RunAsync(run, writer, asJson, stdout, stderr, cancel);
        });
        return cmd;
    }

    /// <summary>What one live run captures and where it keeps it.</summary>
    internal sealed record LiveRun
    {
        public required string Interface { get; init; }
        public string? Filter { get; init; }
        public IReadOnlyList<(int Low, int High)> DataPortRanges { get; init; } = [];
        public bool Promiscuous { get; init; }
        public string? WritePath { get; init; }
        public long WriteMaxBytes { get; init; }
        /// <summary>Show the terminal UI; the packets are kept (in a temporary file without --write) so sessions can be saved.</summary>
        public bool Tui { get; init; }
        public required CaptureAnalysisOptions Analysis { get; init; }
    }

    internal static async Task<int> RunAsync(LiveRun run, ISessionSink writer, bool json, TextWriter stdout, TextWriter stderr, CancellationToken cancel)
    {
        if (run.Tui && !TuiRunner.HasTerminal(stderr)) return InspectorCommand.ExitBadInput;
        var store = run.Tui ? new Tui.SessionStore() : null;
        var tally = new SessionTally(store ?? (ISessionSink)new FlushingSink(writer, stdout));
        var dataFilter = run.Filter is null ? new FtpCaptureFilter(run.Analysis.FtpPorts, run.DataPortRanges) : null;
        LiveCapture capture;
        try
        {
            capture = LiveCapture.Open(new LiveCaptureOptions
            {
                Interface = run.Interface,
                Filter = run.Filter ?? dataFilter!.Expression,
                Promiscuous = run.Promiscuous,
            });
        }
        catch (LiveCaptureException e)
        {
            stderr.WriteLine($"inspector: {e.Message}");
            return InspectorCommand.ExitBadInput;
        }
        using (capture)
        {
            RotatingPcapngWriter? keep = null;
            string? keepPath = run.WritePath ?? (run.Tui ? Path.Combine(Path.GetTempPath(), $"inspector-live-{Environment.ProcessId}.pcapng") : null);
            if (keepPath is not null)
            {
                try
                {
                    keep = new RotatingPcapngWriter(keepPath, run.WriteMaxBytes, capture.LinkType, LiveCaptureOptions.DefaultSnapLength, capture.Interface);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    stderr.WriteLine($"inspector: --write {keepPath}: {e.Message}");
                    return InspectorCommand.ExitBadInput;
                }
            }
            using (keep)
            {
                stderr.WriteLine($"inspector: capturing on {capture.Interface} ({LinkTypes.Name(capture.LinkType)}), filter: {capture.Filter} (Ctrl-C to stop)");
                stderr.Flush();
                // Under the UI, drops show in its status line rather than on a terminal it draws on.
                var pipeline = new LivePipeline(capture, keep, dataFilter, dropNotices: store is null ? stderr : null);
                using var stopCapture = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                Task capturing = pipeline.RunAsync(tally, run.Analysis, stopCapture.Token);
                if (store is not null)
                {
                    // The UI runs on this thread until the user quits; the capture goes on beside it.
                    Tui.TuiApp.Run(new Tui.TuiSource
                    {
                        Title = $"live {capture.Interface}",
                        Store = store,
                        IsLive = true,
                        Saver = new CaptureSessionSaver(() => keep!.Files, () => [.. store.AllSessions().Select(SessionFlow.Of)]),
                        Activity = () => $"capturing on {capture.Interface}: {pipeline.Latest.Received.ToString(CultureInfo.InvariantCulture)} packets, {pipeline.Latest.Dropped.ToString(CultureInfo.InvariantCulture)} dropped",
                    });
                    stopCapture.Cancel();
                }
                string? failure = null;
                try
                {
                    await capturing;
                }
                catch (LiveCaptureException e)
                {
                    failure = e.Message;
                }
                catch (OperationCanceledException)
                {
                }
                CaptureAnalysis analysis = pipeline.Analysis!;
                analysis.Complete();
                RunSummary.Write(stdout, json, capture.Interface, $"live, {LinkTypes.Name(capture.LinkType)}", analysis, tally, failure, capture.Stats());
                if (keep is not null && run.WritePath is not null && !json) stdout.WriteLine($"  packets kept in {string.Join(", ", keep.Files)}.");
                if (run.WritePath is null && keep is not null)
                {
                    keep.Dispose();
                    foreach (string f in keep.Files) File.Delete(f);
                }
                stdout.Flush();
                if (failure is not null)
                {
                    stderr.WriteLine($"inspector: {failure}");
                    return InspectorCommand.ExitBadInput;
                }
                return tally.Errors > 0 ? InspectorCommand.ExitErrorFindings : InspectorCommand.ExitOk;
            }
        }
    }

    private static int ListInterfaces(TextWriter stdout, TextWriter stderr)
    {
        IReadOnlyList<CaptureInterface> interfaces;
        try
        {
            interfaces = CaptureInterfaces.List();
        }
        catch (LiveCaptureException e)
        {
            stderr.WriteLine($"inspector: {e.Message}");
            return InspectorCommand.ExitBadInput;
        }
        foreach (CaptureInterface i in interfaces)
        {
            string flags = (i.Up ? "up" : "down") + (i.Loopback ? ", loopback" : "");
            string addresses = i.Addresses.Count > 0 ? "  " + string.Join(" ", i.Addresses) : "";
            stdout.WriteLine($"{i.Name,-20} ({flags}){addresses}{(i.Description is { Length: > 0 } d ? "  " + d : "")}");
        }
        return InspectorCommand.ExitOk;
    }

    private static bool TryParseRange(string text, out (int Low, int High) range)
    {
        range = default;
        string[] parts = text.Split('-');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int low)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int high)
            || low < 1 || high > 65535 || low > high) return false;
        range = (low, high);
        return true;
    }
}
