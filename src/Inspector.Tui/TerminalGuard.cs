using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Inspector.Tui;

/// <summary>
/// Puts the terminal back however the UI ends. Normal exits and Ctrl+C are restored by disposing
/// the application; this covers the rest: an exception escaping the UI (rethrown after the
/// restore) and an exception on another thread, which ends the process without unwinding the UI
/// thread. It leaves the alternate screen, shows the cursor, stops mouse reporting, and sets the
/// tty back to the settings it had before the UI started (saved with <c>stty -g</c>).
/// </summary>
internal sealed class TerminalGuard : IDisposable
{
    /// <summary>Leave the alternate screen, show the cursor, reset colours, stop mouse reporting and bracketed paste.</summary>
    public const string ResetSequence = "\u001b[?1049l\u001b[?25h\u001b[0m\u001b[?1000l\u001b[?1002l\u001b[?1003l\u001b[?1006l\u001b[?1015l\u001b[?2004l\r\n";

    private readonly UnhandledExceptionEventHandler onCrash;
    private readonly string? savedSettings;
    private int restored;

    private TerminalGuard()
    {
        savedSettings = OperatingSystem.IsWindows() || Console.IsInputRedirected ? null : Stty("-g")?.Trim();
        onCrash = (_, _) =>
        {
            Restore();
            SilenceStandardOutput();
        };
        AppDomain.CurrentDomain.UnhandledException += onCrash;
    }

    public static TerminalGuard Install() => new();

    /// <summary>Writes the reset sequence and puts the tty settings back (once).</summary>
    public void Restore()
    {
        if (Interlocked.Exchange(ref restored, 1) == 1) return;
        try
        {
            using Stream stdout = Console.OpenStandardOutput();
            stdout.Write(System.Text.Encoding.ASCII.GetBytes(ResetSequence));
            stdout.Flush();
            if (!OperatingSystem.IsWindows() && !Console.IsInputRedirected) Stty(savedSettings is { Length: > 0 } s ? s : "sane");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // Already failing; nothing more can be done for the terminal.
        }
    }

    /// <summary>
    /// The process is ending on an exception, but the UI thread draws on until the runtime stops
    /// it: a frame written after the restore painted over the crash report the runtime then
    /// writes to stderr (seen once in CI, under load). With stdout pointed at /dev/null nothing
    /// more is drawn, and the report stays on the screen.
    /// </summary>
    private static void SilenceStandardOutput()
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            using Microsoft.Win32.SafeHandles.SafeFileHandle devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Write);
            Dup2((int)devNull.DangerousGetHandle(), 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            // No /dev/null or no libc to ask: the report may be drawn over, nothing worse.
        }
    }

    [DllImport("libc", EntryPoint = "dup2")]
    private static extern int Dup2(int oldDescriptor, int newDescriptor);

    /// <summary>Runs stty on the terminal this process reads from (its stdin is inherited) and returns what it printed.</summary>
    private static string? Stty(string argument)
    {
        try
        {
            var start = new ProcessStartInfo("stty", argument) { UseShellExecute = false, RedirectStandardOutput = true };
            using Process? stty = Process.Start(start);
            if (stty is null) return null;
            string output = stty.StandardOutput.ReadToEnd();
            return stty.WaitForExit(2000) && stty.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no stty: the driver's own restore is all there is
        }
    }

    public void Dispose() => AppDomain.CurrentDomain.UnhandledException -= onCrash;
}
