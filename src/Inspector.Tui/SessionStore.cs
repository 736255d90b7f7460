using Inspector.Core.Analysis;
using Inspector.Core.Sessions;
using Inspector.Tui.Model;

namespace Inspector.Tui;

/// <summary>
/// The session sink the UI reads: sources (a capture being read, the proxy's many session
/// threads, live capture) call it from any thread; it keeps every session and every output.
/// Writers are serialised by one lock; the UI reads rows without it and collects what changed
/// since its last look in one batch (<see cref="TakeChanges"/>), so the screen is updated on the
/// UI thread at its own pace however fast traffic arrives.
/// </summary>
public sealed class SessionStore : ISessionSink
{
    private readonly object gate = new();
    private readonly AppendOnlyList<SessionRecord> sessions = new();
    private readonly Dictionary<long, SessionRecord> byId = [];
    private HashSet<SessionRecord> changed = [];
    private long outputs;
    private int open;

    /// <summary>Sessions seen so far (open and ended).</summary>
    public int SessionCount => sessions.Count;

    /// <summary>Sessions that started and have not ended.</summary>
    public int OpenSessions => Volatile.Read(ref open);

    /// <summary>Timeline rows received, across all sessions (grows while the display is paused); also the number the next row gets.</summary>
    public long RowsReceived => Interlocked.Read(ref outputs);

    internal SessionRecord this[int position] => sessions[position];

    /// <summary>Every session seen so far, in the order they started (for savers that match packets to sessions).</summary>
    public IReadOnlyList<SessionInfo> AllSessions()
    {
        int n = sessions.Count;
        var all = new SessionInfo[n];
        for (int i = 0; i < n; i++) all[i] = sessions[i].Info;
        return all;
    }

    public void SessionStarted(SessionInfo session)
    {
        lock (gate) Find(session);
    }

    public void Output(SessionInfo session, AnalysisOutput output)
    {
        lock (gate)
        {
            SessionRecord record = Find(session);
            record.Append(output, outputs);
            changed.Add(record);
            Interlocked.Increment(ref outputs);
        }
    }

    public void SessionEnded(SessionInfo session, SessionSummary summary)
    {
        lock (gate)
        {
            SessionRecord record = Find(session);
            if (record.IsOpen) open--;
            record.End(summary);
            changed.Add(record);
        }
    }

    /// <summary>Sessions that started, grew or ended since the last call (UI thread).</summary>
    internal IReadOnlyCollection<SessionRecord> TakeChanges()
    {
        lock (gate)
        {
            if (changed.Count == 0) return [];
            HashSet<SessionRecord> taken = changed;
            changed = [];
            return taken;
        }
    }

    /// <summary>The record for a session; a source that reports output before the start still gets one.</summary>
    private SessionRecord Find(SessionInfo session)
    {
        if (byId.TryGetValue(session.Id, out SessionRecord? record)) return record;
        record = new SessionRecord(session, sessions.Count);
        byId.Add(session.Id, record);
        sessions.Add(record);
        changed.Add(record);
        open++;
        return record;
    }
}
