using Inspector.Tui.Tests.Kit;
using Xunit.Abstractions;

namespace Inspector.Tui.Tests.EndToEnd;

/// <summary>
/// <c>inspector read --tui</c> as a user runs it: the real binary in a real terminal (tmux),
/// keys typed, the screen read back. Each run ends by printing the exit code and whether the
/// terminal settings (<c>stty -g</c>) came back as they were.
/// </summary>
public sealed class ReadTuiInTmuxTests(ITestOutputHelper output) : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("inspector-tui-e2e-").FullName;

    private static string Run(string capture, string extra = "") =>
        $"before=$(stty -g); {Tools.Inspector} read --tui {Tools.Quote(capture)} {extra}; code=$?; "
        + "if [ \"$before\" = \"$(stty -g)\" ]; then echo TTY-RESTORED; else echo TTY-CHANGED; fi; echo EXIT=$code; sleep 120";

    [TmuxFact(Timeout = 120_000)]
    public async Task The_seed_capture_shows_the_desync_and_answers_the_keys()
    {
        await Task.Yield();
        using var tmux = new Tmux(Run(TestEnvironment.Capture(TestEnvironment.SeedCapture)), 100, 30, work);
        string screen = tmux.WaitFor("Sessions — read seed-proftpd");
        screen = tmux.WaitFor("Explanation");
        output.WriteLine(screen);
        Assert.Contains("127.0.0.1:48864 → 127.0.0.1:2128", screen);
        Assert.Contains("550 TLS handshake failed", screen);
        Assert.Contains("ERROR ftps.plaintext_after_auth", screen);
        Assert.True(screen.IndexOf("TLS ClientHello", StringComparison.Ordinal) < screen.IndexOf("550 TLS handshake failed", StringComparison.Ordinal));
        // The session row is drawn in red (24-bit SGR: 38;2;255;0;0 or 48;2;... on the row's text).
        string coloured = tmux.Screen(escapes: true);
        Assert.Matches(@"\u001b\[[0-9;]*[34]8;2;(205|255);0;0m[^\n]*127\.0\.0\.1:48864", coloured);

        tmux.Send("N");
        tmux.WaitFor("WARN tls.legacy_version_only  blame: client");
        tmux.Send("n");
        tmux.WaitFor("ERROR ftps.plaintext_after_auth  blame: server");

        tmux.Send("/");
        tmux.WaitFor("Filter (");
        tmux.Send("no-such-text", literal: true);
        tmux.Send("Enter");
        tmux.WaitFor("no session matches \"no-such-text\"");
        tmux.Send("Escape");
        tmux.WaitFor("filter cleared");

        tmux.Send("?");
        tmux.WaitFor("Keys (any key closes)");
        tmux.Send("x");
        tmux.WaitUntil(s => !s.Contains("Keys (any key closes)", StringComparison.Ordinal), "the help to close");

        // Save the session; the file is checked by tshark and read back by inspector.
        tmux.Send("s");
        tmux.WaitFor("Save session 1 as pcapng: inspector-session-1.pcapng");
        tmux.Send("Enter");
        screen = tmux.WaitFor("saved ");
        output.WriteLine(screen);
        string saved = Path.Combine(work, "inspector-session-1.pcapng");
        Assert.True(File.Exists(saved), $"{saved} was written");
        Assert.Equal(Tools.TsharkPackets(TestEnvironment.Capture(TestEnvironment.SeedCapture), "tcp.port == 48864").Length, Tools.TsharkPackets(saved).Length);
        (int code, string text) = Tools.InspectorRead(saved);
        Assert.Equal(1, code);
        Assert.Contains("ftps.plaintext_after_auth", text);
        Assert.Contains("tls.legacy_version_only", text);

        tmux.Send("q");
        screen = tmux.WaitFor("EXIT=");
        output.WriteLine(screen);
        Assert.Contains("TTY-RESTORED", screen);
        Assert.Contains("EXIT=1", screen); // an error-level finding, as without --tui
        Assert.DoesNotContain("Sessions — read", screen); // the alternate screen is gone
    }

    [TmuxFact(Timeout = 120_000)]
    public async Task Ctrl_C_restores_the_terminal_and_80x24_without_colour_still_shows_the_desync()
    {
        await Task.Yield();
        using var tmux = new Tmux(Run(TestEnvironment.Capture(TestEnvironment.SeedCapture)), 80, 24, work,
            new Dictionary<string, string> { ["NO_COLOR"] = "1" });
        string screen = tmux.WaitFor("Explanation");
        output.WriteLine(screen);
        Assert.Contains("!! 19:19:02.275953 S→C ERROR ftps.plaintext_after_auth", screen);
        Assert.Contains("?:help", screen);
        Assert.DoesNotMatch(@"\u001b\[[0-9;]*[34]8;2;", tmux.Screen(escapes: true)); // no 24-bit colour at all

        tmux.Resize(120, 40);
        screen = tmux.WaitFor("[127.0.0.1]  [greeting]"); // cut off at 80 columns
        Assert.Contains("server resets the connection (RST)", screen);

        tmux.Send("C-c");
        screen = tmux.WaitFor("EXIT=");
        output.WriteLine(screen);
        Assert.Contains("TTY-RESTORED", screen);
        Assert.Contains("EXIT=1", screen);
    }

    [TmuxFact(Timeout = 120_000)]
    public async Task A_banner_with_escape_sequences_reaches_the_terminal_escaped()
    {
        await Task.Yield();
        string capture = EvilBanner.WriteCapture(work);
        using var tmux = new Tmux(Run(capture), 120, 30, work);
        string screen = tmux.WaitFor("PWNED");
        output.WriteLine(screen);
        Assert.Contains(EvilBanner.Escaped, screen);
        Assert.DoesNotContain("owned", tmux.PaneTitle); // the OSC 0 title sequence was not obeyed
        tmux.Send("q");
        screen = tmux.WaitFor("EXIT=");
        Assert.Contains("TTY-RESTORED", screen);
        Assert.Contains("EXIT=0", screen);
    }

    [TmuxFact(Timeout = 120_000)]
    public async Task A_crash_on_the_UI_thread_or_another_thread_still_restores_the_terminal()
    {
        await Task.Yield();
        foreach (string fault in new[] { "ui", "worker" })
        {
            using var tmux = new Tmux(Run(TestEnvironment.Capture(TestEnvironment.SeedCapture)), 100, 30, work,
                new Dictionary<string, string> { [TuiApp.FaultVariable] = fault });
            string screen = tmux.WaitFor("EXIT=");
            output.WriteLine(screen);
            Assert.Contains("fault injected for the terminal-restore test", screen);
            Assert.Contains("TTY-RESTORED", screen);
            Assert.DoesNotContain("EXIT=0", screen);
            Assert.DoesNotContain("Sessions — read", screen);
        }
    }

    [TmuxFact(Timeout = 120_000)]
    public async Task SIGTERM_stops_the_UI_cleanly_and_a_hung_up_terminal_ends_the_process()
    {
        await Task.Yield();
        using (var tmux = new Tmux(Run(TestEnvironment.Capture(TestEnvironment.SeedCapture)), 100, 30, work))
        {
            tmux.WaitFor("Explanation");
            Signal("TERM", tmux.ProgramPid());
            string screen = tmux.WaitFor("EXIT=");
            output.WriteLine(screen);
            Assert.Contains("TTY-RESTORED", screen);
            Assert.Contains("EXIT=1", screen);
        }
        using (var tmux = new Tmux(Run(TestEnvironment.Capture(TestEnvironment.SeedCapture)), 100, 30, work))
        {
            tmux.WaitFor("Explanation");
            int pid = tmux.ProgramPid();
            tmux.HangUp();
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (Alive(pid) && waited.Elapsed < TimeSpan.FromSeconds(15)) Thread.Sleep(100);
            Assert.False(Alive(pid), $"inspector (pid {pid}) still runs {waited.Elapsed.TotalSeconds:F0} s after its terminal hung up");
        }
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = System.Diagnostics.Process.Start("kill", $"-{signal} {pid}");
        kill.WaitForExit();
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [TmuxFact(Timeout = 60_000)]
    public async Task An_unreadable_file_is_reported_before_the_screen_is_taken()
    {
        await Task.Yield();
        string notCapture = Path.Combine(work, "not-a-capture.pcap");
        File.WriteAllText(notCapture, "hello, this is not a capture file");
        using var tmux = new Tmux(Run(notCapture), 100, 20, work);
        string screen = tmux.WaitFor("EXIT=");
        Assert.Contains("not a pcap or pcapng file", screen);
        Assert.Contains("EXIT=2", screen);
        Assert.Contains("TTY-RESTORED", screen);
    }

    public void Dispose() => Directory.Delete(work, recursive: true);
}
