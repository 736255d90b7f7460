using System.Net;
using System.Net.Sockets;
using Inspector.Testing;

namespace Inspector.Capture.Tests.Live;

/// <summary>
/// A real password from a real session (curl logging in to proftpd in plain FTP through the
/// proxy) appears in no output by default: not in the proxy's text or JSON, not in what
/// <c>inspector read</c> says about the recording (text, verbose, JSON, findings only; evidence is shown as hex too). With
/// <c>--show-passwords</c> it does, which shows the test would see it.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class SecretsTests
{
    [Fact(Timeout = 180_000)]
    public async Task A_real_password_reaches_no_output_unless_asked_for()
    {
        using RealServer server = RealServer.Proftpd();
        string recording = Path.Combine(server.Directory, "secrets.pcapng");
        int port = RealServer.FreePort();
        using var proxy = InspectorProcess.Start("relaying", ["proxy", "--listen", $"127.0.0.1:{port}", "--upstream", $"127.0.0.1:{server.Port}", "--record", recording]);
        await proxy.WaitReadyAsync();
        int jsonPort = RealServer.FreePort();
        using var jsonProxy = InspectorProcess.Start("relaying", ["proxy", "--json", "--listen", $"127.0.0.1:{jsonPort}", "--upstream", $"127.0.0.1:{server.Port}"]);
        await jsonProxy.WaitReadyAsync();

        foreach (int p in new[] { port, jsonPort })
        {
            await Task.Run(() => RealServer.Run("curl", "-sS", "-u", server.Login, $"ftp://127.0.0.1:{p}/", "-o", Path.Combine(server.Directory, "list.txt")));
        }
        await Task.Delay(500); // the relays pass the client's close on
        await proxy.StopAsync();
        await jsonProxy.StopAsync();

        string password = RealServer.Password;
        var outputs = new Dictionary<string, string>
        {
            ["proxy text"] = proxy.Stdout + proxy.Stderr,
            ["proxy json"] = jsonProxy.Stdout + jsonProxy.Stderr,
        };
        foreach (string[] args in new[] { new[] { "read" }, ["read", "--verbose"], ["read", "--json"], ["read", "--findings-only"] })
        {
            Cli.CliRun run = Cli.CliRun.Of([.. args, recording]);
            outputs[string.Join(' ', args)] = run.Stdout + run.Stderr;
        }
        foreach ((string where, string text) in outputs)
        {
            if (!where.Contains("findings-only", StringComparison.Ordinal)) Assert.Contains("PASS", text); // the command is there, redacted
            Assert.False(text.Contains(password, StringComparison.Ordinal), $"the password appears in {where}");
            Assert.False(text.Contains(Convert.ToHexStringLower(System.Text.Encoding.ASCII.GetBytes(password)), StringComparison.Ordinal), $"the password's hex appears in {where}");
        }

        // Asked for, it is there: the checks above would have seen it.
        Assert.Contains(password, Cli.CliRun.Of("read", "--show-passwords", recording).Stdout);
    }
}
