using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Inspector.Core.Findings;
using Inspector.Core.Timeline;

namespace Inspector.Proxy.Tests;

/// <summary>The relay forwards every byte unchanged, passes half-closes and resets on, and never hangs.</summary>
public class RelayTests
{
    [Fact(Timeout = 180_000)]
    public async Task Two_hundred_concurrent_sessions_arrive_byte_for_byte_with_half_closes_both_ways()
    {
        var received = new System.Collections.Concurrent.ConcurrentDictionary<string, byte[]>();
        var sentByServer = new System.Collections.Concurrent.ConcurrentDictionary<string, byte[]>();
        await using var upstream = new TestServer(async s =>
        {
            // The server streams its own random bytes while reading the client's, and half-closes when done.
            var random = new Random(s.RemoteEndPoint!.GetHashCode());
            byte[] mine = RandomNumberGenerator.GetBytes(random.Next(0, 200_000));
            Task<byte[]> reading = SocketIo.ReadToEndAsync(s);
            await SocketIo.SendInPiecesAsync(s, mine, random);
            s.Shutdown(SocketShutdown.Send);
            byte[] theirs = await reading;
            string key = Convert.ToHexString(SHA256.HashData(theirs));
            received[key] = theirs;
            sentByServer[key] = mine;
        });
        await using var proxy = new ProxyHarness(upstream.Endpoint);

        var sessions = Enumerable.Range(0, 200).Select(async i =>
        {
            var random = new Random(i);
            byte[] payload = RandomNumberGenerator.GetBytes(random.Next(1, 200_000));
            using Socket c = await proxy.ConnectAsync();
            Task<byte[]> reading = SocketIo.ReadToEndAsync(c);
            await SocketIo.SendInPiecesAsync(c, payload, random);
            c.Shutdown(SocketShutdown.Send);
            byte[] back = await reading;
            return (payload, back);
        }).ToList();
        var results = await Task.WhenAll(sessions).WaitAsync(TimeSpan.FromSeconds(120));
        // Each client has what its server sent; a server may still be reading the client's last bytes.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (received.Count < 200 && DateTime.UtcNow < deadline) await Task.Delay(20);
        await proxy.StopAsync();

        foreach ((byte[] payload, byte[] back) in results)
        {
            string key = Convert.ToHexString(SHA256.HashData(payload));
            Assert.True(received.TryGetValue(key, out byte[]? atServer), "the server never received this client's bytes intact");
            Assert.Equal(payload, atServer);
            Assert.Equal(sentByServer[key], back);
        }
        Assert.Equal(200, proxy.Sink.Ended.Count);
        Assert.Equal(0, proxy.Server.ActiveSessions);
        Assert.DoesNotContain(proxy.Sink.Findings, f => f.Name == FindingCatalog.AnalysisOverflow);
    }

    [Fact(Timeout = 180_000)]
    public async Task Stopping_the_relay_mid_session_resets_both_peers_and_reports_it()
    {
        var serverSaw = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = new TestServer(async s =>
        {
            try
            {
                await SocketIo.ReadToEndAsync(s);
                serverSaw.SetResult(null);
            }
            catch (SocketException e)
            {
                serverSaw.SetResult(e);
            }
        });
        var proxy = new ProxyHarness(upstream.Endpoint);
        using Socket c = await proxy.ConnectAsync();
        await c.SendAsync(new byte[1000], SocketFlags.None); // an upload in progress
        await Task.Delay(200);
        await proxy.StopAsync();

        // Neither peer may take the cut for a normal end (a FIN would look like a complete upload).
        Exception? atServer = await serverSaw.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.IsType<SocketException>(atServer);
        await Assert.ThrowsAsync<SocketException>(() => SocketIo.ReadToEndAsync(c).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains(proxy.Sink.Findings, f => f.Name == FindingCatalog.ProxyStopped);
        await proxy.DisposeAsync();
    }

    [Fact(Timeout = 180_000)]
    public async Task Server_half_close_first_keeps_the_client_direction_flowing()
    {
        byte[] late = RandomNumberGenerator.GetBytes(300_000);
        var gotLate = new TaskCompletionSource<byte[]>();
        await using var upstream = new TestServer(async s =>
        {
            await s.SendAsync("220 bye soon\r\n"u8.ToArray(), SocketFlags.None);
            s.Shutdown(SocketShutdown.Send);
            gotLate.SetResult(await SocketIo.ReadToEndAsync(s));
        });
        await using var proxy = new ProxyHarness(upstream.Endpoint);
        using Socket c = await proxy.ConnectAsync();

        byte[] greeting = await SocketIo.ReadToEndAsync(c).WaitAsync(TimeSpan.FromSeconds(10));
        await SocketIo.SendInPiecesAsync(c, late, new Random(1));
        c.Shutdown(SocketShutdown.Send);

        Assert.Equal("220 bye soon\r\n"u8.ToArray(), greeting);
        Assert.Equal(late, await gotLate.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact(Timeout = 180_000)]
    public async Task A_server_reset_reaches_the_client_as_a_reset()
    {
        await using var upstream = new TestServer(async s =>
        {
            await s.SendAsync("220 hi\r\n"u8.ToArray(), SocketFlags.None);
            byte[] buffer = new byte[100];
            await s.ReceiveAsync(buffer, SocketFlags.None);
            s.LingerState = new LingerOption(true, 0);
            s.Close();
        });
        await using var proxy = new ProxyHarness(upstream.Endpoint);
        using Socket c = await proxy.ConnectAsync();
        var buffer = new byte[100];
        await c.ReceiveAsync(buffer, SocketFlags.None);
        await c.SendAsync("USER x\r\n"u8.ToArray(), SocketFlags.None);

        var e = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            while (await c.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(10)) > 0) { }
        });
        Assert.Equal(SocketError.ConnectionReset, e.SocketErrorCode);
        await proxy.StopAsync();
        Assert.Contains(proxy.Sink.Events, ev => ev.Kind == EventKinds.TcpReset && ev.Direction == Core.Model.Direction.ServerToClient);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_client_reset_reaches_the_server_as_a_reset()
    {
        var serverSaw = new TaskCompletionSource<SocketError>();
        await using var upstream = new TestServer(async s =>
        {
            await s.SendAsync("220 hi\r\n"u8.ToArray(), SocketFlags.None);
            var buffer = new byte[100];
            try
            {
                while (await s.ReceiveAsync(buffer, SocketFlags.None) > 0) { }
                serverSaw.SetResult(SocketError.Success);
            }
            catch (SocketException e)
            {
                serverSaw.SetResult(e.SocketErrorCode);
            }
        });
        await using var proxy = new ProxyHarness(upstream.Endpoint);
        Socket c = await proxy.ConnectAsync();
        await c.ReceiveAsync(new byte[100], SocketFlags.None);
        c.LingerState = new LingerOption(true, 0);
        c.Close();

        Assert.Equal(SocketError.ConnectionReset, await serverSaw.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact(Timeout = 180_000)]
    public async Task An_upstream_that_refuses_is_reported_and_the_client_is_closed_at_once()
    {
        // A port nothing listens on: bind, note the port, close.
        var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var dead = (IPEndPoint)probe.LocalEndPoint!;
        probe.Dispose();
        await using var proxy = new ProxyHarness(dead);

        int n;
        try
        {
            // The relay resets the client at once: on a busy machine before the connect returns.
            using Socket c = await proxy.ConnectAsync();
            n = await c.ReceiveAsync(new byte[10], SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (SocketException)
        {
            n = -1; // reset: also closed at once
        }
        Assert.True(n <= 0);
        await proxy.StopAsync();
        Finding f = Assert.Single(proxy.Sink.Findings, f => f.Name == FindingCatalog.ProxyUpstreamFailed);
        Assert.Equal(Core.Model.Side.Server, f.Side);
        Assert.Contains("ConnectionRefused", f.Summary);
    }

    [Fact(Timeout = 180_000)]
    public async Task Clients_beyond_the_session_limit_are_refused_and_reported()
    {
        var release = new TaskCompletionSource();
        await using var upstream = new TestServer(async _ => await release.Task);
        await using var proxy = new ProxyHarness(upstream.Endpoint, o => o with { MaxSessions = 2 });
        using Socket a = await proxy.ConnectAsync(), b = await proxy.ConnectAsync();
        await Task.Delay(200);
        using Socket third = await proxy.ConnectAsync();
        int n = await third.ReceiveAsync(new byte[10], SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, n);
        release.SetResult();
        a.Close();
        b.Close();
        await proxy.StopAsync();
        Assert.Single(proxy.Sink.Findings, f => f.Name == FindingCatalog.ProxySessionLimit);
    }

    [Fact(Timeout = 180_000)]
    public async Task Idle_sessions_are_closed_and_reported()
    {
        await using var upstream = new TestServer(async s => await SocketIo.ReadToEndAsync(s));
        await using var proxy = new ProxyHarness(upstream.Endpoint, o => o with { IdleTimeout = TimeSpan.FromMilliseconds(600) });
        using Socket c = await proxy.ConnectAsync();
        int n = await c.ReceiveAsync(new byte[10], SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, n);
        await proxy.StopAsync();
        Assert.Single(proxy.Sink.Findings, f => f.Name == FindingCatalog.ProxyIdleTimeout);
    }

    [Fact(Timeout = 180_000)]
    public async Task A_session_that_keeps_sending_is_not_idle_and_is_closed_a_timeout_after_it_stops()
    {
        await using var upstream = new TestServer(async s => await SocketIo.ReadToEndAsync(s));
        var timeout = TimeSpan.FromMilliseconds(1500);
        await using var proxy = new ProxyHarness(upstream.Endpoint, o => o with { IdleTimeout = timeout });
        using Socket c = await proxy.ConnectAsync();
        Task<int> receive = c.ReceiveAsync(new byte[10], SocketFlags.None);
        // Three timeouts' worth of a byte every 100 ms, from a thread of its own (a thread-pool
        // timer can be late by more than a timeout while the test host starts): the watcher, woken
        // a timeout after the session opened, finds recent bytes and waits for the rest of a
        // timeout after them, again and again.
        var lastSent = System.Diagnostics.Stopwatch.StartNew();
        var sender = new Thread(() =>
        {
            for (int i = 0; i < 45 && !receive.IsCompleted; i++)
            {
                c.Send("x"u8);
                lastSent.Restart();
                Thread.Sleep(100);
            }
        });
        sender.Start();
        await Task.Run(sender.Join);
        if (receive.IsCompleted) Assert.Fail($"closed while the client sent: {await Outcome(receive)}");
        Assert.Equal(0, await receive.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.True(lastSent.Elapsed >= timeout, $"closed {lastSent.Elapsed.TotalMilliseconds:0} ms after the last byte");
        await proxy.StopAsync();
        Assert.Single(proxy.Sink.Findings, f => f.Name == FindingCatalog.ProxyIdleTimeout);
    }

    private static async Task<string> Outcome(Task<int> receive)
    {
        try
        {
            return $"received {await receive} bytes";
        }
        catch (Exception e)
        {
            return e.Message;
        }
    }
}
