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
    /// Runs the UI on the calling thread until q or Ctrl+C. The terminal is restored when it
    /// returns, when it throws, on SIGTERM, and (as far as possible) when another thread crashes
    /// the process. Feed <see cref="TuiSource.Store"/> from any thread meanwhile.
    /// </summary>
    public static void Run(TuiSource source)
    {
        using TerminalGuard guard = TerminalGuard.Install();
        using (IApplication app = Application.Create())
        {
            app.Init();
            var ui = new InspectorUi(app, source, Palette.FromEnvironment());
            app.AddTimeout(RefreshInterval, () =>
            {
                ui.Tick();
                return true;
            });
            // Ctrl+C normally arrives as a key (the driver turns signals off); SIGINT, SIGTERM and SIGHUP from elsewhere stop the UI the same way.
            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                app.Invoke(app.RequestStop);
            }
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using PosixSignalRegistration sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);
            try
            {
                app.Run(ui.Window);
            }
            finally
            {
                ui.Window.Dispose();
            }
        }
    }
}
