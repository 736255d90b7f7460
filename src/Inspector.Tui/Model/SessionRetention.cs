namespace Inspector.Tui.Model;

/// <summary>
/// The sessions the store keeps, and which of them goes first when a limit is reached: the
/// oldest ended session, with its data connections; an open session only when every session kept
/// is open. Not thread-safe: the store calls it under its lock.
/// </summary>
internal sealed class SessionRetention
{
    private static readonly Comparer<SessionRecord> ByArrival = Comparer<SessionRecord>.Create((a, b) => a.Sequence.CompareTo(b.Sequence));
    private readonly SortedSet<SessionRecord> kept = new(ByArrival);
    private readonly SortedSet<SessionRecord> ended = new(ByArrival);
    private readonly SortedSet<SessionRecord> open = new(ByArrival);
    private readonly Dictionary<long, SessionRecord> byId = [];
    private readonly Dictionary<long, List<SessionRecord>> dataOf = [];

    public int Count => kept.Count;

    public bool TryGet(long id, out SessionRecord record) => byId.TryGetValue(id, out record!);

    public void Add(SessionRecord record)
    {
        kept.Add(record);
        open.Add(record);
        byId.Add(record.Id, record);
        if (record.Info.Data is { } link)
        {
            if (!dataOf.TryGetValue(link.ParentId, out List<SessionRecord>? data)) dataOf[link.ParentId] = data = [];
            data.Add(record);
        }
    }

    public void Ended(SessionRecord record)
    {
        if (open.Remove(record)) ended.Add(record);
    }

    /// <summary>
    /// The next session to drop with its data connections, leaving alone the group of
    /// <paramref name="writing"/> (the session an output is being added to); null when nothing else is left.
    /// </summary>
    public List<SessionRecord>? NextToDrop(SessionRecord? writing)
    {
        // Sorted sets walk in arrival order; the first candidate almost always qualifies.
        foreach (SessionRecord candidate in ended)
        {
            if (Group(candidate) is var group && (writing is null || !group.Contains(writing))) return group;
        }
        foreach (SessionRecord candidate in open)
        {
            if (Group(candidate) is var group && (writing is null || !group.Contains(writing))) return group;
        }
        return null;
    }

    public void Remove(SessionRecord record)
    {
        kept.Remove(record);
        ended.Remove(record);
        open.Remove(record);
        byId.Remove(record.Id);
        if (record.Info.Data is { } link && dataOf.TryGetValue(link.ParentId, out List<SessionRecord>? siblings))
        {
            siblings.Remove(record);
            if (siblings.Count == 0) dataOf.Remove(link.ParentId);
        }
    }

    /// <summary>The sessions kept, in the order they reached the store (a copy the UI may keep).</summary>
    public SessionRecord[] Snapshot() => [.. kept];

    public IEnumerable<SessionRecord> All => kept;

    /// <summary>A session and, for a control session, the data connections kept under it.</summary>
    private List<SessionRecord> Group(SessionRecord session)
    {
        var group = new List<SessionRecord> { session };
        if (session.Info.Data is null && dataOf.TryGetValue(session.Id, out List<SessionRecord>? data)) group.AddRange(data);
        return group;
    }
}
