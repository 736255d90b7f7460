using System.Diagnostics;

namespace Inspector.Tui.Tests.Kit;

/// <summary>
/// Runs a command in a detached tmux pane on a private server socket, types keys into it and
/// reads the screen back with <c>capture-pane</c>: the UI as a person at a terminal sees it.
/// </summary>
internal sealed class Tmux : IDisposable
{
    /// <summary>A private server socket, so tests never meet a user's tmux or each other; removed afterwards.</summary>
    private readonly string socket = Path.Combine(Path.GetTempPath(), "inspector-tmux-" + Guid.NewGuid().ToString("N")[..12]);

    /// <param name="shellCommand">Run by <c>sh -c</c>; keep the pane open afterwards (e.g. <c>; sleep 60</c>) to read what it printed.</param>
    public Tmux(string shellCommand, int width, int height, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var args = new List<string> { "new-session", "-d", "-s", "ui", "-x", width.ToString(System.Globalization.CultureInfo.InvariantCulture), "-y", height.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", workingDirectory };
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            args.Add("-e");
            args.Add($"{name}={value}");
        }
        args.Add(shellCommand);
        Run(args.ToArray());
    }

    public static bool Available { get; } = Probe();

    public const string Missing = "tmux is not installed (apt-get install tmux; tests/install-deps.sh installs it)";

    /// <summary>The pane's text; with <paramref name="escapes"/> the colour and style sequences too.</summary>
    public string Screen(bool escapes = false) => Run(escapes ? ["capture-pane", "-p", "-e", "-t", "ui"] : ["capture-pane", "-p", "-t", "ui"]);

    /// <summary>The pane's title, which an OSC 0/2 sequence that reached the terminal would have set.</summary>
    public string PaneTitle => Run("display-message", "-p", "-t", "ui", "#{pane_title}").Trim();

    /// <summary>Keys in tmux's names (Enter, Escape, Tab, C-c, PageDown) or literal text with <paramref name="literal"/>.</summary>
    public void Send(string keys, bool literal = false)
    {
        if (literal) Run("send-keys", "-t", "ui", "-l", keys);
        else Run("send-keys", "-t", "ui", keys);
    }

    /// <summary>The process the pane's shell started (the program under test), by its parent's id.</summary>
    public int ProgramPid()
    {
        int shell = int.Parse(Run("display-message", "-p", "-t", "ui", "#{pane_pid}").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        using Process pgrep = Process.Start(new ProcessStartInfo("pgrep", $"-P {shell}") { RedirectStandardOutput = true, UseShellExecute = false })!;
        string children = pgrep.StandardOutput.ReadToEnd();
        pgrep.WaitForExit();
        return int.Parse(children.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Ends the tmux server: every pane's terminal hangs up, as when a terminal window is closed.</summary>
    public void HangUp() => Run("kill-server");

    public void Resize(int width, int height) =>
        Run("resize-window", "-t", "ui", "-x", width.ToString(System.Globalization.CultureInfo.InvariantCulture), "-y", height.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Polls the screen until it holds <paramref name="text"/>; fails with the screen as it was.</summary>
    public string WaitFor(string text, int seconds = 30) => WaitUntil(s => s.Contains(text, StringComparison.Ordinal), $"\"{text}\"", seconds);

    public string WaitUntil(Func<string, bool> done, string what, int seconds = 30)
    {
        var deadline = Stopwatch.StartNew();
        string screen = "";
        while (deadline.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            screen = Screen();
            if (done(screen)) return screen;
            Thread.Sleep(150);
        }
        Assert.Fail($"waited {seconds} s for {what}; the screen shows:\n{screen}");
        return screen;
    }

    public void Dispose()
    {
        try
        {
            Run("kill-server");
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        File.Delete(socket);
    }

    private string Run(params string[] args)
    {
        var psi = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-S");
        psi.ArgumentList.Add(socket);
        foreach (string a in args) psi.ArgumentList.Add(a);
        // The tmux server starts from this process: it must not inherit the headless-driver switch the view tests set.
        psi.Environment.Remove("DisableRealDriverIO");
        using Process p = Process.Start(psi)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"tmux {string.Join(' ', args)} failed ({p.ExitCode}): {stderr.Result}");
        return stdout;
    }

    private static bool Probe()
    {
        try
        {
            using Process p = Process.Start(new ProcessStartInfo("tmux", "-V") { RedirectStandardOutput = true, UseShellExecute = false })!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

/// <summary>A fact that is skipped, saying why, only when tmux is not installed.</summary>
internal sealed class TmuxFactAttribute : FactAttribute
{
    public TmuxFactAttribute()
    {
        if (!Tmux.Available) Skip = Tmux.Missing;
    }
}
