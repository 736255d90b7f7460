using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Inspector.Bench;

/// <summary>
/// Relay figures in one run, for each of direct, socat (8 KB buffer), socat -b 131072 and
/// inspector proxy (inspection on): bulk throughput with 1 and 8 streams, 64-byte ping-pong
/// latency (p50/p99/p99.9), short connections per second (banner, close), and for the two
/// relays the memory of 1,000 idle sessions and what is left after they close.
/// Throughput and latency are measured in interleaved rounds: every relay runs at once, and each
/// round measures each of them in turn for a share of the time. A figure is the median over the
/// rounds, and the added latency is the median of each round's difference to direct. On a small
/// shared machine the same relay's figures drift by a third from one second to the next; measured
/// one relay after the other, that drift decided which relay looked faster. Each round takes the
/// relays in a shuffled order (<see cref="RoundOrder"/>), with a pause before each slot: in a
/// fixed order the relay after socat always started while socat's per-connection process was
/// still exiting.
/// </summary>
internal static class RelayBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options, TextWriter output)
    {
        using var servers = new LoopbackServers();
        int idleSessions = options.Smoke ? 20 : 1000;
        // Direct always runs: the added latency is measured against it.
        string[] kinds = [.. Relay.Kinds.Where(k => k == "direct" || options.Relays.Count == 0 || options.Relays.Contains(k))];
        int rounds = Math.Max(1, options.Rounds);
        double slot = options.Seconds / rounds;
        TimeSpan settle = options.Smoke ? TimeSpan.Zero : Settle;

        Dictionary<string, List<double>> one = kinds.ToDictionary(k => k, _ => new List<double>());
        Dictionary<string, List<double>> eight = kinds.ToDictionary(k => k, _ => new List<double>());
        using (RelaySet sinks = RelaySet.Start(kinds, servers.Sink))
        {
            for (int round = 0; round < rounds; round++)
            {
                foreach (string kind in RoundOrder(kinds, round))
                {
                    await Task.Delay(settle);
                    one[kind].Add(await ThroughputAsync(sinks[kind], 1, slot));
                }
                foreach (string kind in RoundOrder(kinds, rounds + round))
                {
                    await Task.Delay(settle);
                    eight[kind].Add(await ThroughputAsync(sinks[kind], 8, slot));
                }
            }
        }
        output.WriteLine("  measured throughput");

        Dictionary<string, List<LatencyResult>> latency = kinds.ToDictionary(k => k, _ => new List<LatencyResult>());
        using (RelaySet echoes = RelaySet.Start(kinds, servers.Echo))
        {
            for (int round = 0; round < rounds; round++)
            {
                foreach (string kind in RoundOrder(kinds, 2 * rounds + round))
                {
                    await Task.Delay(settle);
                    latency[kind].Add(await LatencyAsync(echoes[kind], slot));
                }
            }
        }
        output.WriteLine("  measured latency");

        var rows = new List<string[]>();
        foreach (string kind in kinds)
        {
            double rate;
            string idle = "-", afterClose = "-";
            using (Relay banner = Relay.Start(kind, servers.Banner))
            {
                rate = await ShortConnectionsAsync(banner.Endpoint, options.Seconds);
                if (kind != "direct") (idle, afterClose) = await IdleSessionsAsync(banner, idleSessions);
            }
            List<LatencyResult> own = latency[kind], direct = latency["direct"];
            rows.Add([
                kind,
                Gbit(Median(one[kind])), Gbit(Median(eight[kind])),
                $"{Median(own.Select(l => l.P50)):0} / {Median(own.Select(l => l.P99)):0} / {Median(own.Select(l => l.P999)):0}",
                kind == "direct" ? "-" : $"{Median(own.Zip(direct, (l, d) => l.P50 - d.P50)):+0;-0} / {Median(own.Zip(direct, (l, d) => l.P99 - d.P99)):+0;-0}",
                rate.ToString("0", CultureInfo.InvariantCulture),
                idle, afterClose,
            ]);
            output.WriteLine($"  measured {kind}");
        }
        output.WriteLine();
        output.WriteLine($"Relay on loopback, {Environment.ProcessorCount} cores, {options.Seconds:0.#} s per figure in {rounds} interleaved round(s), medians{(options.Smoke ? " (SMOKE: sizes too small to mean anything)" : "")}:");
        Table.Write(output, ["relay", "1 stream Gbit/s", "8 streams Gbit/s", "ping-pong p50/p99/p99.9 µs", "added p50/p99 µs",
            "short conns/s", $"{idleSessions} idle: KB/session", "RSS before / open / closed"], rows);
        return 0;
    }

    /// <summary>The pause before each measurement slot, for the previous slot's connections to close.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(250);

    /// <summary>The relays in the order a round measures them: shuffled, the same for the same round in every run.</summary>
    internal static string[] RoundOrder(IReadOnlyList<string> kinds, int round)
    {
        string[] order = [.. kinds];
        new Random(7919 + round).Shuffle(order);
        return order;
    }

    /// <summary>The median (the mean of the middle two for an even count).</summary>
    internal static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        if (sorted.Length == 0) throw new ArgumentException("no values", nameof(values));
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static string Gbit(double bytesPerSecond) => (bytesPerSecond * 8 / 1e9).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Bytes per second: each stream sends for the given time, half-closes, and the sink's count is what arrived.</summary>
    private static async Task<double> ThroughputAsync(IPEndPoint endpoint, int streams, double seconds)
    {
        byte[] block = new byte[128 * 1024];
        Random.Shared.NextBytes(block);
        var clock = Stopwatch.StartNew();
        long[] counts = await Task.WhenAll(Enumerable.Range(0, streams).Select(async _ =>
        {
            using var s = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await s.ConnectAsync(endpoint);
            var until = TimeSpan.FromSeconds(seconds);
            while (clock.Elapsed < until) await s.SendAsync(block, SocketFlags.None);
            s.Shutdown(SocketShutdown.Send);
            byte[] count = new byte[8];
            int got = 0;
            while (got < 8)
            {
                int n = await s.ReceiveAsync(count.AsMemory(got), SocketFlags.None);
                if (n == 0) throw new IOException("the relay closed before the sink answered");
                got += n;
            }
            return BinaryPrimitives.ReadInt64BigEndian(count);
        }));
        return counts.Sum() / clock.Elapsed.TotalSeconds;
    }

    private sealed record LatencyResult(double P50, double P99, double P999);

    /// <summary>
    /// 64 bytes out, 64 back, one at a time; microseconds per round trip. The client blocks in
    /// send and receive on a thread of its own, as a request/response client does: an
    /// asynchronous client would add its own thread hand-offs to every round trip it measures.
    /// </summary>
    private static Task<LatencyResult> LatencyAsync(IPEndPoint endpoint, double seconds) =>
        Task.Factory.StartNew(() => Latency(endpoint, seconds), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static LatencyResult Latency(IPEndPoint endpoint, double seconds)
    {
        using var s = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        s.Connect(endpoint);
        byte[] ping = new byte[64];
        byte[] pong = new byte[64];
        var samples = new List<double>();
        var clock = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(seconds);
        int warmUp = 200;
        while (clock.Elapsed < until || samples.Count < 100)
        {
            long start = Stopwatch.GetTimestamp();
            s.Send(ping);
            int got = 0;
            while (got < 64)
            {
                int n = s.Receive(pong, got, 64 - got, SocketFlags.None);
                if (n == 0) throw new IOException("the echo closed");
                got += n;
            }
            if (warmUp-- > 0) continue;
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        samples.Sort();
        return new LatencyResult(Percentile(samples, 0.50), Percentile(samples, 0.99), Percentile(samples, 0.999));
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    /// <summary>Connections per second, 8 at a time: connect, read the banner, close.</summary>
    private static async Task<double> ShortConnectionsAsync(IPEndPoint endpoint, double seconds)
    {
        long done = 0;
        var clock = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            byte[] buffer = new byte[256];
            while (clock.Elapsed < until)
            {
                using var s = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await s.ConnectAsync(endpoint);
                int n = await s.ReceiveAsync(buffer, SocketFlags.None);
                if (n == 0) throw new IOException("closed before the banner");
                Interlocked.Increment(ref done);
            }
        }));
        return done / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Opens sessions that stay idle after the banner; resident memory per session, and what remains after they close.</summary>
    private static async Task<(string PerSession, string AfterClose)> IdleSessionsAsync(Relay relay, int count)
    {
        await Task.Delay(1000); // let the short-connection storm settle
        long before = relay.ResidentBytes();
        var sockets = new List<Socket>();
        byte[] buffer = new byte[256];
        for (int i = 0; i < count; i++)
        {
            var s = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await s.ConnectAsync(relay.Endpoint);
            if (await s.ReceiveAsync(buffer, SocketFlags.None) == 0) throw new IOException("closed before the banner");
            sockets.Add(s);
        }
        await Task.Delay(500);
        long open = relay.ResidentBytes();
        foreach (Socket s in sockets) s.Dispose();
        await Task.Delay(2000);
        long after = relay.ResidentBytes();
        return ($"{(open - before) / 1024.0 / count:0.0}", $"{before / 1048576.0:0} -> {open / 1048576.0:0} -> {after / 1048576.0:0} MB");
    }
}

/// <summary>A plain-text table with aligned columns.</summary>
internal static class Table
{
    public static void Write(TextWriter output, string[] header, List<string[]> rows)
    {
        int[] widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        output.WriteLine("| " + string.Join(" | ", header.Select((h, i) => h.PadRight(widths[i]))) + " |");
        output.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (string[] r in rows) output.WriteLine("| " + string.Join(" | ", r.Select((c, i) => c.PadRight(widths[i]))) + " |");
    }
}
