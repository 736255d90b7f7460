using System.Net;
using System.Net.Sockets;
using Inspector.Testing;
using Inspector.Tui.Tests.Kit;
using Xunit.Abstractions;

namespace Inspector.Tui.Tests.EndToEnd;

/// <summary>
/// <c>inspector proxy --tui</c> and <c>inspector live --tui</c> as a user runs them, in tmux: the
/// seed case crosses a real ProFTPD, the session and its finding appear live, <c>s</c> saves it,
/// and <c>q</c> leaves with the terminal restored and the summary printed.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LiveSourcesTuiInTmuxTests(ITestOutputHelper output) : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("inspector-tui-live-").FullName;

    private static string Run(string arguments) =>
        $"before=$(stty -g); {Tools.Inspector} {arguments}; code=$?; "
        + "if [ \"$before\" = \"$(stty -g)\" ]; then echo TTY-RESTORED; else echo TTY-CHANGED; fi; echo EXIT=$code; sleep 120";

    [TmuxFact(Timeout = 120_000)]
    public async Task Proxy_shows_the_seed_case_live_and_saves_both_legs()
    {
        using RealServer server = RealServer.Proftpd();
        int port = Inspector.Testing.RealServer.FreePort();
        using var tmux = new Tmux(Run($"proxy --tui --listen 127.0.0.1:{port} --upstream 127.0.0.1:{server.Port}"), 100, 30, work);
        tmux.WaitFor($"proxy 127.0.0.1:{port}");

        await SeedCase.RunClientAsync(new IPEndPoint(IPAddress.Loopback, port));
        string screen = tmux.WaitFor("ERROR ftps.plaintext_after_auth");
        output.WriteLine(screen);
        Assert.Contains($"→ 127.0.0.1:{server.Port}", screen);

        tmux.Send("s");
        tmux.WaitFor("Save session 1 as pcapng: inspector-session-1.pcapng");
        tmux.Send("Enter");
        tmux.WaitFor("saved ");
        string saved = Path.Combine(work, "inspector-session-1.pcapng");
        (int code, string text) = Tools.InspectorRead(saved);
        output.WriteLine(text);
        Assert.Equal(1, code);
        // Both legs of the relayed session, each with the finding.
        Assert.Contains("2 FTP session(s)", text);
        Assert.Equal(2, text.Split("ERROR ftps.plaintext_after_auth [server]").Length - 1);

        tmux.Send("q");
        screen = tmux.WaitFor("EXIT=");
        output.WriteLine(screen);
        Assert.Contains("TTY-RESTORED", screen);
        Assert.Contains("inspector: stopped; 1 session(s), 1 with errors", screen);
        Assert.Contains("EXIT=1", screen);
    }

    [TmuxFact(Timeout = 120_000)]
    public async Task Live_capture_on_lo_shows_the_seed_case_as_it_happens()
    {
        using RealServer server = RealServer.Proftpd();
        using var tmux = new Tmux(Run($"live --tui -i lo --port {server.Port}"), 100, 30, work);
        tmux.WaitFor("live lo");

        await SeedCase.RunClientAsync(server.Endpoint);
        string screen = tmux.WaitFor("ERROR ftps.plaintext_after_auth");
        output.WriteLine(screen);
        Assert.Contains($"→ 127.0.0.1:{server.Port}", screen);

        tmux.Send("q");
        screen = tmux.WaitFor("EXIT=");
        output.WriteLine(screen);
        Assert.Contains("TTY-RESTORED", screen);
        Assert.Contains("lo (live, Ethernet):", screen);
        Assert.Contains("EXIT=1", screen);
    }

    public void Dispose() => Directory.Delete(work, recursive: true);
}
