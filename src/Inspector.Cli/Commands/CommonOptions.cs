using System.CommandLine;
using Inspector.Core.Findings;

namespace Inspector.Cli.Commands;

/// <summary>Options shared by read, live and proxy.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Write JSON Lines (one object per line) instead of text" };

    public static Option<bool> FindingsOnly() => new("--findings-only") { Description = "Show findings only, not the timeline" };

    public static Option<long?> Session() => new("--session") { Description = "Show only the session with this number" };

    public static Option<string> MinSeverity()
    {
        var o = new Option<string>("--min-severity") { Description = "Hide findings below this severity", DefaultValueFactory = _ => "info" };
        o.AcceptOnlyFromAmong("info", "warning", "error");
        return o;
    }

    public static Option<bool> NoColor() => new("--no-color") { Description = "No colour, even on a terminal" };

    public static Option<bool> ShowPasswords() => new("--show-passwords") { Description = "Show PASS arguments instead of redacting them" };

    public static Option<bool> Verbose() => new("--verbose", "-v") { Description = "Show decoded fields (ClientHello suites, extensions, certificates) under each event" };

    public static Option<int[]> Ports() => new("--port", "-p")
    {
        Description = "Also treat connections to this server port as FTP (21 and 990 always are; any server that greets with 220 is found anyway)",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The server ports always treated as FTP control: 21 (RFC 959), 990 (implicit FTPS), and every --port.</summary>
    public static IReadOnlySet<int> FtpPorts(int[]? extra)
    {
        var ports = new HashSet<int> { 21, 990 };
        foreach (int p in extra ?? []) ports.Add(p);
        return ports;
    }

    /// <summary>The longest time an option in seconds takes (30 days).</summary>
    internal const double MaxSeconds = 30 * 24 * 3600;

    /// <summary>
    /// A time option in seconds: above zero (zero would end every session at once) and at most
    /// <see cref="MaxSeconds"/>; otherwise a clear error on <paramref name="stderr"/> and false. A
    /// negative or huge value had made a timer throw, silently or as a crash.
    /// </summary>
    public static bool TrySeconds(TextWriter stderr, string name, double seconds, out TimeSpan time)
    {
        time = seconds is > 0 and <= MaxSeconds ? TimeSpan.FromSeconds(seconds) : default;
        if (time > TimeSpan.Zero) return true;
        stderr.WriteLine($"inspector: {name} {seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}: expected seconds above 0, at most {MaxSeconds:0} (30 days)");
        return false;
    }

    public static Severity ParseSeverity(string text) => SeverityExtensions.TryParse(text, out Severity s) ? s : Severity.Info;
}
