namespace Inspector.Tui.Model;

/// <summary>
/// Live or paused. Paused, the display shows each session as it was at the moment of the pause
/// (rows are numbered in arrival order by the store), while the store keeps everything that
/// arrives for when the display resumes.
/// </summary>
internal sealed class DisplayClock(SessionStore store)
{
    /// <summary>The store's output number at the pause; null when live.</summary>
    public long? PausedAt { get; private set; }

    public bool Paused => PausedAt is not null;

    /// <summary>Rows that arrived since the pause.</summary>
    public long Waiting => PausedAt is { } at ? store.RowsReceived - at : 0;

    public void Pause() => PausedAt ??= store.RowsReceived;

    public void Resume() => PausedAt = null;

    /// <summary>The rows of a session the display shows.</summary>
    public int VisibleRows(SessionRecord session) => PausedAt is { } at ? session.RowsBefore(at) : session.RowCount;
}
