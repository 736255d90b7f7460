using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Net.Sockets;
using Inspector.Capture.Files;
using Inspector.Capture.Pipeline;
using Inspector.Core.Findings;
using Inspector.Core.Model;

using Inspector.Testing;

namespace Inspector.Proxy.Tests;

/// <summary>
/// <c>--record</c>: the relay writes both legs of every session to pcapng; tshark reads the file
/// cleanly, its reassembled streams are the bytes that crossed the relay, and <c>inspector read</c>
/// finds in each leg what the live analysis found.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class RecordingTests
{
    [Fact(Timeout = 180_000)]
    public async Task Seed_case_recorded_live_reads_back_with_the_same_findings()
    {
        using RealServer server = RealServer.Proftpd();
        string file = Path.Combine(server.Directory, "seed-live.pcapng");
        int relayPort;
        await using (var proxy = new ProxyHarness(server.Endpoint, recorder: PcapngRelayRecorder.Create(file)))
        {
            relayPort = proxy.Endpoint.Port;
            await SeedCase.RunClientAsync(proxy.Endpoint);
            await proxy.WaitIdleAsync();
            await proxy.StopAsync();
            proxy.DisposeRecorder();

            var live = Canonical(proxy.Sink.Findings);
            Assert.Contains((FindingCatalog.PlaintextAfterAuth, Side.Server, Severity.Error), live);

            var readBack = new RecordingSink();
            var analysis = new CaptureAnalysis(readBack);
            using (ICaptureReader reader = CaptureFileReader.Open(file)) analysis.Read(reader);
            analysis.Complete();

            // Two TCP connections per relayed session (client leg and server leg), each with the live findings.
            Assert.Equal(2, readBack.Ended.Count);
            foreach (var leg in readBack.Ended)
            {
                var legFindings = Canonical(readBack.FindingsOf(leg.Session.Id));
                Assert.Equal(live, legFindings);
            }
            Assert.Contains(readBack.Ended, e => e.Session.Server.Port == relayPort);
            Assert.Contains(readBack.Ended, e => e.Session.Server.Port == server.Port);
        }

        string expert = Tshark("-r", file, "-q", "-z", "expert,error");
        Assert.DoesNotContain("Malformed", expert);
        string tcpFlags = Tshark("-r", file, "-Y", "tcp.analysis.flags && !tcp.analysis.window_update", "-T", "fields", "-e", "frame.number");
        Assert.Equal("", tcpFlags.Trim());
        string replies = Tshark("-r", file, "-Y", "tcp contains \"234 AUTH TLS\"", "-T", "fields", "-e", "tcp.srcport");
        Assert.Equal(2, replies.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact(Timeout = 180_000)]
    public async Task Recorded_streams_hold_exactly_the_relayed_bytes_with_half_close_and_reset()
    {
        var random = new Random(4242);
        byte[] up = new byte[300_000], down = new byte[500_000];
        random.NextBytes(up);
        random.NextBytes(down);
        int connections = 0;
        var served = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = new TestServer(async s =>
        {
            if (Interlocked.Increment(ref connections) == 2)
            {
                // The session the client resets: the relay passes the reset on.
                await Assert.ThrowsAsync<SocketException>(() => SocketIo.ReadToEndAsync(s));
                return;
            }
            Task send = SocketIo.SendInPiecesAsync(s, down, new Random(7)).ContinueWith(_ => s.Shutdown(SocketShutdown.Send));
            byte[] got = await SocketIo.ReadToEndAsync(s);
            await send;
            served.SetResult(got);
        });
        string file = Path.Combine(Path.GetTempPath(), $"inspector-record-{Guid.NewGuid():N}.pcapng");
        try
        {
            await using (var proxy = new ProxyHarness(upstream.Endpoint, recorder: PcapngRelayRecorder.Create(file)))
            {
                using (Socket c = await proxy.ConnectAsync())
                {
                    await SocketIo.SendInPiecesAsync(c, up, random);
                    c.Shutdown(SocketShutdown.Send);
                    Assert.Equal(down, await SocketIo.ReadToEndAsync(c).WaitAsync(TimeSpan.FromSeconds(30)));
                }
                Assert.Equal(up, await served.Task.WaitAsync(TimeSpan.FromSeconds(30)));
                // A second session that the client resets.
                using (Socket c = await proxy.ConnectAsync())
                {
                    await c.SendAsync(up.AsMemory(0, 1000), SocketFlags.None);
                    await Task.Delay(200);
                    c.LingerState = new LingerOption(true, 0);
                    c.Close();
                }
                await Task.Delay(300);
                await proxy.StopAsync();
                proxy.DisposeRecorder();
            }

            // tshark, an independent reader, reassembles each leg to the bytes that were relayed.
            for (int stream = 0; stream < 2; stream++)
            {
                (byte[] c2s, byte[] s2c) = TsharkFollow(file, stream);
                Assert.Equal(up, c2s);
                Assert.Equal(down, s2c);
            }
            string resets = Tshark("-r", file, "-Y", "tcp.flags.reset == 1", "-T", "fields", "-e", "tcp.stream");
            Assert.Equal(["2", "3"], resets.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
            string fins = Tshark("-r", file, "-Y", "tcp.flags.fin == 1 && tcp.stream <= 1", "-T", "fields", "-e", "tcp.stream");
            Assert.Equal(4, fins.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory(Timeout = 180_000)]
    [InlineData("::1", "::1")]
    [InlineData("::1", "127.0.0.1")]
    [InlineData("127.0.0.1", "::1")]
    public async Task IPv6_and_mixed_legs_relay_and_record_intact(string listen, string upstreamAddress)
    {
        byte[] up = RandomNumberGenerator.GetBytes(100_000), down = RandomNumberGenerator.GetBytes(150_000);
        var served = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = new TestServer(async s =>
        {
            Task send = SocketIo.SendInPiecesAsync(s, down, new Random(3)).ContinueWith(_ => s.Shutdown(SocketShutdown.Send));
            served.SetResult(await SocketIo.ReadToEndAsync(s));
            await send;
        }, IPAddress.Parse(upstreamAddress));
        string file = Path.Combine(Path.GetTempPath(), $"inspector-record-{Guid.NewGuid():N}.pcapng");
        try
        {
            await using (var proxy = new ProxyHarness(upstream.Endpoint, o => o with { Listen = new IPEndPoint(IPAddress.Parse(listen), 0) }, PcapngRelayRecorder.Create(file)))
            {
                using (Socket c = await proxy.ConnectAsync())
                {
                    Assert.Equal(listen == "::1" ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork, c.AddressFamily);
                    Task<byte[]> reading = SocketIo.ReadToEndAsync(c);
                    await SocketIo.SendInPiecesAsync(c, up, new Random(5));
                    c.Shutdown(SocketShutdown.Send);
                    Assert.Equal(down, await reading.WaitAsync(TimeSpan.FromSeconds(30)));
                }
                // The client has all the server sent; the server may still be reading the client's last bytes.
                Assert.Equal(up, await served.Task.WaitAsync(TimeSpan.FromSeconds(30)));
                await proxy.StopAsync();
                proxy.DisposeRecorder();
                Assert.Equal(IPAddress.Parse(listen), Assert.Single(proxy.Sink.Ended).Session.Client.Address);
            }
            for (int stream = 0; stream < 2; stream++)
            {
                (byte[] c2s, byte[] s2c) = TsharkFollow(file, stream);
                Assert.Equal(up, c2s);
                Assert.Equal(down, s2c);
            }
            string families = Tshark("-r", file, "-Y", "tcp.flags.syn == 1 && tcp.flags.ack == 0", "-T", "fields", "-e", "ip.src", "-e", "ipv6.src");
            Assert.Equal([listen, upstreamAddress == "::1" ? "::1" : listen == "::1" ? "127.0.0.1" : "127.0.0.1"],
                families.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static SortedSet<(string, Side, Severity)> Canonical(IEnumerable<Finding> findings) =>
        new(findings.Select(f => (f.Name, f.Side, f.Severity)));

    internal static (byte[] ClientToServer, byte[] ServerToClient) TsharkFollow(string file, int stream)
    {
        // "Follow TCP stream" in raw form: indented lines are the server's bytes, the others the client's.
        string text = Tshark("-r", file, "-q", "-z", $"follow,tcp,raw,{stream}");
        var c2s = new MemoryStream();
        var s2c = new MemoryStream();
        bool body = false;
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith("Node 1:", StringComparison.Ordinal)) { body = true; continue; }
            if (!body || line.StartsWith("====", StringComparison.Ordinal) || line.Length == 0) continue;
            byte[] bytes = Convert.FromHexString(line.Trim());
            (line.StartsWith('\t') ? s2c : c2s).Write(bytes);
        }
        return (c2s.ToArray(), s2c.ToArray());
    }

    internal static string Tshark(params string[] args)
    {
        var psi = new ProcessStartInfo("tshark") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"tshark {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result}");
        return stdout;
    }
}
