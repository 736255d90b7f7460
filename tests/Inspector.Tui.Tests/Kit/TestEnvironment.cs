using System.Runtime.CompilerServices;

namespace Inspector.Tui.Tests.Kit;

internal static class TestEnvironment
{
    /// <summary>
    /// As in Terminal.Gui's own tests: the ANSI driver runs without touching a real terminal, so
    /// a test run started from a terminal never writes escape sequences into it.
    /// </summary>
    [ModuleInitializer]
    internal static void DisableRealTerminal() => Environment.SetEnvironmentVariable("DisableRealDriverIO", "1");

    public static string Capture(string name) => Path.Combine(AppContext.BaseDirectory, "captures", name);

    public const string SeedCapture = "seed-proftpd-1.3.7f-openssl-1.0.2n.pcap";
}
