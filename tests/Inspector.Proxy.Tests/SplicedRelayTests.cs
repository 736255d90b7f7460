using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Inspector.Core.Findings;
using Inspector.Proxy.Data;
using Inspector.Testing;
using static Inspector.Proxy.Tests.ThreadRelaySupport;

namespace Inspector.Proxy.Tests;

/// <summary>
/// A stream the analysis only counts (here: a client found not to speak FTP) is moved from socket
/// to socket with splice(2) while it streams: byte for byte, counted exactly, on threads that
/// stay while the other direction is silent, and it stops, resets and hands over as a copied
/// stream does.
/// </summary>
[Collection(nameof(RelayThreadCounting))]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class SplicedRelayTests
{
    /// <summary>Threads that never go quiet in these tests, however slow the machine (the first test sets its own).</summary>
    private static readonly TimeSpan Never = TimeSpan.FromMinutes(5);

    [Fact(Timeout = 120_000)]
    public async Task A_one_way_stream_is_spliced_keeps_its_threads_and_arrives_whole()
    {
        (long Count, byte[] Hash)? received = null;
        await using var upstream = new TestServer(async s =>
        {
            await s.SendAsync("220 splice\r\n"u8.ToArray(), SocketFlags.None);
            using var net = new NetworkStream(s);
            received = await Bytes.ReadAsync(net);
        });
        TimeSpan quiet = TimeSpan.FromSeconds(1);
        await using var proxy = new ProxyHarness(upstream.Endpoint, o => o with { ThreadQuiet = quiet });
        await WaitForAsync(() => RelayThreads.Busy == 0, "threads of earlier tests still busy");
        long handOversBefore = Relay.HandOvers;
        using Socket client = await proxy.ConnectAsync();
        using var stream = new NetworkStream(client);
        byte[] garbage = await proxy.SendNotFtpAsync(stream);
        Assert.Equal(2, RelayThreads.Busy);
        long splicedBefore = SplicePipe.Moved;

        // 16 MB with a pause after every 256 KB: the stream lasts over twice the quiet time while
        // the server says nothing, and the silent direction must not take the session off its threads.
        const int Bulk = 16 << 20;
        var streaming = Stopwatch.StartNew();
        byte[] bulkHash = await Bytes.SendAsync(stream, 11, Bulk,
            progress: async sent => { if (sent % (256 * 1024) == 0) await Task.Delay(40); });
        Assert.True(streaming.Elapsed > quiet * 2, $"the stream took only {streaming.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(handOversBefore, Relay.HandOvers);
        Assert.Equal(2, RelayThreads.Busy);

        client.Shutdown(SocketShutdown.Send);
        await Measure.UntilAsync(() => received is not null);
        await proxy.WaitIdleAsync();
        await proxy.StopAsync();

        // Byte for byte what the client sent.
        Assert.Equal(bulkHash, Bytes.Hash(11, Bulk));
        Assert.Equal(garbage.Length + (long)Bulk, received!.Value.Count);
        Assert.Equal(Bytes.Hash(garbage, 11, Bulk), received.Value.Hash);
        Assert.Equal(garbage.Length + (long)Bulk, Assert.Single(proxy.Sink.Ended).Summary.ClientBytes);
        long spliced = SplicePipe.Moved - splicedBefore;
        Assert.True(spliced >= Bulk / 2, $"only {spliced} of {Bulk} bytes were spliced");
        Assert.True(spliced <= Bulk, $"{spliced} bytes spliced, more than the {Bulk} sent");
        Assert.DoesNotContain(proxy.Sink.Findings, f => f.Name == FindingCatalog.AnalysisOverflow);
    }

    [Fact(Timeout = 60_000)]
    public async Task Small_messages_are_copied_not_spliced()
    {
        await using var upstream = new TestServer(Echo);
        await using var proxy = new ProxyHarness(upstream.Endpoint, o => o with { ThreadQuiet = Never });
        using Socket client = await proxy.ConnectAsync();
        using var stream = new NetworkStream(client, ownsSocket: false);
        byte[] garbage = await proxy.SendNotFtpAsync(stream);
        await stream.ReadExactlyAsync(new byte[garbage.Length]);
        long splicedBefore = SplicePipe.Moved;

        // Two splices cost a round trip more than a recv and a send: a message of a few bytes is copied.
        var random = new Random(3);
        byte[] message = new byte[64];
        byte[] back = new byte[64];
        for (int i = 0; i < 300; i++)
        {
            random.NextBytes(message);
            await client.SendAsync(message, SocketFlags.None);
            await stream.ReadExactlyAsync(back);
            Assert.Equal(message, back);
        }
        Assert.Equal(splicedBefore, SplicePipe.Moved);
        client.Shutdown(SocketShutdown.Send);
        Assert.Empty(await SocketIo.ReadToEndAsync(client));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_sender_reset_mid_stream_is_passed_on_as_a_reset()
    {
        var serverSaw = new TaskCompletionSource<SocketError>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = new TestServer(async s =>
        {
            await s.SendAsync("220 splice\r\n"u8.ToArray(), SocketFlags.None);
            serverSaw.TrySetResult(await ReadUntilEndAsync(s));
        });
        await using var proxy = new ProxyHarness(upstream.Endpoint, o => o with { ThreadQuiet = Never });
        Socket client = await proxy.ConnectAsync();
        using (var stream = new NetworkStream(client, ownsSocket: false))
        {
            await proxy.SendNotFtpAsync(stream);
            long splicedBefore = SplicePipe.Moved;
            await Bytes.SendAsync(stream, 5, 4 << 20);
            await WaitForAsync(() => SplicePipe.Moved > splicedBefore, "nothing was spliced");
        }
        Relay.Abort(client);

        Assert.Equal(SocketError.ConnectionReset, await serverSaw.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        await WaitForAsync(() => proxy.Sink.Ended.Count == 1, "the session did not end");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_receiver_reset_mid_stream_resets_the_sender()
    {
        await using var upstream = new TestServer(async s =>
        {
            await s.SendAsync("220 splice\r\n"u8.ToArray(), SocketFlags.None);
            using var net = new NetworkStream(s, ownsSocket: false);
            // Read what the client sends until 2 MB of the stream have come, then reset.
            await Bytes.ReadAsync(net, 2 << 20);
            Relay.Abort(s);
        });
        await using var proxy = new ProxyHarness(upstream.Endpoint, o => o with { ThreadQuiet = Never });
        using Socket client = await proxy.ConnectAsync();
        using var stream = new NetworkStream(client, ownsSocket: false);
        await proxy.SendNotFtpAsync(stream);

        // The client streams until its sends fail: the relay reset it when the server reset.
        var error = await Assert.ThrowsAsync<IOException>(() => Bytes.SendAsync(stream, 6, 1L << 34));
        // A reset sets the socket's error and shuts both its halves: the first call to look
        // reports ECONNRESET, any later one EPIPE (Shutdown), and the runtime's own retry of a
        // pending send may be the first. The client never shut its sending half itself, so EPIPE
        // too means the connection was torn down under it.
        Assert.Contains(Assert.IsType<SocketException>(error.InnerException).SocketErrorCode, new[] { SocketError.ConnectionReset, SocketError.Shutdown });
        await WaitForAsync(() => proxy.Sink.Ended.Count == 1, "the session did not end");
    }

    [Fact(Timeout = 60_000)]
    public async Task Stopping_the_relay_wakes_a_thread_blocked_sending_to_a_receiver_that_does_not_read()
    {
        var serverSaw = new TaskCompletionSource<SocketError>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = new TestServer(async s =>
        {
            await s.SendAsync("220 splice\r\n"u8.ToArray(), SocketFlags.None);
            // Reads nothing until the relay has stopped.
            await reading.Task;
            serverSaw.TrySetResult(await ReadUntilEndAsync(s));
        });
        await using var proxy = new ProxyHarness(upstream.Endpoint, o => o with { ThreadQuiet = Never });
        using Socket client = await proxy.ConnectAsync();
        using var stream = new NetworkStream(client, ownsSocket: false);
        await proxy.SendNotFtpAsync(stream);
        long splicedBefore = SplicePipe.Moved;

        // The client streams until every buffer on the way is full and the relay's thread waits
        // in a send to the server.
        Task streaming = Bytes.SendAsync(stream, 8, 1L << 34);
        long last;
        do
        {
            last = SplicePipe.Moved;
            await Task.Delay(500);
        }
        while (SplicePipe.Moved != last || last == splicedBefore);
        Assert.False(streaming.IsCompleted);

        var stopping = Stopwatch.StartNew();
        await proxy.StopAsync();
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"the stop took {stopping.Elapsed.TotalMilliseconds:0} ms");
        reading.SetResult();
        Assert.Equal(SocketError.ConnectionReset, await serverSaw.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        var error = await Assert.ThrowsAsync<IOException>(() => streaming.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(SocketError.ConnectionReset, Assert.IsType<SocketException>(error.InnerException).SocketErrorCode);
        Assert.Contains(proxy.Sink.Findings, f => f.Name == FindingCatalog.ProxyStopped);
        await WaitForAsync(() => RelayThreads.Busy == 0, "the threads did not go back");
    }

    [Theory(Timeout = 180_000)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_plaintext_ftp_transfer_through_the_data_relay_is_spliced_past_its_preview(bool passive)
    {
        using RealServer server = RealServer.ByName("vsftpd");
        const int Size = 48 << 20;
        byte[] content = RandomNumberGenerator.GetBytes(Size);
        File.WriteAllBytes(Path.Combine(server.Root, "big.bin"), content);
        string hash = Convert.ToHexStringLower(SHA256.HashData(content));
        await using var proxy = new ProxyHarness(server.Endpoint, o => o with { Data = DataMode.Relay });
        string[] user = server.Login.Split(':', 2);
        long splicedBefore = SplicePipe.Moved;

        // Down, then up again: the server's direction, then the client's, of a data connection.
        // The first megabytes of each are copied: the socket buffers on the way take them faster
        // than the client reads or the server writes, before the analysis has seen the preview.
        string got = await Task.Run(() => RealServer.Run("/usr/bin/python3", "-c", PacedClient, $"{proxy.Endpoint.Port}", user[0], user[1],
            passive ? "passive" : "active", "get", "big.bin"));
        Assert.Equal($"{hash} {Size}", got.Trim());
        long down = SplicePipe.Moved - splicedBefore;
        await Task.Run(() => RealServer.Run("/usr/bin/python3", "-c", PacedClient, $"{proxy.Endpoint.Port}", user[0], user[1],
            passive ? "passive" : "active", "put", server.UploadDir + "put.bin", Path.Combine(server.Root, "big.bin")));
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(server.Root, server.UploadDir, "put.bin")));
        long up = SplicePipe.Moved - splicedBefore - down;
        await proxy.WaitIdleAsync();
        await proxy.StopAsync();

        Assert.True(down >= Size / 2 && down <= Size, $"{down} of the download's {Size} bytes were spliced");
        Assert.True(up >= Size / 2 && up <= Size, $"{up} of the upload's {Size} bytes were spliced");
        var data = proxy.Sink.Ended.Where(e => e.Session.Data is not null).ToList();
        Assert.Equal(2, data.Count);
        Assert.Single(data, d => d.Summary.ServerBytes == Size && d.Summary.ClientBytes == 0);
        Assert.Single(data, d => d.Summary.ClientBytes == Size && d.Summary.ServerBytes == 0);
        Assert.DoesNotContain(proxy.Sink.Findings, f => f.Name == FindingCatalog.AnalysisOverflow);
    }

    /// <summary>
    /// python's ftplib, moving data at about 32 MB/s as over a network (curl's --limit-rate only
    /// evens out the average, after a burst). At full speed on loopback both peers and the relay
    /// keep the CPUs busy, and the analysis, which runs at a lower priority, may take most of a
    /// short transfer to see its first bytes and say that the rest is only counted.
    /// Arguments: port user password passive|active, then get REMOTE (prints the SHA-256 and
    /// length of what came) or put REMOTE LOCAL.
    /// </summary>
    private const string PacedClient = """
        import ftplib, hashlib, sys, time
        port, user, password, mode, op, path = sys.argv[1:7]
        rate = 32 * 1024 * 1024
        ftp = ftplib.FTP()
        ftp.connect("127.0.0.1", int(port))
        ftp.login(user, password)
        ftp.set_pasv(mode == "passive")
        if op == "get":
            digest, got = hashlib.sha256(), [0]
            def block(b):
                digest.update(b)
                got[0] += len(b)
                time.sleep(len(b) / rate)
            ftp.retrbinary("RETR " + path, block, blocksize=65536)
            print(digest.hexdigest(), got[0])
        else:
            class Paced:
                def __init__(self, f): self.f = f
                def read(self, n):
                    b = self.f.read(n)
                    time.sleep(len(b) / rate)
                    return b
            with open(sys.argv[7], "rb") as f:
                ftp.storbinary("STOR " + path, Paced(f), blocksize=65536)
        ftp.quit()
        """;

    /// <summary>Reads until the end; how it ended (Success for a FIN).</summary>
    private static async Task<SocketError> ReadUntilEndAsync(Socket s)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (await s.ReceiveAsync(buffer, SocketFlags.None) > 0)
            {
            }
            return SocketError.Success;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }
}
