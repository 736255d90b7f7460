using System.Net.Sockets;
using System.Security.Cryptography;
using Inspector.Core.Findings;

using Inspector.Testing;

namespace Inspector.Proxy.Tests;

/// <summary>Real clients through the relay to real servers (loopback only): every byte intact, the analysis live.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class RealServerRelayTests
{
    [Fact(Timeout = 180_000)]
    public async Task Seed_case_live_through_the_relay_to_proftpd()
    {
        using RealServer server = RealServer.Proftpd();
        await using var proxy = new ProxyHarness(server.Endpoint);
        using Socket c = await proxy.ConnectAsync();
        var received = new MemoryStream();
        var buffer = new byte[4096];
        async Task ReadLineAsync()
        {
            // Always read at least once: each call waits for the next reply line.
            do
            {
                int n = await c.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(10));
                Assert.True(n > 0);
                received.Write(buffer, 0, n);
            }
            while (!received.ToArray().AsSpan().EndsWith("\r\n"u8));
        }
        await ReadLineAsync();
        await c.SendAsync("AUTH TLS\r\n"u8.ToArray(), SocketFlags.None);
        await ReadLineAsync();
        await c.SendAsync(SeedCase.ClientHelloRecord, SocketFlags.None);
        while (true)
        {
            int n = await c.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(10));
            if (n == 0) break;
            received.Write(buffer, 0, n);
        }
        c.Dispose(); // the client closes too, as the seed's client did
        await proxy.WaitIdleAsync();
        await proxy.StopAsync();

        // Exactly what ProFTPD 1.3.8 on OpenSSL 3 sends: greeting, 234, a fatal protocol_version alert, the plaintext 421.
        string text = System.Text.Encoding.Latin1.GetString(received.ToArray());
        Assert.StartsWith("220 ", text);
        Assert.Contains("\r\n234 AUTH TLS successful\r\n\u0015\u0003\u0001\u0000\u0002\u0002\u0046421 TLS handshake failed\r\n", text);
        Assert.EndsWith("421 TLS handshake failed\r\n", text);
        Assert.Equal(62, SeedCase.ClientHelloRecord.Length);

        List<Finding> findings = proxy.Sink.Findings;
        Assert.Contains(findings, f => f.Name == FindingCatalog.PlaintextAfterAuth && f.Side == Core.Model.Side.Server);
        Assert.Contains(findings, f => f.Name == FindingCatalog.TlsLegacyVersionOnly && f.Side == Core.Model.Side.Client);
        Assert.Contains(findings, f => f.Name == FindingCatalog.TlsAlert && f.Summary.Contains("protocol_version"));
    }

    public static TheoryData<string, bool> ServerCases => new()
    {
        { "proftpd", true },
        { "proftpd", false },
        { "vsftpd", true },
        { "vsftpd", false },
        { "pure-ftpd", true },
        { "pure-ftpd", false },
    };

    [Theory(Timeout = 180_000)]
    [MemberData(nameof(ServerCases))]
    public async Task Curl_downloads_and_uploads_50_MB_through_the_relay_intact(string serverName, bool ftps)
    {
        using RealServer server = RealServer.ByName(serverName);
        byte[] content = RandomNumberGenerator.GetBytes(50 * 1024 * 1024);
        File.WriteAllBytes(Path.Combine(server.Root, "big.bin"), content);
        await using var proxy = new ProxyHarness(server.Endpoint);
        string url = $"ftp://127.0.0.1:{proxy.Endpoint.Port}/";
        string download = Path.Combine(server.Directory, "download.bin");
        string[] tls = ftps ? ["--ssl-reqd", "-k"] : [];

        await Task.Run(() => RealServer.Run("curl", [.. tls, "-sS", "-u", server.Login, url + "big.bin", "-o", download]));
        Assert.Equal(SHA256.HashData(content), SHA256.HashData(File.ReadAllBytes(download)));
        await Task.Run(() => RealServer.Run("curl", [.. tls, "-sS", "-u", server.Login, "-T", download, url + server.UploadDir + "uploaded.bin"]));
        Assert.Equal(SHA256.HashData(content), SHA256.HashData(File.ReadAllBytes(Path.Combine(server.Root, server.UploadDir, "uploaded.bin"))));
        await proxy.WaitIdleAsync();
        await proxy.StopAsync();

        Assert.DoesNotContain(proxy.Sink.Findings, f => f.Severity >= Severity.Warning);
        Assert.Equal(2, proxy.Sink.Ended.Count);
        Assert.All(proxy.Sink.Ended, e => Assert.Equal(ftps ? "ftps-explicit" : "ftp", e.Summary.Protocol));
    }

    [Theory(Timeout = 180_000)]
    [InlineData("proftpd")]
    [InlineData("vsftpd")]
    [InlineData("pure-ftpd")]
    public async Task Lftp_with_gnutls_gets_and_puts_50_MB_over_ftps_through_the_relay(string serverName)
    {
        using RealServer server = RealServer.ByName(serverName);
        byte[] content = RandomNumberGenerator.GetBytes(50 * 1024 * 1024);
        File.WriteAllBytes(Path.Combine(server.Root, "big.bin"), content);
        await using var proxy = new ProxyHarness(server.Endpoint);
        string target = Path.Combine(server.Directory, "got.bin");
        string user = server.Login.Replace(':', ',');
        await Task.Run(() => RealServer.Run("lftp", "-c",
            "set ftp:ssl-force true; set ftp:ssl-protect-data true; set ssl:verify-certificate no; set net:max-retries 1; set net:timeout 20; set cmd:fail-exit true; "
            + $"open -u {user} ftp://127.0.0.1:{proxy.Endpoint.Port}; get big.bin -o {target}; put {target} -o {server.UploadDir}put.bin; bye"));
        await proxy.WaitIdleAsync();
        await proxy.StopAsync();

        Assert.Equal(SHA256.HashData(content), SHA256.HashData(File.ReadAllBytes(target)));
        Assert.Equal(SHA256.HashData(content), SHA256.HashData(File.ReadAllBytes(Path.Combine(server.Root, server.UploadDir, "put.bin"))));
        Assert.DoesNotContain(proxy.Sink.Findings, f => f.Severity >= Severity.Warning);
        Assert.Contains(proxy.Sink.Ended, e => e.Summary.Protocol == "ftps-explicit");
        // The commands after AUTH TLS (RETR, STOR) are encrypted: the analysis sees the handshake, then records.
        Assert.Contains(proxy.Sink.Events, e => e.Kind == Core.Timeline.EventKinds.TlsServerHello);
    }

    [Fact(Timeout = 180_000)]
    public async Task Openssl_starttls_through_the_relay_to_pure_ftpd_completes_the_handshake()
    {
        using RealServer server = RealServer.PureFtpd();
        await using var proxy = new ProxyHarness(server.Endpoint);
        string output = await Task.Run(() => RealServer.Run("bash", "-c",
            $"printf 'QUIT\\r\\n' | timeout 20 openssl s_client -starttls ftp -connect 127.0.0.1:{proxy.Endpoint.Port} -ign_eof 2>&1; true"));
        await proxy.WaitIdleAsync();
        await proxy.StopAsync();

        // s_client exits 1 on the server's close without close_notify; the session itself completed.
        Assert.Contains("New, TLSv1.3", output);
        Assert.Contains("221", output);
        Assert.DoesNotContain(proxy.Sink.Findings, f => f.Severity >= Severity.Error);
        Assert.Contains(proxy.Sink.Events, e => e.Kind == Core.Timeline.EventKinds.TlsServerHello);
    }
}
