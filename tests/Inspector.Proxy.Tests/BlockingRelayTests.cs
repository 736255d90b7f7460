using System.Net.Sockets;
using System.Security.Cryptography;
using Inspector.Core.Findings;
using Inspector.Core.Sessions;
using static Inspector.Proxy.Tests.ThreadRelaySupport;

namespace Inspector.Proxy.Tests;

/// <summary>Runs alone: it counts the process's relay threads and hand-overs, which other tests' sessions would change.</summary>
[CollectionDefinition(nameof(RelayThreadCounting), DisableParallelization = true)]
public sealed class RelayThreadCounting;

/// <summary>
/// A session starts on two blocking threads and, once quiet, goes on with the asynchronous
/// pumps: the bytes are the same either way, across the hand-over, and the threads go back.
/// </summary>
[Collection(nameof(RelayThreadCounting))]
public class BlockingRelayTests
{
    [Fact(Timeout = 60_000)]
    public async Task An_exchange_runs_on_two_threads_and_after_a_quiet_spell_goes_on_without_them()
    {
        await using var upstream = new TestServer(Echo);
        // A second of quiet, not a quarter: a slow machine's pause between two messages is no hand-over.
        await using var proxy = new ProxyHarness(upstream.Endpoint, o => o with { ThreadQuiet = TimeSpan.FromSeconds(1) });
        await WaitForAsync(() => RelayThreads.Busy == 0, "threads of earlier tests still busy");
        long handOversBefore = Relay.HandOvers;

        using Socket c = await proxy.ConnectAsync();
        var random = new Random(7);
        await ExchangeAsync(c, random, 200);
        Assert.Equal(2, RelayThreads.Busy);
        Assert.Equal(handOversBefore, Relay.HandOvers);

        // Quiet for longer than a thread waits: the session is handed over and the threads go back.
        await WaitForAsync(() => Relay.HandOvers == handOversBefore + 1 && RelayThreads.Busy == 0, "the quiet session was not handed over");

        // The same session goes on, asynchronously, byte for byte.
        await ExchangeAsync(c, random, 200);
        Assert.Equal(0, RelayThreads.Busy);
        c.Shutdown(SocketShutdown.Send);
        Assert.Empty(await SocketIo.ReadToEndAsync(c));
        await WaitForAsync(() => proxy.Sink.Ended.Count == 1, "the session did not end");
        (SessionInfo session, SessionSummary summary) = proxy.Sink.Ended.Single();
        Assert.Equal(summary.ClientBytes, summary.ServerBytes);
        Assert.DoesNotContain(proxy.Sink.FindingsOf(session.Id), f => f.Name == FindingCatalog.AnalysisOverflow);
    }

    [Fact(Timeout = 60_000)]
    public async Task Bulk_both_ways_while_the_threads_hand_over_arrives_intact()
    {
        // The server sends 3 MB after a pause longer than the quiet time, while the client keeps
        // sending: one direction times out and hands over while the other is busy on its thread.
        byte[] fromServer = RandomNumberGenerator.GetBytes(3 << 20);
        byte[] fromClient = RandomNumberGenerator.GetBytes(3 << 20);
        byte[]? atServer = null;
        await using var upstream = new TestServer(async s =>
        {
            Task<byte[]> reading = SocketIo.ReadToEndAsync(s);
            await Task.Delay(new ProxyOptions().ThreadQuiet * 3);
            await SocketIo.SendInPiecesAsync(s, fromServer, new Random(1));
            s.Shutdown(SocketShutdown.Send);
            atServer = await reading;
        });
        await using var proxy = new ProxyHarness(upstream.Endpoint);
        long handOversBefore = Relay.HandOvers;

        using Socket c = await proxy.ConnectAsync();
        Task<byte[]> back = SocketIo.ReadToEndAsync(c);
        var random = new Random(2);
        for (int pos = 0; pos < fromClient.Length;)
        {
            int n = Math.Min(fromClient.Length - pos, random.Next(1, 40_000));
            pos += await c.SendAsync(fromClient.AsMemory(pos, n), SocketFlags.None);
            await Task.Delay(random.Next(0, 2));
        }
        c.Shutdown(SocketShutdown.Send);
        Assert.Equal(fromServer, await back);
        await WaitForAsync(() => atServer is not null, "the server did not read to the end");
        Assert.Equal(fromClient, atServer);
        Assert.Equal(handOversBefore + 1, Relay.HandOvers);
    }

    [Fact(Timeout = 60_000)]
    public async Task Stopping_the_relay_wakes_threads_blocked_in_receive_and_resets_both_sides()
    {
        var serverSaw = new TaskCompletionSource<SocketError>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = new TestServer(async s =>
        {
            var buffer = new byte[64];
            try
            {
                while (await s.ReceiveAsync(buffer, SocketFlags.None) > 0)
                {
                }
                serverSaw.TrySetResult(SocketError.Success);
            }
            catch (SocketException e)
            {
                serverSaw.TrySetResult(e.SocketErrorCode);
            }
        });
        // Threads that would wait half a minute for the receive timeout: only the wake-up ends them sooner.
        await using var proxy = new ProxyHarness(upstream.Endpoint, o => o with { ThreadQuiet = TimeSpan.FromSeconds(30) });
        using Socket c = await proxy.ConnectAsync();
        await c.SendAsync("USER x\r\n"u8.ToArray(), SocketFlags.None);
        await WaitForAsync(() => RelayThreads.Busy == 2, "the session's threads did not start");

        // Both threads wait in recv; the stop must end them at once and reset both connections.
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await proxy.StopAsync();
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"the stop took {stopping.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(SocketError.ConnectionReset, await serverSaw.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        var clientError = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            var buffer = new byte[64];
            while (await c.ReceiveAsync(buffer, SocketFlags.None) > 0)
            {
            }
        });
        Assert.Equal(SocketError.ConnectionReset, clientError.SocketErrorCode);
        Assert.Contains(proxy.Sink.Findings, f => f.Name == FindingCatalog.ProxyStopped);
        await WaitForAsync(() => RelayThreads.Busy == 0, "the threads did not go back");
    }

    [Fact(Timeout = 60_000)]
    public async Task Sessions_beyond_the_thread_budget_are_relayed_asynchronously()
    {
        await using var upstream = new TestServer(Echo);
        // Threads that never go quiet, however slow the machine: the budget is what is tested.
        await using var proxy = new ProxyHarness(upstream.Endpoint, o => o with { ThreadQuiet = TimeSpan.FromMinutes(5) });
        await WaitForAsync(() => RelayThreads.Busy == 0 && RelayThreads.Reserved == 0, "threads of earlier tests still busy");
        int sessions = RelayThreads.MaxRelaying / 2 + 5;
        var clients = new List<Socket>();
        try
        {
            for (int i = 0; i < sessions; i++)
            {
                Socket c = await proxy.ConnectAsync();
                clients.Add(c);
                await ExchangeAsync(c, new Random(i), 3);
            }
            // Every session works; only the budget's worth run on threads.
            Assert.Equal(RelayThreads.MaxRelaying, RelayThreads.Busy);
            for (int i = 0; i < sessions; i++) await ExchangeAsync(clients[i], new Random(100 + i), 3);
        }
        finally
        {
            foreach (Socket c in clients) c.Dispose();
        }
        // A thread's share of the budget goes back just after its work ends.
        await WaitForAsync(() => RelayThreads.Busy == 0 && RelayThreads.Reserved == 0, "the threads did not go back");
        // The budget is whole again: a new session gets its two threads.
        using Socket again = await proxy.ConnectAsync();
        await ExchangeAsync(again, new Random(9), 3);
        Assert.Equal(2, RelayThreads.Busy);
        // Closed before the relay stops (a stop would reset the echo server's connection).
        again.Shutdown(SocketShutdown.Send);
        Assert.Empty(await SocketIo.ReadToEndAsync(again));
    }
}
