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
}
