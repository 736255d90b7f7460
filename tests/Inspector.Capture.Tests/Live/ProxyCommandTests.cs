using System.Net;
using System.Net.Sockets;
using Inspector.Testing;

namespace Inspector.Capture.Tests.Live;

/// <summary><c>inspector proxy</c> as a user runs it: the real command, the seed case through it, SIGTERM, the summary, the recording.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class ProxyCommandTests
{
    [Fact(Timeout = 180_000)]
    public async Task The_seed_case_through_the_proxy_command_is_reported_and_recorded()
    {
        using RealServer server = RealServer.Proftpd();
        int port = RealServer.FreePort();
        string recording = Path.Combine(server.Directory, "relay.pcapng");
        using var proxy = InspectorProcess.Start("relaying", ["proxy", "--listen", $"127.0.0.1:{port}", "--upstream", $"127.0.0.1:{server.Port}", "--record", recording]);
        await proxy.WaitReadyAsync();

        await SeedCase.RunClientAsync(new IPEndPoint(IPAddress.Loopback, port));
        await Task.Delay(500); // the relay passes the client's close on
        int code = await proxy.StopAsync();

        Assert.True(code == 1, $"exit {code}: {proxy.Stderr}");
        Assert.Contains($"inspector: relaying 127.0.0.1:{port} -> 127.0.0.1:{server.Port}", proxy.Stdout);
        Assert.Contains("!! ERROR ftps.plaintext_after_auth [server]", proxy.Stdout);
        Assert.Contains("inspector: stopped; 1 session(s), 1 with errors", proxy.Stdout);
        Assert.DoesNotContain("proxy.stopped", proxy.Stdout);

        Cli.CliRun read = Cli.CliRun.Of("read", recording);
        Assert.Equal(1, read.ExitCode);
        Assert.Contains("2 FTP session(s), 2 with errors", read.Stdout);
    }

    [Theory(Timeout = 180_000)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Data_relay_shows_each_transfer_as_a_data_connection_of_its_session(bool passive)
    {
        using RealServer server = RealServer.Proftpd();
        byte[] content = System.Security.Cryptography.RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        File.WriteAllBytes(Path.Combine(server.Root, "file.bin"), content);
        int port = RealServer.FreePort();
        using var proxy = InspectorProcess.Start("relaying", ["proxy", "--json", "--data", "relay", "--listen", $"127.0.0.1:{port}", "--upstream", $"127.0.0.1:{server.Port}"]);
        await proxy.WaitReadyAsync();

        string got = Path.Combine(server.Directory, "got.bin");
        string[] mode = passive ? [] : ["-P", "127.0.0.1"];
        await Task.Run(() => RealServer.Run("curl", [.. mode, "-sS", "-u", server.Login, $"ftp://127.0.0.1:{port}/file.bin", "-o", got]));
        Assert.Equal(content, File.ReadAllBytes(got));
        await Task.Delay(500); // the relay passes the client's close on
        int code = await proxy.StopAsync();
        Assert.True(code == 0, $"exit {code}: {proxy.Stderr}\n{proxy.Stdout}");

        List<System.Text.Json.JsonElement> lines = [.. proxy.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith('{')).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)];
        System.Text.Json.JsonElement control = Assert.Single(lines, l => l.GetProperty("type").GetString() == "session" && !l.TryGetProperty("parent", out _));
        long id = control.GetProperty("session").GetInt64();
        System.Text.Json.JsonElement end = Assert.Single(lines, l => l.GetProperty("type").GetString() == "session_end" && l.TryGetProperty("parent", out _));
        Assert.Equal(id, end.GetProperty("parent").GetInt64());
        Assert.Equal("ftp-data", end.GetProperty("protocol").GetString());
        Assert.Equal("RETR", end.GetProperty("command").GetString());
        Assert.Equal(passive ? "passive" : "active", end.GetProperty("mode").GetString());
        Assert.False(end.GetProperty("inferred").GetBoolean());
        Assert.Equal(content.Length, end.GetProperty("server_bytes").GetInt64());
        System.Text.Json.JsonElement report = Assert.Single(lines, l => l.GetProperty("type").GetString() == "data_connection");
        Assert.Equal(id, report.GetProperty("session").GetInt64());
        Assert.Equal(content.Length, report.GetProperty("server_bytes").GetInt64());
        Assert.DoesNotContain(lines, l => l.GetProperty("type").GetString() == "finding" && l.GetProperty("severity").GetString() != "info");
    }
}
