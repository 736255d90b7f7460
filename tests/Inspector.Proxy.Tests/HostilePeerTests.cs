using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Xunit.Abstractions;

namespace Inspector.Proxy.Tests;

/// <summary>
/// Hostile peers against the relay, each while a normal FTPS client (a real TLS handshake and a
/// transfer both ways, checked by SHA-256) works through the same proxy. Reduced sizes by
/// default; <c>INSPECTOR_FULL_LOAD=1</c> runs the full ones. Runs alone: it measures this
/// process's heap.
/// </summary>
[Collection(nameof(MemoryMeasurement))]
public class HostilePeerTests(ITestOutputHelper output)
{
    private const int NormalUp = 2 * 1024 * 1024, NormalDown = 2 * 1024 * 1024;

    private static Task NormalClientAsync(ProxyHarness proxy, int seed) =>
        NormalFtpsClient.RunAsync(proxy.Endpoint, seed, NormalUp, NormalDown).WaitAsync(TimeSpan.FromSeconds(60));

    private static async Task<(Socket Socket, NetworkStream Net)> ConnectGreetedAsync(ProxyHarness proxy)
    {
        Socket s = await proxy.ConnectAsync();
        var net = new NetworkStream(s, ownsSocket: false);
        await NormalFtpsClient.ExpectLineAsync(net, "220 ").WaitAsync(TimeSpan.FromSeconds(30));
        return (s, net);
    }

    /// <summary>
    /// The one session that reported <paramref name="name"/>; no other session reported anything at
    /// warning or above, except that its analysis may have skipped bytes (inspector.analysis_overflow):
    /// one consumer analyses every session, so a hostile session's flood can delay the others'
    /// analysis, never their relaying.
    /// </summary>
    private static long OnlySessionWith(ProxyHarness proxy, string name)
    {
        List<(long Session, Finding Finding)> all = [.. proxy.Sink.Ended.SelectMany(e => proxy.Sink.FindingsOf(e.Session.Id).Select(f => (e.Session.Id, f)))];
        long hostile = Assert.Single(all.Where(x => x.Finding.Name == name).Select(x => x.Session).Distinct());
        Assert.DoesNotContain(all, x => x.Session != hostile && x.Finding.Severity >= Severity.Warning && x.Finding.Name != FindingCatalog.AnalysisOverflow);
        return hostile;
    }

    private void Show(ProxyHarness proxy, long session)
    {
        foreach (Finding f in proxy.Sink.FindingsOf(session)) output.WriteLine($"  session {session}: {f.Name} ({f.Severity}, {f.Side}): {f.Summary}");
    }

    [Fact(Timeout = 300_000)]
    public async Task An_endless_line_is_reported_once_relayed_intact_and_held_in_bounded_memory()
    {
        long length = LoadSize.Pick(64L << 20, 1L << 30);
        await using var upstream = new MiniFtpsServer();
        await using var proxy = new ProxyHarness(upstream.Endpoint);
        await NormalClientAsync(proxy, 1); // warm-up: TLS, pools, JIT
        long heapBefore = Measure.SettledHeap(), wsBefore = Measure.WorkingSet();
        var clock = Stopwatch.StartNew();

        (Socket s, NetworkStream net) = await ConnectGreetedAsync(proxy);
        long heapMid = 0, wsMid = 0;
        Task normal = Task.CompletedTask;
        byte[] sentHash = await Bytes.SendAsync(net, 11, length, noLf: true, progress: async sent =>
        {
            if (sent != length / 2) return;
            // Half the line is through: the normal client works meanwhile, and the relay holds no more than its buffers.
            normal = NormalClientAsync(proxy, 2);
            await normal;
            heapMid = Measure.SettledHeap();
            wsMid = Measure.WorkingSet();
        }).WaitAsync(TimeSpan.FromSeconds(240));
        s.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, (await Bytes.ReadAsync(net).WaitAsync(TimeSpan.FromSeconds(60))).Count);
        double seconds = clock.Elapsed.TotalSeconds;
        net.Dispose();
        s.Dispose();
        await normal;
        await proxy.WaitIdleAsync();
        await proxy.StopAsync();
        long heapAfter = Measure.SettledHeap();

        output.WriteLine($"{Measure.Mb(length)} without LF relayed in {seconds:0.0} s; heap before {Measure.Mb(heapBefore)}, halfway {Measure.Mb(heapMid)}, "
            + $"after {Measure.Mb(heapAfter)}; working set before {Measure.Mb(wsBefore)}, halfway {Measure.Mb(wsMid)}");
        await Measure.UntilAsync(() => !upstream.Sunk.IsEmpty);
        (long count, byte[] hash, bool reset) = Assert.Single(upstream.Sunk);
        Assert.False(reset);
        Assert.Equal(length, count);
        Assert.Equal(sentHash, hash);
        await Measure.UntilAsync(() => upstream.TlsSessions == 2);
        long hostile = OnlySessionWith(proxy, FindingCatalog.FtpLineTooLong);
        Show(proxy, hostile);
        Assert.Single(proxy.Sink.FindingsOf(hostile), f => f.Name == FindingCatalog.FtpLineTooLong);
        // Bounded: the relay's buffers and at most the analysis queue's share, not the line.
        Assert.True(heapMid - heapBefore < 16 << 20, $"the heap grew by {Measure.Mb(heapMid - heapBefore)} halfway through the line");
    }

    [Fact(Timeout = 300_000)]
    public async Task Thousands_of_silent_connections_past_the_session_limit_leave_the_normal_client_served()
    {
        Measure.RaiseFileLimit(65536);
        int total = LoadSize.Pick(500, 5000), extra = LoadSize.Pick(50, 500), admitted = total - extra;
        await using var upstream = new MiniFtpsServer();
        await using var proxy = new ProxyHarness(upstream.Endpoint, o => o with { MaxSessions = admitted + 1 });
        await NormalClientAsync(proxy, 1);
        await proxy.WaitIdleAsync();
        long heapBefore = Measure.SettledHeap(), wsBefore = Measure.WorkingSet();
        var clock = Stopwatch.StartNew();

        var silent = new List<Socket>();
        using var gate = new SemaphoreSlim(64);
        async Task<Socket> OpenAsync()
        {
            await gate.WaitAsync();
            try
            {
                return await proxy.ConnectAsync();
            }
            finally
            {
                gate.Release();
            }
        }
        silent.AddRange(await Task.WhenAll(Enumerable.Range(0, admitted).Select(_ => OpenAsync())).WaitAsync(TimeSpan.FromSeconds(120)));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (proxy.Server.ActiveSessions < admitted && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(admitted, proxy.Server.ActiveSessions);
        double openSeconds = clock.Elapsed.TotalSeconds;
        long heapOpen = Measure.SettledHeap(), wsOpen = Measure.WorkingSet();

        // The normal client takes the last slot; the extra silent ones are refused while it works.
        Task normal = NormalClientAsync(proxy, 2);
        while (proxy.Server.ActiveSessions < admitted + 1 && DateTime.UtcNow < deadline) await Task.Delay(5);
        Assert.Equal(admitted + 1, proxy.Server.ActiveSessions);
        Socket[] refused = await Task.WhenAll(Enumerable.Range(0, extra).Select(_ => OpenAsync())).WaitAsync(TimeSpan.FromSeconds(120));
        await Task.WhenAll(refused.Select(async r =>
        {
            try
            {
                Assert.Equal(0, await r.ReceiveAsync(new byte[64], SocketFlags.None));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
            }
            r.Dispose();
        })).WaitAsync(TimeSpan.FromSeconds(60));
        await normal;
        double servedSeconds = clock.Elapsed.TotalSeconds;

        foreach (Socket s in silent) s.Dispose();
        await proxy.WaitIdleAsync();
        await proxy.StopAsync();

        output.WriteLine($"{admitted} silent sessions open in {openSeconds:0.0} s, {extra} refused and the normal client served by {servedSeconds:0.0} s; "
            + $"heap {Measure.Mb(heapBefore)} -> {Measure.Mb(heapOpen)} ({(heapOpen - heapBefore) / admitted / 1024.0:0.0} KB per silent session, "
            + $"client and upstream sockets included), working set {Measure.Mb(wsBefore)} -> {Measure.Mb(wsOpen)} ({(wsOpen - wsBefore) / admitted / 1024.0:0.0} KB each)");
        List<Finding> findings = proxy.Sink.Findings;
        Assert.Equal(extra, findings.Count(f => f.Name == FindingCatalog.ProxySessionLimit));
        // Each admitted silent session reached the upstream and ended there (a reset when the silent
        // client closed with the greeting unread, passed on as a reset; otherwise a FIN with nothing sent).
        await Measure.UntilAsync(() => upstream.TlsSessions == 2 && upstream.Sunk.Count + upstream.Failures == admitted);
        Assert.Equal(2, upstream.TlsSessions);
        Assert.Equal(admitted, upstream.Sunk.Count + upstream.Failures);
        Assert.All(upstream.Sunk, x => Assert.Equal(0, x.Count));
    }

    [Fact(Timeout = 300_000)]
    public async Task A_slow_reader_gets_backpressure_and_bounded_relay_memory()
    {
        long length = LoadSize.Pick(256L << 20, 2L << 30);
        await using var upstream = new MiniFtpsServer { FloodBytes = length };
        await using var proxy = new ProxyHarness(upstream.Endpoint);
        await NormalClientAsync(proxy, 1);
        long heapBefore = Measure.SettledHeap(), wsBefore = Measure.WorkingSet();

        (Socket s, NetworkStream net) = await ConnectGreetedAsync(proxy);
        await net.WriteAsync("FLOOD    \n"u8.ToArray());
        // Read a little, then stop reading: the server keeps sending until every buffer on the way is full.
        byte[] first = new byte[1 << 20];
        await net.ReadExactlyAsync(first).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();
        long plateau = -1;
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            long before = upstream.FloodSent;
            await Task.Delay(1000);
            if (upstream.FloodSent == before)
            {
                plateau = before;
                break;
            }
        }
        double stallSeconds = clock.Elapsed.TotalSeconds;
        Assert.True(plateau >= 0, $"the server never stopped sending ({Measure.Mb(upstream.FloodSent)} sent)");
        // Other sessions are unaffected while the slow reader holds its session.
        var normalClock = Stopwatch.StartNew();
        await NormalClientAsync(proxy, 2);
        double normalSeconds = normalClock.Elapsed.TotalSeconds;
        long heapStalled = Measure.SettledHeap(), wsStalled = Measure.WorkingSet();

        // The reader resumes: everything arrives, intact.
        clock.Restart();
        var random = new Random(7);
        byte[] expectedFirst = new byte[first.Length];
        Bytes.Next(random, expectedFirst);
        Assert.Equal(expectedFirst, first);
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        hash.AppendData(first);
        (long rest, byte[] _) = (0, []);
        byte[] chunk = new byte[64 * 1024];
        while (true)
        {
            int n = await net.ReadAsync(chunk).AsTask().WaitAsync(TimeSpan.FromSeconds(60));
            if (n == 0) break;
            hash.AppendData(chunk, 0, n);
            rest += n;
        }
        double drainSeconds = clock.Elapsed.TotalSeconds;
        net.Dispose();
        s.Dispose();
        await proxy.WaitIdleAsync();
        await proxy.StopAsync();

        output.WriteLine($"slow reader: the server stalled after {Measure.Mb(plateau)} of {Measure.Mb(length)} ({stallSeconds:0.0} s to plateau); "
            + $"normal client served in {normalSeconds:0.00} s meanwhile; heap {Measure.Mb(heapBefore)} -> {Measure.Mb(heapStalled)} while stalled, "
            + $"working set {Measure.Mb(wsBefore)} -> {Measure.Mb(wsStalled)}; the rest drained in {drainSeconds:0.0} s");
        Assert.Equal(length, first.Length + rest);
        Assert.Equal(Bytes.Hash(7, length), hash.GetHashAndReset());
        // Backpressure: what left the server is bounded by the socket buffers on the way, not the data size.
        Assert.True(plateau < 64L << 20, $"the server could send {Measure.Mb(plateau)} to a reader that stopped");
        Assert.True(heapStalled - heapBefore < 16 << 20, $"the heap grew by {Measure.Mb(heapStalled - heapBefore)} with a stalled reader");
        await Measure.UntilAsync(() => upstream.TlsSessions == 2);
        Assert.Equal(2, upstream.TlsSessions);
    }

    /// <summary>A stream that resets its socket (RST) once the first bytes from the server have arrived.</summary>
    private sealed class ResetAfterFirstRead(Socket socket, Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int n = await inner.ReadAsync(buffer, cancellationToken);
            Relay.Abort(socket);
            throw new IOException($"reset after the server's first {n} bytes");
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_client_that_resets_mid_handshake_is_reported_and_others_are_unaffected()
    {
        await using var upstream = new MiniFtpsServer();
        await using var proxy = new ProxyHarness(upstream.Endpoint);
        (Socket s, NetworkStream net) = await ConnectGreetedAsync(proxy);
        await net.WriteAsync("AUTH TLS\r\n"u8.ToArray());
        await NormalFtpsClient.ExpectLineAsync(net, "234 ");
        Task normal = NormalClientAsync(proxy, 2);
        using var tls = new SslStream(new ResetAfterFirstRead(s, net));
        await Assert.ThrowsAnyAsync<IOException>(() => tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "inspector-test",
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }).WaitAsync(TimeSpan.FromSeconds(30)));
        await normal;
        net.Dispose();
        s.Dispose();
        await proxy.WaitIdleAsync();
        await proxy.StopAsync();

        long hostile = OnlySessionWith(proxy, FindingCatalog.TlsHandshakeIncomplete);
        Show(proxy, hostile);
        Finding f = Assert.Single(proxy.Sink.FindingsOf(hostile), f => f.Name == FindingCatalog.TlsHandshakeIncomplete);
        Assert.Equal(Side.Client, f.Side);
        await Measure.UntilAsync(() => upstream.TlsSessions == 1 && upstream.Failures == 1);
        Assert.Equal(1, upstream.TlsSessions);
        Assert.Equal(1, upstream.Failures);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_client_that_sends_random_bytes_is_reported_relayed_intact_and_others_are_unaffected()
    {
        int length = LoadSize.Pick(1 << 20, 16 << 20);
        await using var upstream = new MiniFtpsServer();
        await using var proxy = new ProxyHarness(upstream.Endpoint);
        (Socket s, NetworkStream net) = await ConnectGreetedAsync(proxy);
        Task normal = NormalClientAsync(proxy, 2);
        byte[] sentHash = await Bytes.SendAsync(net, 13, length);
        s.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, (await Bytes.ReadAsync(net).WaitAsync(TimeSpan.FromSeconds(60))).Count);
        await normal;
        net.Dispose();
        s.Dispose();
        await proxy.WaitIdleAsync();
        await proxy.StopAsync();

        await Measure.UntilAsync(() => !upstream.Sunk.IsEmpty && upstream.TlsSessions == 1);
        (long count, byte[] hash, bool _) = Assert.Single(upstream.Sunk);
        Assert.Equal(length, count);
        Assert.Equal(sentHash, hash);
        Assert.Equal(1, upstream.TlsSessions);

        // Garbage on the control connection reads as lines that are not FTP commands, blamed on the
        // client, until enough of them in a row show the stream is not FTP: the rest is only counted.
        long hostile = OnlySessionWith(proxy, FindingCatalog.FtpMalformedCommand);
        List<Finding> findings = proxy.Sink.FindingsOf(hostile);
        output.WriteLine($"{Measure.Mb(length)} of random bytes: {findings.Count} findings: "
            + string.Join(", ", findings.GroupBy(f => f.Name).Select(g => $"{g.Key} x{g.Count()}")));
        Assert.All(findings, f => Assert.Contains(f.Side, new[] { Side.Client, Side.Unknown }));
        Assert.Equal(Side.Client, Assert.Single(findings, f => f.Name == FindingCatalog.FtpNotFtp).Side);
        Assert.Equal(length, proxy.Sink.Ended.Single(e => e.Session.Id == hostile).Summary.ClientBytes);
    }
}
