using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Proxy.Data;
using Inspector.Testing;

namespace Inspector.Proxy.Tests;

/// <summary>
/// <c>--data relay</c>: real clients (curl, lftp) and real servers (proftpd, vsftpd) on loopback,
/// with data connections through the relay in passive and active mode, each an analysed session
/// linked to its control session; FTPS (data stays direct, reported once); a hostile server.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class DataRelayTests
{
    private const int Size = 50 * 1024 * 1024;

    private static ProxyOptions Relay(ProxyOptions o) => o with { Data = DataMode.Relay };

    public static TheoryData<string, bool> Cases => new()
    {
        { "proftpd", true },
        { "proftpd", false },
        { "vsftpd", true },
        { "vsftpd", false },
    };

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(Cases))]
    public async Task Curl_and_lftp_move_50_MB_each_way_with_data_through_the_relay(string serverName, bool passive)
    {
        using RealServer server = RealServer.ByName(serverName);
        byte[] content = RandomNumberGenerator.GetBytes(Size);
        File.WriteAllBytes(Path.Combine(server.Root, "big.bin"), content);
        byte[] hash = SHA256.HashData(content);
        await using var proxy = new ProxyHarness(server.Endpoint, Relay);
        string url = $"ftp://127.0.0.1:{proxy.Endpoint.Port}/";
        string[] mode = passive ? [] : ["-P", "127.0.0.1"];

        // curl: EPSV (passive) or EPRT (active).
        string download = Path.Combine(server.Directory, "curl-got.bin");
        await Task.Run(() => RealServer.Run("curl", [.. mode, "-sS", "-u", server.Login, url + "big.bin", "-o", download]));
        Assert.Equal(hash, SHA256.HashData(File.ReadAllBytes(download)));
        await Task.Run(() => RealServer.Run("curl", [.. mode, "-sS", "-u", server.Login, "-T", download, url + server.UploadDir + "curl-put.bin"]));
        Assert.Equal(hash, SHA256.HashData(File.ReadAllBytes(Path.Combine(server.Root, server.UploadDir, "curl-put.bin"))));

        // lftp: PASV (passive) or PORT (active).
        string got = Path.Combine(server.Directory, "lftp-got.bin");
        string user = server.Login.Replace(':', ',');
        await Task.Run(() => RealServer.Run("lftp", "-c",
            $"set ftp:passive-mode {(passive ? "on" : "off")}; set ftp:ssl-allow no; set net:max-retries 1; set net:timeout 20; set cmd:fail-exit true; "
            + $"open -u {user} ftp://127.0.0.1:{proxy.Endpoint.Port}; get big.bin -o {got}; put {got} -o {server.UploadDir}lftp-put.bin; bye"));
        Assert.Equal(hash, SHA256.HashData(File.ReadAllBytes(got)));
        Assert.Equal(hash, SHA256.HashData(File.ReadAllBytes(Path.Combine(server.Root, server.UploadDir, "lftp-put.bin"))));

        await proxy.WaitIdleAsync();
        await proxy.StopAsync();

        var ended = proxy.Sink.Ended;
        var controls = ended.Where(e => e.Session.Data is null).ToList();
        var data = ended.Where(e => e.Session.Data is not null).ToList();
        Assert.Equal(3, controls.Count); // two curl runs, one lftp session
        Assert.All(controls, c => Assert.Equal("ftp", c.Summary.Protocol));
        // Every data session is linked to a control session and went the announced way.
        Assert.All(data, d => Assert.Contains(controls, c => c.Session.Id == d.Session.Data!.ParentId));
        Assert.All(data, d => Assert.Equal(!passive, d.Session.Data!.ServerConnected));
        Assert.All(data, d => Assert.False(d.Session.Data!.Inferred));
        // The four transfers crossed the relay whole: two downloads (server bytes), two uploads (client bytes).
        Assert.Equal(2, data.Count(d => d.Summary.ServerBytes == Size && d.Summary.ClientBytes == 0));
        Assert.Equal(2, data.Count(d => d.Summary.ClientBytes == Size && d.Summary.ServerBytes == 0));
        // The analysis read what the peers really sent: each data session's announced end is what the
        // control session announced (the server's own 227/229, the client's own PORT/EPRT), not the relay's.
        foreach (var d in data)
        {
            var announced = proxy.Sink.OutputsOf<ExpectedDataConnection>(d.Session.Data!.ParentId);
            IPEndPoint end = passive ? d.Session.Server : d.Session.Client;
            Assert.Contains(announced, a => a.Endpoint.Port == end.Port);
            Assert.DoesNotContain(announced, a => a.Endpoint.Port == (passive ? d.Session.Client : d.Session.Server).Port);
        }
        // lftp logs in in plaintext after the server offered AUTH TLS in FEAT (ftp:ssl-allow no): that warning is right.
        Assert.All(controls, c => Assert.Empty(proxy.Sink.FindingsOf(c.Session.Id)
            .Where(f => f.Severity >= Severity.Warning && f.Name != FindingCatalog.CredentialsInClear).Select(f => $"{f.Name}: {f.Summary}")));
    }

    [Fact(Timeout = 180_000)]
    public async Task Explicit_ftps_keeps_data_direct_and_says_so_once_per_session()
    {
        using RealServer server = RealServer.Proftpd();
        byte[] content = RandomNumberGenerator.GetBytes(Size);
        File.WriteAllBytes(Path.Combine(server.Root, "big.bin"), content);
        await using var proxy = new ProxyHarness(server.Endpoint, Relay);
        string url = $"ftp://127.0.0.1:{proxy.Endpoint.Port}/";
        string download = Path.Combine(server.Directory, "download.bin");
        await Task.Run(() => RealServer.Run("curl", ["--ssl-reqd", "-k", "-sS", "-u", server.Login, url + "big.bin", "-o", download]));
        Assert.Equal(SHA256.HashData(content), SHA256.HashData(File.ReadAllBytes(download)));
        await Task.Run(() => RealServer.Run("curl", ["--ssl-reqd", "-k", "-sS", "-u", server.Login, "-T", download, url + "uploaded.bin"]));
        Assert.Equal(SHA256.HashData(content), SHA256.HashData(File.ReadAllBytes(Path.Combine(server.Root, "uploaded.bin"))));
        await proxy.WaitIdleAsync();
        await proxy.StopAsync();

        Assert.Equal(2, proxy.Sink.Ended.Count);
        Assert.All(proxy.Sink.Ended, e => Assert.Null(e.Session.Data));
        foreach (var e in proxy.Sink.Ended)
        {
            Assert.Equal("ftps-explicit", e.Summary.Protocol);
            Finding f = Assert.Single(proxy.Sink.FindingsOf(e.Session.Id), f => f.Name == FindingCatalog.ProxyDataNotRelayed);
            Assert.Equal(Severity.Info, f.Severity);
            Assert.Contains("234", f.Summary);
        }
        Assert.DoesNotContain(proxy.Sink.Findings, f => f.Severity >= Severity.Warning);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_hostile_server_gets_its_odd_lines_passed_through_and_the_data_relay_holds()
    {
        byte[] payload = RandomNumberGenerator.GetBytes(300_000);
        using var dataListener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        dataListener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        dataListener.Listen(1);
        int dataPort = ((IPEndPoint)dataListener.LocalEndPoint!).Port;
        string huge = "227 " + new string('A', 10_000) + " (127,0,0,1,1,1)\r\n";
        string malformed = "227 Entering Passive Mode (127,0,0,1,999,1)\r\n227 Entering Passive Mode (1,2,3)\r\n227 Entering Passive Mode\r\n";
        string good = $"227 Entering Passive Mode (127,0,0,1,{dataPort >> 8},{dataPort & 255}).\r\n";
        // More announcements than the listener cap: the first 16 are rewritten, the rest pass as they are.
        string flood = string.Concat(Enumerable.Range(0, 20).Select(i => $"227 flood (127,0,0,1,200,{i + 1})\r\n"));
        string step = "start";
        var others = new List<string>();
        int connections = 0;
        await using var upstream = new TestServer(async s =>
        {
            if (Interlocked.Increment(ref connections) > 1)
            {
                lock (others) others.Add($"{s.RemoteEndPoint} at {DateTime.UtcNow:HH:mm:ss.fff} step {step}");
                return;
            }
            await s.SendAsync(Encoding.ASCII.GetBytes("220 odd server\r\n" + malformed + huge), SocketFlags.None);
            // The good reply in many tiny segments.
            foreach (byte b in Encoding.ASCII.GetBytes(good))
            {
                await s.SendAsync(new[] { b }, SocketFlags.None);
                await Task.Delay(2);
            }
            step = "accept";
            using (Socket d = await dataListener.AcceptAsync())
            {
                step = "data";
                await d.SendAsync(payload, SocketFlags.None);
                d.Shutdown(SocketShutdown.Send);
                step = "data-read";
                await SocketIo.ReadToEndAsync(d);
            }
            step = "flood";
            await s.SendAsync(Encoding.ASCII.GetBytes("226 done\r\n" + flood + "221 bye\r\n"), SocketFlags.None);
            s.Shutdown(SocketShutdown.Send);
            step = "control-read";
            await SocketIo.ReadToEndAsync(s);
            step = "done";
        });
        // Long enough for the client's connect to the good listener on a busy machine (the thread
        // pool has been seen to stall timers for 0.7 s while a test host starts), short enough
        // for the flood's listeners to close within the test.
        var acceptTimeout = TimeSpan.FromSeconds(3);
        await using var proxy = new ProxyHarness(upstream.Endpoint, o => Relay(o) with { DataAcceptTimeout = acceptTimeout });
        using Socket c = await proxy.ConnectAsync();
        var received = new MemoryStream();
        var buffer = new byte[65536];
        string text = "";
        while (!text.Contains(").\r\n", StringComparison.Ordinal))
        {
            int n = await c.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(n > 0);
            received.Write(buffer, 0, n);
            text = Encoding.Latin1.GetString(received.ToArray());
        }
        // Everything before the good reply passed byte for byte; the good reply names the relay.
        Assert.StartsWith("220 odd server\r\n" + malformed + huge + "227 Entering Passive Mode (127,0,0,1,", text);
        IPEndPoint relayData = Inspector.Core.Ftp.DataEndpoint.FindSixNumbers(text, text.LastIndexOf("227 ", StringComparison.Ordinal) + 4)!.Value.EndPoint;
        Assert.NotEqual(dataPort, relayData.Port);

        // Only the control client's address may use the listener: 127.0.0.2 is refused.
        using (var thief = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            thief.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
            await Assert.ThrowsAnyAsync<SocketException>(async () =>
            {
                // The relay accepts and resets at once: on a busy machine the reset can arrive
                // before the connect completes, so the connect itself may fail with it.
                await thief.ConnectAsync(relayData);
                while (await thief.ReceiveAsync(buffer, SocketFlags.None) > 0) { }
                throw new SocketException((int)SocketError.ConnectionReset);
            });
        }
        using (Socket d = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await d.ConnectAsync(relayData);
            d.Shutdown(SocketShutdown.Send);
            Assert.Equal(payload, await SocketIo.ReadToEndAsync(d).WaitAsync(TimeSpan.FromSeconds(10)));
        }
        while (!text.EndsWith("221 bye\r\n", StringComparison.Ordinal))
        {
            int n = await c.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(n > 0);
            received.Write(buffer, 0, n);
            text = Encoding.Latin1.GetString(received.ToArray());
        }
        // Nobody uses the flood's listeners: each is closed after the accept timeout and reported.
        await Task.Delay(acceptTimeout + TimeSpan.FromSeconds(1));
        c.Shutdown(SocketShutdown.Send);
        received.Write(await SocketIo.ReadToEndAsync(c).WaitAsync(TimeSpan.FromSeconds(10)));
        string[] floodLines = text.Split("\r\n").Where(l => l.StartsWith("227 flood", StringComparison.Ordinal)).ToArray();
        Assert.Equal(20, floodLines.Length);
        Assert.Equal(16, floodLines.Count(l => !l.Contains("(127,0,0,1,200,", StringComparison.Ordinal)));
        Assert.EndsWith("221 bye\r\n", text);
        c.Dispose();
        await proxy.WaitIdleAsync();
        await proxy.StopAsync();

        for (int i = 0; i < 100 && step != "done"; i++) await Task.Delay(50);
        Assert.Equal((1, "done"), (connections, step));
        var control = Assert.Single(proxy.Sink.Ended, e => e.Session.Data is null);
        var data = Assert.Single(proxy.Sink.Ended, e => e.Session.Data is not null);
        Assert.Equal(control.Session.Id, data.Session.Data!.ParentId);
        Assert.Equal(payload.Length, data.Summary.ServerBytes);
        Assert.Equal(dataPort, data.Session.Server.Port);
        var findings = proxy.Sink.FindingsOf(control.Session.Id);
        Assert.Single(findings, f => f.Name == FindingCatalog.ProxyDataRefused && f.Summary.Contains("127.0.0.2", StringComparison.Ordinal));
        Assert.Single(findings, f => f.Name == FindingCatalog.ProxyDataNotRelayed && f.Summary.Contains("16 data listeners", StringComparison.Ordinal));
        Assert.Equal(16, findings.Count(f => f.Name == FindingCatalog.ProxyDataMissing));
        await upstream.DisposeAsync();
        Assert.Empty(others);
    }

    [Theory(Timeout = 120_000)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_recording_holds_what_crossed_each_leg_the_rewritten_announcement_on_one_and_the_original_on_the_other(bool passive)
    {
        using RealServer server = RealServer.Proftpd();
        byte[] content = RandomNumberGenerator.GetBytes(200_000);
        File.WriteAllBytes(Path.Combine(server.Root, "small.bin"), content);
        string file = Path.Combine(server.Directory, "data-relay.pcapng");
        string download = Path.Combine(server.Directory, "got.bin");
        await using (var proxy = new ProxyHarness(server.Endpoint, Relay, PcapngRelayRecorder.Create(file)))
        {
            // PASV and PORT, so the announcements carry addresses (--disable-epsv, --disable-eprt).
            string[] mode = passive ? ["--disable-epsv"] : ["-P", "127.0.0.1", "--disable-eprt"];
            await Task.Run(() => RealServer.Run("curl", [.. mode, "-sS", "-u", server.Login, $"ftp://127.0.0.1:{proxy.Endpoint.Port}/small.bin", "-o", download]));
            await proxy.WaitIdleAsync();
            await proxy.StopAsync();
            proxy.DisposeRecorder();
            Assert.Single(proxy.Sink.Ended, e => e.Session.Data is not null && e.Summary.ServerBytes == content.Length);
        }
        Assert.Equal(content, File.ReadAllBytes(download));

        // Streams in the file: 0 the control's client leg, 1 its server leg, 2 and 3 the data legs.
        (byte[] clientLegUp, byte[] clientLegDown) = RecordingTests.TsharkFollow(file, 0);
        (byte[] serverLegUp, byte[] serverLegDown) = RecordingTests.TsharkFollow(file, 1);
        string clientUp = Encoding.Latin1.GetString(clientLegUp), clientDown = Encoding.Latin1.GetString(clientLegDown);
        string serverUp = Encoding.Latin1.GetString(serverLegUp), serverDown = Encoding.Latin1.GetString(serverLegDown);
        string verb = passive ? "227 " : "PORT ";
        string onClientLeg = Line(passive ? clientDown : clientUp, verb), onServerLeg = Line(passive ? serverDown : serverUp, verb);
        IPEndPoint clientSees = Inspector.Core.Ftp.DataEndpoint.FindSixNumbers(onClientLeg, 4)!.Value.EndPoint;
        IPEndPoint serverSees = Inspector.Core.Ftp.DataEndpoint.FindSixNumbers(onServerLeg, 4)!.Value.EndPoint;
        Assert.NotEqual(clientSees.Port, serverSees.Port);
        // Apart from that one line, both legs carried the same bytes each way.
        if (passive)
        {
            Assert.Equal(serverUp, clientUp);
            Assert.Equal(serverDown.Replace(onServerLeg, onClientLeg, StringComparison.Ordinal), clientDown);
        }
        else
        {
            Assert.Equal(serverDown, clientDown);
            Assert.Equal(clientUp.Replace(onClientLeg, onServerLeg, StringComparison.Ordinal), serverUp);
        }
        // Each data leg carries the file, and the data connection goes to the relay's announced port.
        for (int stream = 2; stream <= 3; stream++)
        {
            (byte[] up, byte[] down) = RecordingTests.TsharkFollow(file, stream);
            // Active: the relay opened the client leg and the server the server leg, so on both the
            // file flows from the connection's opener (tshark's first node).
            Assert.Equal(content, passive ? down : up);
        }
        string ports = RecordingTests.Tshark("-r", file, "-Y", "tcp.flags.syn == 1 && tcp.flags.ack == 0", "-T", "fields", "-e", "tcp.dstport");
        Assert.Contains((passive ? clientSees : serverSees).Port.ToString(System.Globalization.CultureInfo.InvariantCulture), ports.Split('\n').Select(p => p.Trim()));
        string expert = RecordingTests.Tshark("-r", file, "-q", "-z", "expert,error");
        Assert.DoesNotContain("Malformed", expert);
    }

    private static string Line(string text, string prefix)
    {
        int at = text.IndexOf("\n" + prefix, StringComparison.Ordinal) + 1;
        Assert.True(at > 0, $"no {prefix.Trim()} line in {text}");
        return text[at..text.IndexOf('\n', at)];
    }
}
