using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Inspector.Testing;

namespace Inspector.Proxy.Tests;

/// <summary>
/// <c>inspector proxy --transparent</c> on a real Linux gateway: three network namespaces made by
/// the test (client 192.0.2.10 / 2001:db8:1::10, gateway, server 198.51.100.10 / 2001:db8:2::10: ProFTPD),
/// joined by veth pairs, the gateway forwarding and redirecting TCP port 21 to the relay with an
/// nftables rule. The client (curl) connects to the server's real address; the relay, running as
/// the real CLI in the gateway namespace, must relay to that address. Needs root, iproute2 and nft
/// (tests/install-deps.sh); without them it fails and says so.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TransparentGatewayTests
{
    private const string ServerV4 = "198.51.100.10", SeedServerV4 = "198.51.100.11", ServerV6 = "2001:db8:2::10";

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task Redirected_ftp_and_ftps_over_ipv4_and_ipv6_reach_the_real_server_through_the_relay_and_the_seed_case_is_reported(bool tproxy, bool dataRelay)
    {
        using var net = Gateway.Create(tproxy: tproxy);
        string dir = Path.Combine(Path.GetTempPath(), "inspector-transparent-" + net.Id);
        Directory.CreateDirectory(Path.Combine(dir, "root"));
        File.SetUnixFileMode(Path.Combine(dir, "root"), (UnixFileMode)0b111_111_111);
        try
        {
            byte[] content = RandomNumberGenerator.GetBytes(2 * 1024 * 1024 + 13);
            File.WriteAllBytes(Path.Combine(dir, "root", "file.bin"), content);
            RealServer.Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=server",
                "-keyout", Path.Combine(dir, "key.pem"), "-out", Path.Combine(dir, "cert.pem"));
            WriteProftpdConfig(dir);
            File.WriteAllText(Path.Combine(dir, "seed_server.py"), SeedServerScript);
            File.WriteAllText(Path.Combine(dir, "seed_client.py"), SeedClientScript);

            using var server = Background.Start("never", "ip", "netns", "exec", net.Server, "/usr/sbin/proftpd", "-n", "-q", "-c", Path.Combine(dir, "proftpd.conf"));
            using var seedServer = Background.Start("ready", "ip", "netns", "exec", net.Server, "/usr/bin/python3", Path.Combine(dir, "seed_server.py"), SeedServerV4);
            using var proxy = Background.Start("relaying", "ip", "netns", "exec", net.Gw, "dotnet", Path.Combine(AppContext.BaseDirectory, "inspector.dll"),
                "proxy", "--transparent", "--listen", $"[::]:{Gateway.ProxyPort}", "--json", "--data", dataRelay ? "relay" : "direct", "--data-ports", $"{Gateway.DataPortLow}-{Gateway.DataPortHigh}");
            foreach (string address in new[] { ServerV4, ServerV6 })
            {
                await Task.Run(() => RealServer.Run("ip", "netns", "exec", net.Server, "/usr/bin/python3", "-c",
                    "import socket, time, sys\nfor i in range(100):\n    try:\n        socket.create_connection((sys.argv[1], 21), 1).recv(100); sys.exit(0)\n    except OSError:\n        time.sleep(0.1)\nsys.exit(1)", address));
            }
            await seedServer.WaitReadyAsync();
            await proxy.WaitReadyAsync();

            var transfers = new List<(string Url, string[] Extra)>
            {
                ($"ftp://{ServerV4}/file.bin", []),
                ($"ftp://{ServerV4}/file.bin", ["--ssl-reqd", "-k"]),
                ($"ftp://[{ServerV6}]/file.bin", []),
                ($"ftp://[{ServerV6}]/file.bin", ["--ssl-reqd", "-k"]),
            };
            string expected = Convert.ToHexString(SHA256.HashData(content));
            for (int i = 0; i < transfers.Count; i++)
            {
                string got = Path.Combine(dir, $"got{i}.bin");
                (string url, string[] extra) = transfers[i];
                try
                {
                    await Task.Run(() => RealServer.Run("ip", ["netns", "exec", net.Client, "curl", "-sS", "--max-time", "60", .. extra, "-u", $"{RealServer.User}:{RealServer.Password}", url, "-o", got]));
                }
                catch (InvalidOperationException e)
                {
                    throw new InvalidOperationException($"{e.Message}\nrelay stderr: {proxy.Stderr}\nrelay stdout: {proxy.Stdout}\nserver: {server.Stderr}{server.Stdout}{ReadOrEmpty(Path.Combine(dir, "proftpd.log"))}", e);
                }
                Assert.True(expected == Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(got))), $"{url} {string.Join(' ', extra)}: SHA-256 differs");
            }

            // The seed case: AUTH TLS accepted, then the ClientHello answered in plaintext.
            string seedReply = await Task.Run(() => RealServer.Run("ip", "netns", "exec", net.Client, "/usr/bin/python3", Path.Combine(dir, "seed_client.py"), SeedServerV4,
                Convert.ToHexString(SeedCase.ClientHelloRecord)));
            Assert.Contains("500", seedReply, StringComparison.Ordinal);

            // A client that connects to the relay's own port (not redirected) is refused and reported.
            await Task.Run(() => RealServer.Run("ip", "netns", "exec", net.Client, "/usr/bin/python3", "-c",
                $"import socket; s=socket.create_connection(('192.0.2.1', {Gateway.ProxyPort}), 5); s.settimeout(5); print(s.recv(100))"));

            await Task.Delay(500);
            int code = await proxy.StopAsync();
            List<JsonElement> lines = [.. proxy.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement)];
            string Diagnose() => $"exit {code}\nstderr: {proxy.Stderr}\nstdout: {proxy.Stdout}";
            List<JsonElement> sessions = [.. lines.Where(l => l.GetProperty("type").GetString() == "session")];
            Assert.True(sessions.Count(s => s.GetProperty("server").GetString() == $"{ServerV4}:21") == 2, Diagnose());
            Assert.True(sessions.Count(s => s.GetProperty("server").GetString() == $"[{ServerV6}]:21") == 2, Diagnose());
            Assert.True(sessions.Count(s => s.GetProperty("server").GetString() == $"{SeedServerV4}:21") == 1, Diagnose());
            Assert.True(sessions.Where(s => s.GetProperty("server").GetString()!.EndsWith(":21", StringComparison.Ordinal))
                .All(s => s.GetProperty("client").GetString()!.StartsWith("192.0.2.10:", StringComparison.Ordinal)
                    || s.GetProperty("client").GetString()!.StartsWith("[2001:db8:1::10]:", StringComparison.Ordinal)), Diagnose());
            // With --data relay the plain transfers' data connections ran through the relay (FTPS keeps them direct).
            Assert.True(sessions.Count(s => s.TryGetProperty("parent", out _)) == (dataRelay ? 2 : 0), Diagnose());
            List<string> findings = [.. lines.Where(l => l.GetProperty("type").GetString() == "finding").Select(l => l.GetProperty("name").GetString()!)];
            Assert.True(findings.Contains("ftps.plaintext_after_auth"), Diagnose());
            Assert.True(findings.Contains("proxy.not_redirected"), Diagnose());
            Assert.False(findings.Contains("proxy.upstream_failed") || findings.Contains("proxy.redirect_loop") || findings.Contains("proxy.data_connect_failed")
                || findings.Contains("proxy.data_missing"), Diagnose());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_redirect_of_the_relays_own_connections_back_to_it_is_refused_as_a_loop()
    {
        // The misconfiguration: the gateway's own outgoing FTP connections (the relay's) are redirected too.
        using var net = Gateway.Create($"ip daddr 198.51.100.0/24 tcp dport 21 redirect to :{Gateway.ProxyPort}");
        using var proxy = Background.Start("relaying", "ip", "netns", "exec", net.Gw, "dotnet", Path.Combine(AppContext.BaseDirectory, "inspector.dll"),
            "proxy", "--transparent", "--listen", $"0.0.0.0:{Gateway.ProxyPort}", "--json");
        await proxy.WaitReadyAsync();
        // No server needs to run: the relay's connection to it never leaves the gateway.
        Assert.Throws<InvalidOperationException>(() => RealServer.Run("ip", "netns", "exec", net.Client, "curl", "-sS", "--max-time", "20", $"ftp://{ServerV4}/"));
        await Task.Delay(500);
        int code = await proxy.StopAsync();
        List<JsonElement> lines = [.. proxy.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement)];
        string diagnose = $"exit {code}\nstderr: {proxy.Stderr}\nstdout: {proxy.Stdout}";
        List<JsonElement> loops = [.. lines.Where(l => l.GetProperty("type").GetString() == "finding" && l.GetProperty("name").GetString() == "proxy.redirect_loop")];
        Assert.True(loops.Count == 1, diagnose);
        // The loop was cut at once: the client's session and the refused one, nothing more.
        Assert.True(lines.Count(l => l.GetProperty("type").GetString() == "session") == 2, diagnose);
        Assert.Contains(lines, l => l.GetProperty("type").GetString() == "session" && l.GetProperty("server").GetString() == $"{ServerV4}:21"
            && l.GetProperty("client").GetString()!.StartsWith("192.0.2.10:", StringComparison.Ordinal));
    }

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path) : "";

    [Theory]
    [InlineData("--transparent and --upstream exclude each other", "--transparent", "--upstream", "127.0.0.1:21", "--listen", "0.0.0.0:2121")]
    [InlineData("--upstream HOST:PORT is required (or --transparent", "--listen", "0.0.0.0:2121")]
    [InlineData("never to loopback; listen on 0.0.0.0:2121", "--transparent")]
    [InlineData("never to loopback; listen on 0.0.0.0:2122", "--transparent", "--listen", "127.0.0.1:2122")]
    [InlineData("--idle-timeout -1: expected seconds above 0, at most 2592000", "--upstream", "127.0.0.1:21", "--idle-timeout", "-1")]
    [InlineData("--idle-timeout 0: expected seconds above 0", "--upstream", "127.0.0.1:21", "--idle-timeout", "0")]
    [InlineData("--connect-timeout 1000000000000000: expected seconds above 0", "--upstream", "127.0.0.1:21", "--connect-timeout", "1e15")]
    public void Bad_combinations_are_refused_with_a_clear_error(string message, params string[] args)
    {
        using var proxy = Background.Start("never", "dotnet", [Path.Combine(AppContext.BaseDirectory, "inspector.dll"), "proxy", .. args]);
        int code = proxy.WaitExit();
        Assert.True(code == 2, $"exit {code}: {proxy.Stderr}");
        Assert.Contains(message, proxy.Stderr, StringComparison.Ordinal);
    }

    /// <summary>ProFTPD (mod_tls, explicit FTPS optional) on port 21 of the server's IPv4 and IPv6 addresses, with a virtual user.</summary>
    private static void WriteProftpdConfig(string dir)
    {
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        // The control connection comes from the relay, the data connection (--data direct) from the client.
        RealServer.WriteProftpdConfig(dir, "Inspector transparent test", 21, $"{ServerV4} {ServerV6}", ipv6: true, 30000, 30099,
            tls: true, "TLSOptions NoSessionReuseRequired", "AllowForeignAddress on");
    }

    /// <summary>The seed server: accepts AUTH TLS, then answers the ClientHello in plaintext and closes.</summary>
    private const string SeedServerScript = """
        import socket, sys
        l = socket.socket()
        l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        l.bind((sys.argv[1], 21))
        l.listen(5)
        print("ready", flush=True)
        while True:
            c, _ = l.accept()
            c.sendall(b"220 seed server\r\n")
            c.recv(100)
            c.sendall(b"234 AUTH TLS OK.\r\n")
            c.recv(4096)
            c.sendall(b"500 Unknown command.\r\n")
            c.close()
        """;

    /// <summary>The seed client (SeedCase): greeting, AUTH TLS, its ClientHello, then read until the server closes.</summary>
    private const string SeedClientScript = """
        import socket, sys
        s = socket.create_connection((sys.argv[1], 21), 10)
        s.settimeout(10)
        out = s.recv(1000)
        s.sendall(b"AUTH TLS\r\n")
        out += s.recv(1000)
        s.sendall(bytes.fromhex(sys.argv[2]))
        while True:
            b = s.recv(4096)
            if not b: break
            out += b
        print(out.decode("latin-1"))
        """;

    /// <summary>The three namespaces, their links and the gateway's rules; disposing deletes the namespaces, which takes everything in them along.</summary>
    private sealed class Gateway : IDisposable
    {
        public const int ProxyPort = 2121, DataPortLow = 40000, DataPortHigh = 40099;

        private Gateway(string id)
        {
            Id = id;
        }

        public string Id { get; }

        public string Client => "insc-" + Id;

        public string Gw => "insg-" + Id;

        public string Server => "inss-" + Id;

        /// <summary>The namespaces and rules; <paramref name="outputRule"/>: also a rule in a nat output chain of the gateway.</summary>
        /// <param name="tproxy">TPROXY (a mangle rule, a mark and a local route) instead of a REDIRECT rule.</param>
        public static Gateway Create(string? outputRule = null, bool tproxy = false)
        {
            if (Environment.UserName != "root" && !string.Equals(Environment.GetEnvironmentVariable("USER"), "root", StringComparison.Ordinal) && GetUid() != 0)
                Assert.Fail("the transparent-mode test needs root (network namespaces, nftables): run the tests as root, as CI does");
            foreach (string tool in new[] { "/usr/sbin/nft", "/usr/sbin/ip", "/usr/sbin/proftpd", "/usr/bin/curl", "/usr/bin/python3" })
                if (!File.Exists(tool) && !File.Exists(tool.Replace("/usr/sbin/", "/sbin/", StringComparison.Ordinal)))
                    Assert.Fail($"{tool} is missing: run tests/install-deps.sh as root (it installs nftables, iproute2, proftpd, curl)");
            var g = new Gateway(Guid.NewGuid().ToString("N")[..6]);
            try
            {
                g.Setup(outputRule, tproxy);
            }
            catch
            {
                g.Dispose();
                throw;
            }
            return g;
        }

        private static uint GetUid() => uint.Parse(RealServer.Run("id", "-u").Trim(), System.Globalization.CultureInfo.InvariantCulture);

        private void Setup(string? outputRule, bool tproxy)
        {
            foreach (string ns in new[] { Client, Gw, Server }) Ip("netns", "add", ns);
            string vc = "vc" + Id, vgc = "vgc" + Id, vs = "vs" + Id, vgs = "vgs" + Id;
            Ip("link", "add", vc, "netns", Client, "type", "veth", "peer", "name", vgc, "netns", Gw);
            Ip("link", "add", vs, "netns", Server, "type", "veth", "peer", "name", vgs, "netns", Gw);
            In(Client, "ip", "addr", "add", "192.0.2.10/24", "dev", vc);
            In(Client, "ip", "-6", "addr", "add", "2001:db8:1::10/64", "dev", vc, "nodad");
            In(Gw, "ip", "addr", "add", "192.0.2.1/24", "dev", vgc);
            In(Gw, "ip", "-6", "addr", "add", "2001:db8:1::1/64", "dev", vgc, "nodad");
            In(Gw, "ip", "addr", "add", "198.51.100.1/24", "dev", vgs);
            In(Gw, "ip", "-6", "addr", "add", "2001:db8:2::1/64", "dev", vgs, "nodad");
            In(Server, "ip", "addr", "add", $"{ServerV4}/24", "dev", vs);
            In(Server, "ip", "addr", "add", $"{SeedServerV4}/24", "dev", vs);
            In(Server, "ip", "-6", "addr", "add", $"{ServerV6}/64", "dev", vs, "nodad");
            foreach ((string ns, string dev) in new[] { (Client, vc), (Gw, vgc), (Gw, vgs), (Server, vs) }) In(ns, "ip", "link", "set", dev, "up");
            foreach (string ns in new[] { Client, Gw, Server }) In(ns, "ip", "link", "set", "lo", "up");
            In(Client, "ip", "route", "add", "default", "via", "192.0.2.1");
            In(Client, "ip", "-6", "route", "add", "default", "via", "2001:db8:1::1");
            In(Server, "ip", "route", "add", "default", "via", "198.51.100.1");
            In(Server, "ip", "-6", "route", "add", "default", "via", "2001:db8:2::1");
            In(Gw, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            In(Gw, "sysctl", "-q", "-w", "net.ipv6.conf.all.forwarding=1");
            // The rule the README gives: only the control port is redirected; data connections are forwarded as they are.
            string rules = Path.Combine(Path.GetTempPath(), $"inspector-nft-{Id}.nft");
            File.WriteAllText(rules, $$"""
                table inet inspector {
                    chain prerouting {
                        type nat hook prerouting priority dstnat; policy accept;
                        {{(tproxy ? "" : $"tcp dport {{ 21, 990 }} redirect to :{ProxyPort}")}}
                        # --data relay: the client reaches the relay's data listeners at the server's address (EPSV), same port.
                        tcp dport {{DataPortLow}}-{{DataPortHigh}} redirect
                    }
                    chain mangle {
                        type filter hook prerouting priority mangle; policy accept;
                        {{(tproxy ? $"tcp dport {{ 21, 990 }} tproxy to :{ProxyPort} meta mark set 1 accept" : "")}}
                    }
                    chain output {
                        type nat hook output priority -100; policy accept;
                        {{outputRule ?? ""}}
                    }
                }
                """);
            if (tproxy)
            {
                // TPROXY delivers marked packets locally; the connection keeps its original destination as local address.
                In(Gw, "ip", "rule", "add", "fwmark", "1", "lookup", "100");
                In(Gw, "ip", "route", "add", "local", "0.0.0.0/0", "dev", "lo", "table", "100");
                In(Gw, "ip", "-6", "rule", "add", "fwmark", "1", "lookup", "100");
                In(Gw, "ip", "-6", "route", "add", "local", "::/0", "dev", "lo", "table", "100");
            }
            try
            {
                In(Gw, "nft", "-f", rules);
            }
            finally
            {
                File.Delete(rules);
            }
        }

        private static void Ip(params string[] args) => RealServer.Run("ip", args);

        private static void In(string ns, params string[] args) => RealServer.Run("ip", ["netns", "exec", ns, .. args]);

        public void Dispose()
        {
            foreach (string ns in new[] { Client, Gw, Server })
            {
                try
                {
                    RealServer.Run("ip", "netns", "del", ns);
                }
                catch (InvalidOperationException)
                {
                    // not created
                }
            }
        }
    }

    /// <summary>A process the test starts and stops by its id (its whole tree, e.g. ip netns exec and what it runs).</summary>
    private sealed class Background : IDisposable
    {
        private readonly Process process;
        private readonly StringBuilder stdout = new(), stderr = new();
        private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private Background(Process process) => this.process = process;

        public static Background Start(string readyText, string program, params string[] args)
        {
            var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in args) psi.ArgumentList.Add(a);
            psi.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
            psi.Environment["DOTNET_NOLOGO"] = "1";
            psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            var me = new Background(new Process { StartInfo = psi });
            void Line(StringBuilder into, string? line)
            {
                if (line is null) return;
                lock (into) into.AppendLine(line);
                if (line.Contains(readyText, StringComparison.Ordinal)) me.ready.TrySetResult();
            }
            me.process.OutputDataReceived += (_, e) => Line(me.stdout, e.Data);
            me.process.ErrorDataReceived += (_, e) => Line(me.stderr, e.Data);
            me.process.Start();
            me.process.BeginOutputReadLine();
            me.process.BeginErrorReadLine();
            return me;
        }

        public string Stdout
        {
            get { lock (stdout) return stdout.ToString(); }
        }

        public string Stderr
        {
            get { lock (stderr) return stderr.ToString(); }
        }

        public async Task WaitReadyAsync()
        {
            Task first = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(30)));
            if (first != ready.Task) throw new InvalidOperationException($"{process.StartInfo.FileName} {string.Join(' ', process.StartInfo.ArgumentList)} did not start: {Stderr}{Stdout}");
        }

        public int WaitExit()
        {
            if (!process.WaitForExit(60_000)) throw new TimeoutException("the process did not exit");
            process.WaitForExit();
            return process.ExitCode;
        }

        /// <summary>SIGTERM (ip netns exec runs the program in its own place, so the signal reaches it), then the exit code.</summary>
        public async Task<int> StopAsync()
        {
            if (!process.HasExited) Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            process.WaitForExit();
            return process.ExitCode;
        }

        public void Dispose()
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            process.Dispose();
        }
    }
}
