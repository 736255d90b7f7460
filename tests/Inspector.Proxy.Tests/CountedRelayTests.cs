using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Inspector.Core.Findings;

namespace Inspector.Proxy.Tests;

/// <summary>
/// Once the analysis only counts a direction (here: a client found not to speak FTP), the relay
/// passes it lengths instead of bytes: every byte still goes through unchanged and is counted.
/// </summary>
public class CountedRelayTests
{
    [Fact(Timeout = 120_000)]
    public async Task After_a_stream_is_found_not_ftp_its_bytes_are_counted_not_passed_and_still_relayed_whole()
    {
        long received = 0;
        byte[]? receivedHash = null;
        await using var upstream = new TestServer(async s =>
        {
            await s.SendAsync("220 counting\r\n"u8.ToArray(), SocketFlags.None);
            using var net = new NetworkStream(s);
            (received, receivedHash) = await Bytes.ReadAsync(net);
        });
        await using var proxy = new ProxyHarness(upstream.Endpoint);
        using Socket client = await proxy.ConnectAsync();
        using var stream = new NetworkStream(client);
        byte[] greeting = new byte[64];
        Assert.StartsWith("220 counting", Encoding.ASCII.GetString(greeting, 0, await stream.ReadAsync(greeting)));

        // Lines that are not FTP, until the analysis gives the stream up.
        byte[] garbage = await proxy.SendNotFtpAsync(stream);

        const int Bulk = 4 << 20;
        byte[] bulkHash = await Bytes.SendAsync(stream, 7, Bulk);
        client.Shutdown(SocketShutdown.Send);
        await Measure.UntilAsync(() => receivedHash is not null);
        await proxy.WaitIdleAsync();
        await proxy.StopAsync();

        // Byte for byte what the client sent.
        Assert.Equal(bulkHash, Bytes.Hash(7, Bulk));
        Assert.Equal(garbage.Length + (long)Bulk, received);
        Assert.Equal(Bytes.Hash(garbage, 7, Bulk), receivedHash);
        Assert.Equal(garbage.Length + (long)Bulk, Assert.Single(proxy.Sink.Ended).Summary.ClientBytes);
        Assert.True(proxy.Queue.CountedBytes >= Bulk - 512 * 1024, $"only {proxy.Queue.CountedBytes} of {Bulk} bytes were counted");
        Assert.DoesNotContain(proxy.Sink.Findings, f => f.Name == FindingCatalog.AnalysisOverflow);
    }

    /// <summary>
    /// Small messages both ways, once both directions are found not FTP: each message is counted,
    /// and consecutive counts join runs the analysis takes whole, so the analysis gets far fewer
    /// items than messages (the relay's ping-pong latency paid for one per message).
    /// </summary>
    [Fact(Timeout = 120_000)]
    public async Task Small_messages_that_are_not_ftp_are_counted_in_runs_and_relayed_whole()
    {
        await using var echo = new TestServer(async s =>
        {
            await s.SendAsync("220 echo\r\n"u8.ToArray(), SocketFlags.None);
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = await s.ReceiveAsync(buffer, SocketFlags.None)) > 0) await s.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
            s.Shutdown(SocketShutdown.Send);
        });
        await using var proxy = new ProxyHarness(echo.Endpoint);
        using Socket client = await proxy.ConnectAsync();
        client.NoDelay = true;
        using var stream = new NetworkStream(client);
        byte[] greeting = new byte[64];
        Assert.StartsWith("220 echo", Encoding.ASCII.GetString(greeting, 0, await stream.ReadAsync(greeting)));

        // The echo sends the lines back: both directions are given up as not FTP.
        byte[] garbage = await proxy.SendNotFtpAsync(stream);
        await stream.ReadExactlyAsync(new byte[garbage.Length]);
        await Measure.UntilAsync(() => proxy.Sink.Findings.Count(f => f.Name == FindingCatalog.FtpNotFtp) == 2);
        await Task.Delay(200);

        const int Messages = 3000;
        byte[] ping = new byte[64];
        byte[] pong = new byte[64];
        long runsBefore = proxy.Queue.CountedRuns;
        for (int i = 0; i < Messages; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(ping, i);
            await stream.WriteAsync(ping);
            await stream.ReadExactlyAsync(pong);
            Assert.Equal(ping, pong);
        }
        long runs = proxy.Queue.CountedRuns - runsBefore;
        client.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, await stream.ReadAsync(pong));
        await proxy.WaitIdleAsync();
        await proxy.StopAsync();

        long each = garbage.Length + 64L * Messages;
        var summary = Assert.Single(proxy.Sink.Ended).Summary;
        Assert.Equal(each, summary.ClientBytes);
        Assert.Equal("220 echo\r\n".Length + each, summary.ServerBytes);
        Assert.Equal(2 * 64L * Messages, proxy.Queue.CountedBytes);
        // 6,000 messages in all; a run per message would be 6,000 runs.
        Assert.InRange(runs, 2, 2 * Messages / 4);
    }
}
