using Xunit.Abstractions;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Inspector.Proxy.Tests;

/// <summary>Runs alone: it measures this process's managed heap, which other tests would disturb.</summary>
[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement;

/// <summary>A closed session gives back everything it held: relay buffers, analysis state, queue entries.</summary>
[Collection(nameof(MemoryMeasurement))]
public class RelayMemoryTests(ITestOutputHelper output)
{
    [Fact(Timeout = 180_000)]
    public async Task Memory_does_not_grow_with_sessions_that_have_closed()
    {
        await using var upstream = new TestServer(async s =>
        {
            var random = new Random(s.RemoteEndPoint!.GetHashCode());
            Task<byte[]> reading = SocketIo.ReadToEndAsync(s);
            await SocketIo.SendInPiecesAsync(s, RandomNumberGenerator.GetBytes(random.Next(0, 50_000)), random);
            s.Shutdown(SocketShutdown.Send);
            await reading;
        });
        await using var proxy = new ProxyHarness(upstream.Endpoint, keepOutputs: false);

        const int perRound = 200, rounds = 20;
        // Warm-up: pools, JIT, thread-pool threads and socket caches reach their working size.
        for (int r = 0; r < 4; r++) await RoundAsync(proxy, 100 + r, perRound);
        var heap = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            await RoundAsync(proxy, r + 2, perRound);
            heap.Add(SettledHeap());
        }

        // What each closed session left behind: the median growth from one round to the next. A leak
        // adds to every round; bounded pools (the shared array pool's per-core stacks, filled from
        // whichever cores the relay's threads ran on) fill in one or two steps of a megabyte or two
        // and then stay, which a line fitted through all rounds would count as growth.
        double[] growth = [.. Enumerable.Range(1, rounds - 1).Select(i => heap[i] - heap[i - 1]).Order()];
        double perRoundGrowth = (growth[(growth.Length - 1) / 2] + growth[growth.Length / 2]) / 2;
        double bytesPerSession = perRoundGrowth / perRound;
        output.WriteLine($"managed heap after each round of {perRound} sessions: {string.Join(", ", heap.Select(h => $"{h / 1024:0} KB"))}; "
            + $"median growth {bytesPerSession:0} bytes per closed session");
        // Round-to-round noise is a few hundred KB (under about 200 bytes per session on the slope);
        // a session that leaked its analyzer, buffers, sockets or queue entry would leave several KB.
        Assert.True(bytesPerSession < 512, $"the heap grows by {bytesPerSession:0} bytes per closed session");
        Assert.Equal(0, proxy.Server.ActiveSessions);
    }

    private static async Task RoundAsync(ProxyHarness proxy, int round, int count)
    {
        int target = proxy.Sink.EndedCount + count;
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            var random = new Random(round * 10_000 + i);
            using Socket c = await proxy.ConnectAsync();
            Task<byte[]> reading = SocketIo.ReadToEndAsync(c);
            await SocketIo.SendInPiecesAsync(c, RandomNumberGenerator.GetBytes(random.Next(1, 50_000)), random);
            c.Shutdown(SocketShutdown.Send);
            await reading;
        })).WaitAsync(TimeSpan.FromSeconds(60));
        // The analysis runs behind the relay: wait until it has ended every session.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (proxy.Sink.EndedCount < target && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(target, proxy.Sink.EndedCount);
        while (proxy.Server.ActiveSessions > 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
    }

    private static long SettledHeap()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
