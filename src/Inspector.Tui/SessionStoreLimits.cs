using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Timeline;

namespace Inspector.Tui;

/// <summary>
/// What the terminal UI keeps, so a days-long <c>live --tui</c> or <c>proxy --tui</c> runs in
/// bounded memory. Reaching a limit drops the oldest ended sessions (or, inside one session,
/// stops keeping its later events); the status line says so and every count shown stays true.
/// </summary>
public sealed record SessionStoreLimits
{
    public static SessionStoreLimits Default { get; } = new();

    /// <summary>
    /// Sessions listed (data connections count as sessions). 10,000 is what the scale test shows
    /// the UI sorting and scrolling without delay; past it the oldest ended session is dropped
    /// with its data connections (the oldest open one only when every session kept is open).
    /// </summary>
    public int MaxSessions { get; init; } = 10_000;

    /// <summary>
    /// Timeline rows kept per session. The first rows are kept, because the start of a session
    /// (banner, AUTH, the TLS handshake, login) is the evidence an inspector is read for; later
    /// events are counted, and later findings are still kept (the analyzer already bounds them
    /// per session with <c>AnalyzerOptions.MaxFindingsPerName</c>), so no finding is lost.
    /// 100,000 rows is hours of commands on one control connection, or about 1.6 GB of TLS records on a data connection.
    /// </summary>
    public int MaxRowsPerSession { get; init; } = 100_000;

    /// <summary>
    /// Approximate memory of all kept timeline rows (<see cref="RowCost"/>): a row keeps up to
    /// <c>AnalyzerOptions.MaxEventBytes</c> (4 KB), so a row count alone would allow 4 KB rows times
    /// any count. Past it the oldest ended sessions are dropped; a session left alone over it stops
    /// keeping events (findings are still kept). 256 MB holds the default 10,000 sessions at about
    /// 80 typical rows each.
    /// </summary>
    public long MaxTimelineBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>What one row is estimated to hold: its object, its text (UTF-16) and the bytes it keeps.</summary>
    public static long RowCost(AnalysisOutput output) => RowOverhead + output switch
    {
        TimelineEvent e => 2L * e.Summary.Length + e.Bytes.Length,
        Finding f => 2L * (f.Summary.Length + f.Explanation.Length) + f.Evidence.Length,
        _ => 0,
    };

    /// <summary>The record, its slot in the row list and a decoded-field tree of a few nodes.</summary>
    public const long RowOverhead = 256;

    /// <summary>Throws when a limit could never be met.</summary>
    public void Validate()
    {
        if (MaxSessions < 1) throw new ArgumentOutOfRangeException(nameof(MaxSessions), MaxSessions, "at least one session must be kept");
        if (MaxRowsPerSession < 1) throw new ArgumentOutOfRangeException(nameof(MaxRowsPerSession), MaxRowsPerSession, "at least one row per session must be kept");
        if (MaxTimelineBytes < RowOverhead) throw new ArgumentOutOfRangeException(nameof(MaxTimelineBytes), MaxTimelineBytes, "must hold at least one row");
    }
}
