using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace Inspector.Proxy.Tests;

/// <summary>
/// Many sessions at once through the relay. Reduced by default (CI); <c>INSPECTOR_FULL_LOAD=1</c>
/// runs 1,000 sessions. Runs alone: it measures this process's heap.
/// </summary>
[Collection(nameof(MemoryMeasurement))]
public class LoadTests(ITestOutputHelper output)
{
    [Fact(Timeout = 600_000)]
    public async Task Concurrent_sessions_move_random_data_both_ways_with_half_closes_intact()
    {
        Measure.RaiseFileLimit(65536);
        int sessions = LoadSize.Pick(200, 1000);
        const int MaxSize = 256 * 1024;
        var received = new ConcurrentDictionary<int, (long Count, byte[] Hash)>();
        await using var upstream = new TestServer(async s =>
        {
            using var net = new NetworkStream(s, ownsSocket: false);
            byte[] header = new byte[12];
            await net.ReadExactlyAsync(header);
            int seed = BitConverter.ToInt32(header, 0), down = BitConverter.ToInt32(header, 8);
            Task<(long, byte[])> reading = Bytes.ReadAsync(net);
            await Bytes.SendAsync(net, seed + 1, down);
            s.Shutdown(SocketShutdown.Send); // half-close: the client may still be sending
            received[seed] = await reading;
        });
        await using var proxy = new ProxyHarness(upstream.Endpoint, o => o with { MaxSessions = sessions + 16 }, keepOutputs: false);
        long heapBefore = Measure.SettledHeap();
        long moved = 0;
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(1, sessions).Select(async seed =>
        {
            var random = new Random(seed);
            int up = random.Next(0, MaxSize), down = random.Next(0, MaxSize);
            Interlocked.Add(ref moved, up + down);
            using Socket c = await proxy.ConnectAsync();
            using var net = new NetworkStream(c, ownsSocket: false);
            byte[] header = new byte[12];
            BitConverter.TryWriteBytes(header.AsSpan(0), seed);
            BitConverter.TryWriteBytes(header.AsSpan(4), up);
            BitConverter.TryWriteBytes(header.AsSpan(8), down);
            Task<(long Count, byte[] Hash)> reading = Bytes.ReadAsync(net);
            await net.WriteAsync(header);
            await Bytes.SendAsync(net, seed, up);
            c.Shutdown(SocketShutdown.Send); // half-close: the server's bytes keep coming
            (long count, byte[] hash) = await reading;
            Assert.Equal(down, count);
            Assert.Equal(Bytes.Hash(seed + 1, down), hash);
        })).WaitAsync(TimeSpan.FromSeconds(300));
        double relaySeconds = clock.Elapsed.TotalSeconds;
        await Measure.UntilAsync(() => received.Count == sessions);
        await proxy.WaitIdleAsync();
        await Measure.UntilAsync(() => proxy.Sink.EndedCount == sessions, 120);
        double analysisSeconds = clock.Elapsed.TotalSeconds;
        await proxy.StopAsync();
        long heapAfter = Measure.SettledHeap();

        output.WriteLine($"{sessions} concurrent sessions, {Measure.Mb(moved)} both ways, relayed and verified in {relaySeconds:0.0} s, "
            + $"analysis done at {analysisSeconds:0.0} s; heap {Measure.Mb(heapBefore)} -> {Measure.Mb(heapAfter)} after");
        Assert.Equal(sessions, received.Count);
        for (int seed = 1; seed <= sessions; seed++)
        {
            var random = new Random(seed);
            int up = random.Next(0, MaxSize);
            Assert.Equal(up, received[seed].Count);
            Assert.Equal(Bytes.Hash(seed, up), received[seed].Hash);
        }
        Assert.Equal(sessions, proxy.Sink.EndedCount);
    }

    [Fact(Timeout = 300_000)]
    public async Task Memory_per_idle_relayed_session()
    {
        Measure.RaiseFileLimit(65536);
        int sessions = LoadSize.Pick(200, 1000);
        int handlers = 0;
        await using var upstream = new TestServer(async s =>
        {
            Interlocked.Increment(ref handlers);
            // Waits without a buffer, so the upstream's handlers cost the same whether the relay is there or not.
            await s.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);
            await SocketIo.ReadToEndAsync(s);
        });
        await using var proxy = new ProxyHarness(upstream.Endpoint, o => o with { MaxSessions = sessions + 16 }, keepOutputs: false);
        // Warm-up: pools, JIT, thread-pool threads.
        await OpenAndCloseAsync(upstream.Endpoint, proxy, sessions / 4, measure: false, () => handlers);
        await OpenAndCloseAsync(proxy.Endpoint, proxy, sessions / 4, measure: false, () => handlers);

        // The same number of direct connections first: the test's own client sockets and upstream
        // handlers cost the same in both, so the difference is the relay's.
        (long directHeap, long directWs) = await OpenAndCloseAsync(upstream.Endpoint, proxy, sessions, measure: true, () => handlers);
        (long relayedHeap, long relayedWs) = await OpenAndCloseAsync(proxy.Endpoint, proxy, sessions, measure: true, () => handlers);
        await proxy.WaitIdleAsync();
        await proxy.StopAsync();

        double heapEach = (relayedHeap - directHeap) / (double)sessions, wsEach = (relayedWs - directWs) / (double)sessions;
        output.WriteLine($"{sessions} idle sessions: heap {directHeap / (double)sessions / 1024:0.0} KB each direct, {relayedHeap / (double)sessions / 1024:0.0} KB each relayed "
            + $"({heapEach / 1024:0.0} KB the relay's); working set {directWs / (double)sessions / 1024:0.0} KB vs {relayedWs / (double)sessions / 1024:0.0} KB ({wsEach / 1024:0.0} KB the relay's)");
        // Two sockets, two pumps and a session's analysis state; the pumps hold no read buffer while idle (64 KB each otherwise).
        Assert.True(heapEach < 48 * 1024, $"an idle relayed session holds {heapEach / 1024:0.0} KB of heap");
    }

    /// <summary>Opens <paramref name="count"/> idle connections to <paramref name="target"/>, measures the heap growth, closes them.</summary>
    private static async Task<(long Heap, long WorkingSet)> OpenAndCloseAsync(IPEndPoint target, ProxyHarness proxy, int count, bool measure, Func<int> handlers)
    {
        int started = handlers();
        long heap0 = measure ? Measure.SettledHeap() : 0, ws0 = measure ? Measure.WorkingSet() : 0;
        using var gate = new SemaphoreSlim(64);
        Socket[] open = await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                var s = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                await s.ConnectAsync(target);
                return s;
            }
            finally
            {
                gate.Release();
            }
        })).WaitAsync(TimeSpan.FromSeconds(120));
        if (target.Equals(proxy.Endpoint)) await Measure.UntilAsync(() => proxy.Server.ActiveSessions == count, 60);
        await Measure.UntilAsync(() => handlers() == started + count, 60); // every upstream handler is waiting
        long heap = measure ? Measure.SettledHeap() - heap0 : 0, ws = measure ? Measure.WorkingSet() - ws0 : 0;
        foreach (Socket s in open) s.Dispose();
        await proxy.WaitIdleAsync();
        return (heap, ws);
    }
}
