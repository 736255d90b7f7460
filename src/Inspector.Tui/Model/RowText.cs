using System.Globalization;
using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Sessions;
using Inspector.Core.Output;
using Inspector.Core.Timeline;

namespace Inspector.Tui.Model;

/// <summary>
/// The words and numbers the panes show, computed on demand for the visible rows only. Anything
/// a peer sent passes through <see cref="TerminalText.Escape"/> here, before it can be drawn.
/// </summary>
internal static class RowText
{
    public static string Time(Timestamp t) => t.ToDateTime().ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    public static string ClockTime(Timestamp t) => t.ToDateTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Arrow(Direction? d) => d switch
    {
        Direction.ClientToServer => "C→S",
        Direction.ServerToClient => "S→C",
        _ => "",
    };

    public static string Layer(AnalysisOutput row) => row switch
    {
        TimelineEvent e => e.Layer switch
        {
            Core.Timeline.Layer.Tcp => "TCP",
            Core.Timeline.Layer.Ftp => "FTP",
            Core.Timeline.Layer.Tls => "TLS",
            _ => "SESS",
        },
        Finding f => SeverityTag(f.Severity),
        ExpectedDataConnection or DataConnectionReport => "DATA",
        _ => "",
    };

    public static string SeverityTag(Severity s) => s switch
    {
        Severity.Error => "ERROR",
        Severity.Warning => "WARN",
        _ => "INFO",
    };

    /// <summary>A mark that says the same as the colour, for terminals without colour.</summary>
    public static string Mark(Severity s) => s switch
    {
        Severity.Error => "!!",
        Severity.Warning => "!",
        _ => "i",
    };

    public static string Summary(AnalysisOutput row) => row switch
    {
        TimelineEvent e => TerminalText.Escape(e.Summary),
        Finding f => $"{f.Name} [{f.Side.WireName()}] {TerminalText.Escape(f.Summary)}",
        ExpectedDataConnection x => $"{x.Via}: the {x.Listener.WireName()} listens on {ConnectionInfo.Format(x.Endpoint)} (PROT {(x.ProtectionLevel == '?' ? "unknown: sent encrypted" : x.ProtectionLevel)})",
        DataConnectionReport r => TerminalText.Escape(r.Describe()),
        _ => row.GetType().Name,
    };

    public static Direction? DirectionOf(AnalysisOutput row) => row switch
    {
        TimelineEvent e => e.Direction,
        Finding f => f.Direction,
        _ => null,
    };

    /// <summary>1234 as "1234", 56789 as "55.4K", and so on: byte counts that fit a narrow column.</summary>
    public static string Bytes(long n)
    {
        if (n < 10_000) return n.ToString(CultureInfo.InvariantCulture);
        string[] units = ["K", "M", "G", "T"];
        double v = n;
        int u = -1;
        while (v >= 1000 && u < units.Length - 1)
        {
            v /= 1024;
            u++;
        }
        return v.ToString(v < 100 ? "0.0" : "0", CultureInfo.InvariantCulture) + units[u];
    }

    /// <summary>"2E 1W 3I", or empty when there are none.</summary>
    public static string FindingCounts(int errors, int warnings, int infos)
    {
        var parts = new List<string>(3);
        if (errors > 0) parts.Add(errors.ToString(CultureInfo.InvariantCulture) + "E");
        if (warnings > 0) parts.Add(warnings.ToString(CultureInfo.InvariantCulture) + "W");
        if (infos > 0) parts.Add(infos.ToString(CultureInfo.InvariantCulture) + "I");
        return string.Join(" ", parts);
    }
}
