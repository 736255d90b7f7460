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
        int port = FreePort();
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

    private static int FreePort()
    {
        using var l = new Socket(SocketType.Stream, ProtocolType.Tcp);
        l.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)l.LocalEndPoint!).Port;
    }
}
