using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Sessions;
using Inspector.Core.Timeline;

namespace Inspector.Tui.Model;

/// <summary>
/// Everything the UI keeps about one session: its timeline rows (events, findings and expected
/// data connections in the order the analyzer emitted them), where the findings are, and
/// running counts so a live session shows its state before it ends. Written by the store under
/// its lock; read by the UI thread without one. Rows are only ever appended, and a record the
/// store drops is never changed again, so the UI may go on reading one it still holds.
/// </summary>
internal sealed class SessionRecord
{
    private readonly AppendOnlyList<StoredRow> rows = new();
    private readonly AppendOnlyList<int> findingRows = new();
    private SessionSummary? summary;
    private int errors, warnings, infos;
    private long clientBytes, serverBytes;
    private bool sawTls;
    private int rowsNotKept;

    public SessionRecord(SessionInfo info, long sequence)
    {
        Info = info;
        Sequence = sequence;
        ClientText = ConnectionInfo.Format(info.Client);
        ServerText = ConnectionInfo.Format(info.Server);
    }

    public SessionInfo Info { get; }

    /// <summary>The order sessions reached the store (0, 1, ...); never reused, whatever is dropped.</summary>
    public long Sequence { get; }

    public long Id => Info.Id;

    /// <summary>Addresses as shown (built once; sorting and filtering read them often).</summary>
    public string ClientText { get; }

    public string ServerText { get; }

    public int RowCount => rows.Count;

    /// <summary>Rows (never findings) that arrived after the session reached its row limit: counted, not kept.</summary>
    public int RowsNotKept => Volatile.Read(ref rowsNotKept);

    /// <summary>The estimated memory of the rows kept (<see cref="SessionStoreLimits.RowCost"/>); the store's to keep.</summary>
    internal long KeptBytes { get; set; }

    public AnalysisOutput Row(int index) => rows[index].Output;

    /// <summary>How many rows arrived before the store's output number <paramref name="sequence"/> (what a paused display shows).</summary>
    public int RowsBefore(long sequence)
    {
        int lo = 0, hi = rows.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (rows[mid].Sequence < sequence) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    public int FindingCount => findingRows.Count;

    /// <summary>The row index of the n-th finding of this session.</summary>
    public int FindingRow(int n) => findingRows[n];

    public SessionSummary? Summary => Volatile.Read(ref summary);

    public bool IsOpen => Summary is null;

    public int Errors => Summary?.Errors ?? Volatile.Read(ref errors);

    public int Warnings => Summary?.Warnings ?? Volatile.Read(ref warnings);

    public int Infos => Summary?.Infos ?? Volatile.Read(ref infos);

    public long ClientBytes => Summary?.ClientBytes ?? Volatile.Read(ref clientBytes);

    public long ServerBytes => Summary?.ServerBytes ?? Volatile.Read(ref serverBytes);

    public string Protocol => Summary?.Protocol ?? (Volatile.Read(ref sawTls) ? "ftps" : "ftp");

    /// <summary>plaintext, tls or failed; a session still open is judged by what it has shown so far.</summary>
    public string State => Summary?.State ?? (Errors > 0 ? "failed" : Volatile.Read(ref sawTls) ? "tls" : "plaintext");

    public Severity? WorstSeverity => Errors > 0 ? Severity.Error : Warnings > 0 ? Severity.Warning : Infos > 0 ? Severity.Info : null;

    // --- written by SessionStore under its lock ---

    /// <summary>Keeps an output as the next row (its counts are <see cref="Count"/>'s job).</summary>
    internal void Keep(AnalysisOutput output, long sequence)
    {
        if (output is Finding) findingRows.Add(rows.Count);
        rows.Add(new StoredRow(output, sequence));
    }

    /// <summary>A row past the session's row limit: not kept, but it still counts towards the session's state.</summary>
    internal void SkipRow() => Interlocked.Increment(ref rowsNotKept);

    /// <summary>Brings the running counts up to date with an output, kept or not.</summary>
    internal void Count(AnalysisOutput output)
    {
        switch (output)
        {
            case Finding f:
                switch (f.Severity)
                {
                    case Severity.Error: Interlocked.Increment(ref errors); break;
                    case Severity.Warning: Interlocked.Increment(ref warnings); break;
                    default: Interlocked.Increment(ref infos); break;
                }
                break;
            case TimelineEvent e:
                if (e.Layer == Layer.Tls) Volatile.Write(ref sawTls, true);
                if (e.Direction is { } d && e.Length > 0)
                {
                    // Bytes seen so far: the furthest stream offset reached in each direction.
                    long end = e.Offset + e.Length;
                    ref long seen = ref d == Direction.ClientToServer ? ref clientBytes : ref serverBytes;
                    if (end > seen) Volatile.Write(ref seen, end);
                }
                break;
        }
    }

    internal void End(SessionSummary final) => Volatile.Write(ref summary, final);
}

/// <summary>A row and its number in the order the store received all outputs.</summary>
internal readonly record struct StoredRow(AnalysisOutput Output, long Sequence);
