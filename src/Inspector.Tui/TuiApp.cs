using System.Runtime.InteropServices;
using Inspector.Tui.Views;
using Terminal.Gui.App;

namespace Inspector.Tui;

/// <summary>The terminal UI's one entry point: <c>TuiApp.Run(source)</c> shows the source's sessions until the user quits.</summary>
public static class TuiApp
{
    /// <summary>How often what the store received is taken onto the screen, in one batch.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Set to <c>ui</c> or <c>worker</c> to make the UI fail on purpose (an exception on the UI
    /// thread, or on another thread) once it is up: the end-to-end tests check the terminal is
    /// restored after a crash with it.
    /// </summary>
    public const string FaultVariable = "INSPECTOR_TUI_TEST_FAULT";

    /// <summary>
    /// Runs the UI on the calling thread until q or Ctrl+C. The terminal is restored when it
    /// returns, when it throws, on SIGINT and SIGTERM, and when another thread crashes the process. Feed <see cref="TuiSource.Store"/> from any thread meanwhile.
    /// </summary>
    public static void Run(TuiSource source)
    {
        using TerminalGuard guard = TerminalGuard.Install();
        using var finished = new CancellationTokenSource();
        try
        {
            RunApplication(source, guard, finished.Token);
        }
        catch (Exception)
        {
            // The application was disposed on the way out; make sure of the rest before the error is shown.
            guard.Restore();
            throw;
        }
        finally
        {
            finished.Cancel(); // stands down a signal's watchdog: the UI stopped by itself
        }
    }

    /// <summary>How long a UI asked to stop by a signal may take before the process leaves without it.</summary>
    public static readonly TimeSpan SignalGrace = TimeSpan.FromSeconds(2);

    private static void RunApplication(TuiSource source, TerminalGuard guard, CancellationToken finished)
    {
        using IApplication app = Application.Create();
        app.Init();
        var ui = new InspectorUi(app, source, Palette.FromEnvironment());
        app.AddTimeout(RefreshInterval, () =>
        {
            ui.Tick();
            return true;
        });
        InjectFault(app);
        // Ctrl+C normally arrives as a key (the driver turns signals off); SIGINT and SIGTERM from
        // elsewhere stop the UI the same way. A UI that cannot stop (its terminal is gone, so the
        // driver's input loop only meets errors) is not waited for beyond a short grace. SIGHUP is
        // left to its default: the terminal hung up, there is nothing to restore, the process ends.
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            int exitCode = 128 + (context.Signal == PosixSignal.SIGINT ? 2 : 15);
            app.Invoke(app.RequestStop);
            _ = Task.Delay(SignalGrace, finished).ContinueWith(waited =>
            {
                if (waited.IsCanceled) return;
                guard.Restore();
                Environment.Exit(exitCode);
            }, TaskScheduler.Default);
        }
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            app.Run(ui.Window);
        }
        finally
        {
            ui.Window.Dispose();
        }
    }

    private static void InjectFault(IApplication app)
    {
        string? fault = Environment.GetEnvironmentVariable(FaultVariable);
        if (fault is not ("ui" or "worker")) return;
        app.AddTimeout(TimeSpan.FromSeconds(1), () =>
        {
            const string Message = "fault injected for the terminal-restore test";
            if (fault == "ui") throw new InvalidOperationException(Message);
            new Thread(() => throw new InvalidOperationException(Message)) { IsBackground = true }.Start();
            return false;
        });
    }
}
