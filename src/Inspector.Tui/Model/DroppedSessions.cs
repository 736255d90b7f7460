using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Sessions;

namespace Inspector.Tui.Model;

/// <summary>
/// What the store remembers of the sessions it dropped: how many and their findings (so the
/// totals shown stay true), which are still open (their later outputs are counted, not shown),
/// and the last few thousand of them for the saver. Not thread-safe: the store calls it under its lock.
/// </summary>
internal sealed class DroppedSessions(int recentCapacity)
{
    private readonly HashSet<long> stillOpen = [];
    private readonly Queue<SessionInfo> recent = new();

    public long Count { get; private set; }

    /// <summary>Dropped while open (only when every session kept was open).</summary>
    public long WhileOpen { get; private set; }

    public long Errors { get; private set; }

    public long Warnings { get; private set; }

    public long Infos { get; private set; }

    /// <summary>
    /// The latest dropped sessions. A saver matches packets to sessions by address, port and
    /// start; a later session on a reused port would otherwise be given the earlier one's packets.
    /// </summary>
    public IEnumerable<SessionInfo> Recent => recent;

    public void Add(SessionRecord record)
    {
        Count++;
        Errors += record.Errors;
        Warnings += record.Warnings;
        Infos += record.Infos;
        if (record.IsOpen)
        {
            WhileOpen++;
            stillOpen.Add(record.Id);
        }
        recent.Enqueue(record.Info);
        if (recent.Count > recentCapacity) recent.Dequeue();
    }

    /// <summary>True when the output belongs to a session dropped while open: its findings are counted here.</summary>
    public bool Absorbs(SessionInfo session, AnalysisOutput output)
    {
        if (!stillOpen.Contains(session.Id)) return false;
        if (output is Finding f)
        {
            switch (f.Severity)
            {
                case Severity.Error: Errors++; break;
                case Severity.Warning: Warnings++; break;
                default: Infos++; break;
            }
        }
        return true;
    }

    /// <summary>True when the session that ended had been dropped while open (so nothing is kept for it now).</summary>
    public bool Ends(SessionInfo session) => stillOpen.Remove(session.Id);
}
