using System.CommandLine;
using System.Net;
using Inspector.Core.Analysis;
using Inspector.Core.Output;
using Inspector.Core.Sessions;
using Inspector.Proxy;

namespace Inspector.Cli.Commands;

/// <summary><c>inspector proxy</c>: relay clients to the real server and analyse both directions live.</summary>
internal static class ProxyCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var listen = new Option<string>("--listen", "-l")
        {
            Description = "Address and port clients connect to (loopback unless you name another address)",
            DefaultValueFactory = _ => "127.0.0.1:2121",
        };
        var upstream = new Option<string?>("--upstream", "-u") { Description = "The real FTP server, host:port (e.g. ftp.example.com:21, or :990 for implicit FTPS); required unless --transparent" };
        var transparent = new Option<bool>("--transparent")
        {
            Description = "Transparent mode on a Linux gateway, instead of --upstream: relay each connection to the destination the client originally asked for, "
                + "after an nftables/iptables REDIRECT (or DNAT) rule sent it to --listen (read with SO_ORIGINAL_DST; under TPROXY the connection's local address). "
                + "Listen on the gateway's address, e.g. --listen 0.0.0.0:2121, and redirect TCP port 21 (and 990) arriving from the clients there, in nat prerouting only: "
                + "nft add rule inet inspector prerouting tcp dport { 21, 990 } redirect to :2121, or "
                + "iptables -t nat -A PREROUTING -p tcp -m multiport --dports 21,990 -j REDIRECT --to-ports 2121 "
                + "(see the README for the whole rule set and how to remove it). "
                + "Clients that connect to the relay directly, and redirect loops, are refused (proxy.not_redirected, proxy.redirect_loop)",
        };
        var connectTimeout = new Option<double>("--connect-timeout") { Description = "Seconds to wait for the upstream connection", DefaultValueFactory = _ => 10 };
        var idleTimeout = new Option<double>("--idle-timeout") { Description = "Close a session after this many seconds without bytes", DefaultValueFactory = _ => 900 };
        var maxSessions = new Option<int>("--max-sessions") { Description = "Sessions relayed at once; more clients are refused", DefaultValueFactory = _ => 256 };
        var record = new Option<string?>("--record", "-w")
        {
            Description = "Also write every session to this pcapng file as TCP packets: the client leg (interface 0) and the server leg (interface 1), "
                + "with their real addresses and ports; `inspector read` and Wireshark open it",
        };
        var data = new Option<string>("--data")
        {
            Description = "direct: data connections go straight between client and server (PASV/EPSV/PORT/EPRT left alone). "
                + "relay: on a plaintext control channel the relay rewrites 227/229 replies and PORT/EPRT commands so each data connection runs through it "
                + "and is analysed as its own session (with FTPS the control channel is encrypted, so data stays direct and that is reported once)",
            DefaultValueFactory = _ => "direct",
        };
        data.AcceptOnlyFromAmong("direct", "relay");
        var dataPorts = new Option<string?>("--data-ports") {
            Description = "With --data relay: ports LOW-HIGH for the relay's data listeners (default: any port the system gives). "
                + "With --transparent, redirect this range on the gateway too, keeping the port (nft ... tcp dport LOW-HIGH redirect): clients connect to the server's address for data",
        };
        var output = new OutputOptions();
        var tui = new Option<bool>("--tui") { Description = "Watch the sessions in the terminal UI instead of printing them (sessions are recorded to a temporary file for saving unless --record is given)" };
        var cmd = new Command("proxy",
            "Relay FTP/FTPS clients to the real server, forwarding every byte unchanged, and analyse both directions live. "
            + "TLS is never terminated: explicit (AUTH TLS) and implicit FTPS pass through as they are. "
            + "By default data connections are not relayed (--data direct); --data relay relays them too on a plaintext control channel. "
            + "With --transparent on a Linux gateway, clients keep connecting to their real servers and a REDIRECT rule brings them to the relay.")
        {
            listen, upstream, transparent, connectTimeout, idleTimeout, maxSessions, data, dataPorts, record, tui,
        };
        output.AddTo(cmd);
        cmd.SetAction(async (parse, cancel) =>
        {
            if (!EndpointText.TryParseLocal(parse.GetValue(listen)!, out IPEndPoint listenAt))
            {
                stderr.WriteLine($"inspector: --listen {parse.GetValue(listen)}: expected address:port, e.g. 127.0.0.1:2121 or [::1]:2121");
                return InspectorCommand.ExitBadInput;
            }
            bool isTransparent = parse.GetValue(transparent);
            string? upstreamText = parse.GetValue(upstream);
            string host = "";
            int port = 0;
            if (isTransparent && upstreamText is not null)
            {
                stderr.WriteLine("inspector: --transparent and --upstream exclude each other: in transparent mode each connection goes to its own original destination");
                return InspectorCommand.ExitBadInput;
            }
            if (!isTransparent && upstreamText is null)
            {
                stderr.WriteLine("inspector: --upstream HOST:PORT is required (or --transparent on a gateway that redirects FTP to the relay)");
                return InspectorCommand.ExitBadInput;
            }
            if (isTransparent && !OperatingSystem.IsLinux())
            {
                stderr.WriteLine("inspector: --transparent needs Linux (netfilter's SO_ORIGINAL_DST)");
                return InspectorCommand.ExitBadInput;
            }
            if (isTransparent && IPAddress.IsLoopback(listenAt.Address))
            {
                stderr.WriteLine($"inspector: --transparent --listen {listenAt}: a REDIRECT rule sends connections to the address of the interface they arrive on, never to loopback; "
                    + $"listen on 0.0.0.0:{listenAt.Port} (or [::]:{listenAt.Port}, or the gateway's address)");
                return InspectorCommand.ExitBadInput;
            }
            if (!isTransparent && (!EndpointText.TryParse(upstreamText!, out host, out port) || port == 0))
            {
                stderr.WriteLine($"inspector: --upstream {parse.GetValue(upstream)}: expected host:port, e.g. ftp.example.com:21");
                return InspectorCommand.ExitBadInput;
            }
            (int, int)? portRange = null;
            if (parse.GetValue(dataPorts) is { } range)
            {
                string[] parts = range.Split('-');
                if (parts.Length != 2 || !int.TryParse(parts[0], out int low) || !int.TryParse(parts[1], out int high) || low < 1 || high > 65535 || low > high)
                {
                    stderr.WriteLine($"inspector: --data-ports {range}: expected LOW-HIGH, e.g. 40000-40100");
                    return InspectorCommand.ExitBadInput;
                }
                portRange = (low, high);
            }
            if (!CommonOptions.TrySeconds(stderr, "--connect-timeout", parse.GetValue(connectTimeout), out TimeSpan connectAfter)
                || !CommonOptions.TrySeconds(stderr, "--idle-timeout", parse.GetValue(idleTimeout), out TimeSpan idleAfter))
            {
                return InspectorCommand.ExitBadInput;
            }
            var options = new ProxyOptions
            {
                Data = parse.GetValue(data) == "relay" ? DataMode.Relay : DataMode.Direct,
                DataPorts = portRange,
                Listen = listenAt,
                UpstreamHost = host,
                UpstreamPort = port,
                Transparent = isTransparent,
                ConnectTimeout = connectAfter,
                IdleTimeout = idleAfter,
                MaxSessions = Math.Max(1, parse.GetValue(maxSessions)),
            };
            bool asJson = parse.GetValue(output.Json);
            ISessionSink writer = output.Writer(parse, stdout, output.Filter(parse), grouped: false);
            bool withTui = parse.GetValue(tui);
            AnalyzerOptions analyzer = output.Analyzer(parse, forTui: withTui);
            if (withTui && !TuiRunner.HasTerminal(stderr)) return InspectorCommand.ExitBadInput;
            // The UI saves sessions from the recording, so it always records (to a temporary file without --record).
            string? recordPath = parse.GetValue(record) ?? (withTui ? Path.Combine(Path.GetTempPath(), $"inspector-proxy-{Environment.ProcessId}.pcapng") : null);
            PcapngRelayRecorder? recorder = null;
            if (recordPath is not null)
            {
                try
                {
                    recorder = PcapngRelayRecorder.Create(recordPath);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    stderr.WriteLine($"inspector: --record {recordPath}: {e.Message}");
                    return InspectorCommand.ExitBadInput;
                }
            }
            try
            {
                if (withTui) return await TuiRunner.ProxyAsync(options, analyzer, recorder!, recordPath!, stdout, stderr, cancel);
                return await RunAsync(options, new FlushingSink(writer, stdout), analyzer, stdout, stderr, asJson, cancel, recorder);
            }
            finally
            {
                recorder?.Dispose();
                if (withTui && parse.GetValue(record) is null && recordPath is not null) File.Delete(recordPath);
            }
        });
        return cmd;
    }

    /// <summary>Where the relay sends its clients, for the start line and the UI's title.</summary>
    internal static string Route(ProxyOptions options) =>
        options.Transparent ? "each connection's original destination (transparent)" : $"{options.UpstreamHost}:{options.UpstreamPort}";

    /// <summary>
    /// Runs the relay until <paramref name="cancel"/>, or, with <paramref name="foreground"/> (the
    /// terminal UI), until that returns; then waits for the analysis and prints the summary.
    /// </summary>
    internal static async Task<int> RunAsync(ProxyOptions options, ISessionSink sink, AnalyzerOptions analyzer, TextWriter stdout, TextWriter stderr, bool json,
        CancellationToken cancel, IRelayRecorder? recorder = null, Action<ProxyServer>? foreground = null)
    {
        InlineSocketCompletions.Enable();
        var tally = new SessionTally(sink);
        var queue = new AnalysisQueue(tally, analyzer, options.AnalysisQueueBytes, recorder);
        await using var server = new ProxyServer(options, queue);
        try
        {
            server.Start();
        }
        catch (System.Net.Sockets.SocketException e)
        {
            stderr.WriteLine($"inspector: cannot listen on {options.Listen}: {e.Message}");
            return InspectorCommand.ExitBadInput;
        }
        // With --json stdout holds JSON Lines only; a script still learns the relay is up (on stderr).
        if (foreground is null) (json ? stderr : stdout).WriteLine($"inspector: relaying {server.LocalEndPoint} -> {Route(options)} (Ctrl-C to stop)");
        if (options.Transparent && !server.TproxyAllowed)
        {
            stderr.WriteLine("inspector: note: no CAP_NET_ADMIN (not root), so the listener cannot take TPROXY connections (IP_TRANSPARENT); "
                + "nftables/iptables REDIRECT and DNAT rules work all the same");
        }
        stdout.Flush();
        stderr.Flush();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        Task analysis = queue.RunAsync();
        Task relaying = server.RunAsync(stop.Token);
        if (foreground is not null)
        {
            foreground(server);
            stop.Cancel();
        }
        await relaying;
        queue.Complete();
        await analysis;
        if (!json) stdout.WriteLine($"inspector: stopped; {tally.Sessions} session(s), {tally.FailedSessions} with errors, {tally.DataConnections} data connection(s); {tally.Errors} error(s), {tally.Warnings} warning(s).");
        stdout.Flush();
        return tally.Errors > 0 ? InspectorCommand.ExitErrorFindings : InspectorCommand.ExitOk;
    }
}
