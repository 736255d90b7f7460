using System.Diagnostics;

namespace Inspector.Tui;

/// <summary>
/// Puts the terminal back when the process dies in a way Terminal.Gui cannot clean up after: an
/// exception on another thread (a source's worker) ends the process without unwinding the UI
/// thread. Normal exits, Ctrl+C and exceptions on the UI thread are restored by disposing the
/// application; this is the last resort for the rest.
/// </summary>
internal sealed class TerminalGuard : IDisposable
{
    /// <summary>Leave the alternate screen, show the cursor, reset colours, stop mouse reporting and bracketed paste.</summary>
    public const string ResetSequence = "\u001b[?1049l\u001b[?25h\u001b[0m\u001b[?1000l\u001b[?1002l\u001b[?1003l\u001b[?1006l\u001b[?1015l\u001b[?2004l\r\n";

    private readonly UnhandledExceptionEventHandler onCrash;
    private int restored;

    private TerminalGuard()
    {
        onCrash = (_, _) => Restore();
        AppDomain.CurrentDomain.UnhandledException += onCrash;
    }

    public static TerminalGuard Install() => new();

    /// <summary>Writes the reset sequence and puts the tty back in cooked mode (once).</summary>
    public void Restore()
    {
        if (Interlocked.Exchange(ref restored, 1) == 1) return;
        try
        {
            using Stream stdout = Console.OpenStandardOutput();
            byte[] reset = System.Text.Encoding.ASCII.GetBytes(ResetSequence);
            stdout.Write(reset);
            stdout.Flush();
            if (!OperatingSystem.IsWindows() && !Console.IsInputRedirected) SttySane();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // Dying already; nothing more can be done for the terminal.
        }
    }

    /// <summary>The driver switched the tty to raw mode; <c>stty sane</c> on the same terminal switches it back.</summary>
    private static void SttySane()
    {
        var start = new ProcessStartInfo("stty", "sane") { UseShellExecute = false };
        using Process? stty = Process.Start(start);
        stty?.WaitForExit(2000);
    }

    public void Dispose() => AppDomain.CurrentDomain.UnhandledException -= onCrash;
}
