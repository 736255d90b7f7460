using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Sessions;
using Inspector.Tui.Model;

namespace Inspector.Tui;

/// <summary>
/// The session sink the UI reads: sources (a capture being read, the proxy's many session
/// threads, live capture) call it from any thread; it keeps sessions and their outputs within
/// <see cref="SessionStoreLimits"/>. Writers are serialised by one lock; the UI collects what
/// changed since its last look in one batch (<see cref="TakeChanges"/>), so the screen is updated
/// on the UI thread at its own pace however fast traffic arrives.
/// </summary>
/// <remarks>
/// Dropping a session only takes it out of the store's own index, under the lock; the record
/// itself is never changed again. The UI learns which sessions are kept only from the copy
/// <see cref="TakeChanges"/> makes under the lock, and reads a record's rows without a lock
/// because rows are only ever appended. So the UI can never read a torn record, and one it still
/// shows after the store dropped it (paused, or until the next tick) stays whole until the UI lets
/// go of it. The cost: between ticks the UI may hold up to one more set of dropped records, so the
/// worst case is about twice the limits. The alternatives were worse: an immutable list swapped on
/// every new session copies 10,000 entries per session; dropping on the UI thread would let a
/// paused or stalled display grow the store without bound.
/// </remarks>
public sealed class SessionStore : ISessionSink
{
    private readonly object gate = new();
    private readonly SessionRetention kept = new();
    private readonly DroppedSessions dropped;
    private HashSet<SessionRecord> changed = [];
    private bool membershipChanged;
    private long outputs;
    private long arrivals;
    private long keptBytes;
    private int open;

    public SessionStore()
        : this(SessionStoreLimits.Default)
    {
    }

    public SessionStore(SessionStoreLimits limits)
    {
        limits.Validate();
        Limits = limits;
        dropped = new DroppedSessions(limits.MaxSessions);
    }

    public SessionStoreLimits Limits { get; }

    /// <summary>Sessions kept (open and ended).</summary>
    public int SessionCount
    {
        get { lock (gate) return kept.Count; }
    }

    /// <summary>Sessions that started and have not ended, kept or not.</summary>
    public int OpenSessions => Volatile.Read(ref open);

    /// <summary>Timeline rows received, across all sessions (grows while the display is paused); also the number the next row gets.</summary>
    public long RowsReceived => Interlocked.Read(ref outputs);

    /// <summary>The estimated memory of the rows kept (<see cref="SessionStoreLimits.RowCost"/>).</summary>
    public long TimelineBytes
    {
        get { lock (gate) return keptBytes; }
    }

    /// <summary>
    /// The sessions kept, in the order they started, and the most recently dropped ones (for savers
    /// that match packets to sessions: a kept session must not be given a dropped one's packets).
    /// </summary>
    public IReadOnlyList<SessionInfo> AllSessions()
    {
        lock (gate)
        {
            var all = new List<SessionInfo>(kept.Count);
            var ids = new HashSet<long>();
            foreach (SessionRecord s in kept.All) if (ids.Add(s.Id)) all.Add(s.Info);
            foreach (SessionInfo s in dropped.Recent) if (ids.Add(s.Id)) all.Add(s);
            return all;
        }
    }

    /// <summary>Which of these sessions are still kept (the others were dropped and cannot be saved from here).</summary>
    public List<long> StillKept(IEnumerable<long> ids)
    {
        lock (gate) return [.. ids.Where(id => kept.TryGet(id, out _))];
    }

    /// <summary>Kept, dropped and finding counts, taken together.</summary>
    public StoreCounts Counts()
    {
        lock (gate)
        {
            long errors = dropped.Errors, warnings = dropped.Warnings, infos = dropped.Infos;
            foreach (SessionRecord s in kept.All)
            {
                errors += s.Errors;
                warnings += s.Warnings;
                infos += s.Infos;
            }
            return new StoreCounts(kept.Count, dropped.Count, dropped.WhileOpen, errors, warnings, infos);
        }
    }

    public void SessionStarted(SessionInfo session)
    {
        lock (gate) Find(session);
    }

    public void Output(SessionInfo session, AnalysisOutput output)
    {
        lock (gate)
        {
            long number = outputs;
            Interlocked.Increment(ref outputs);
            if (dropped.Absorbs(session, output)) return;
            SessionRecord record = Find(session);
            record.Count(output);
            if (MakeRoom(record, output)) record.Keep(output, number);
            else record.SkipRow();
            changed.Add(record);
        }
    }

    public void SessionEnded(SessionInfo session, SessionSummary summary)
    {
        lock (gate)
        {
            if (dropped.Ends(session))
            {
                open--;
                return;
            }
            SessionRecord record = Find(session);
            if (record.IsOpen) open--;
            record.End(summary);
            kept.Ended(record);
            changed.Add(record);
        }
    }

    /// <summary>Sessions that started, grew or ended since the last call, and the kept list when it changed (UI thread).</summary>
    internal StoreChanges TakeChanges()
    {
        lock (gate)
        {
            SessionRecord[]? snapshot = membershipChanged ? kept.Snapshot() : null;
            membershipChanged = false;
            if (changed.Count == 0) return new StoreChanges([], snapshot);
            HashSet<SessionRecord> taken = changed;
            changed = [];
            return new StoreChanges(taken, snapshot);
        }
    }

    /// <summary>The record for a session; a source that reports output before the start still gets one.</summary>
    private SessionRecord Find(SessionInfo session)
    {
        if (kept.TryGet(session.Id, out SessionRecord record)) return record;
        record = new SessionRecord(session, arrivals++);
        kept.Add(record);
        changed.Add(record);
        membershipChanged = true;
        open++;
        while (kept.Count > Limits.MaxSessions && DropOldest(record))
        {
        }
        return record;
    }

    /// <summary>
    /// Whether the output can be kept as a row: within the session's row limit (findings always
    /// are), and within the memory limit once older sessions are dropped. Accounts for its memory.
    /// </summary>
    private bool MakeRoom(SessionRecord record, AnalysisOutput output)
    {
        bool finding = output is Finding;
        if (!finding && record.RowCount >= Limits.MaxRowsPerSession) return false;
        long cost = SessionStoreLimits.RowCost(output);
        while (keptBytes + cost > Limits.MaxTimelineBytes && DropOldest(record))
        {
        }
        if (!finding && keptBytes + cost > Limits.MaxTimelineBytes) return false;
        keptBytes += cost;
        record.KeptBytes += cost;
        return true;
    }

    /// <summary>Drops the next session (with its data connections) other than <paramref name="writing"/>'s; false when there is none.</summary>
    private bool DropOldest(SessionRecord writing)
    {
        if (kept.NextToDrop(writing) is not { } group) return false;
        foreach (SessionRecord s in group)
        {
            kept.Remove(s);
            changed.Remove(s);
            keptBytes -= s.KeptBytes;
            dropped.Add(s); // one dropped while open still counts as open until it ends
        }
        membershipChanged = true;
        return true;
    }
}
