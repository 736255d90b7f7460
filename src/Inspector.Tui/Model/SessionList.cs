namespace Inspector.Tui.Model;

/// <summary>
/// The sessions as the sessions pane shows them: filtered and sorted, updated from the store in
/// batches (<see cref="Refresh"/>) on the UI thread. Between refreshes it does not change, so a
/// paused display stays still while the store keeps receiving (and dropping).
/// </summary>
internal sealed class SessionList
{
    private readonly SessionStore store;
    private readonly HashSet<SessionRecord> included = [];
    private SessionRecord[] kept = [];
    private HashSet<SessionRecord> keptSet = [];
    private List<SessionRecord> visible = [];
    private Dictionary<SessionRecord, int> positions = [];

    public SessionList(SessionStore store) => this.store = store;

    public SessionFilter Filter { get; private set; } = SessionFilter.None;

    public SessionOrder Order { get; private set; } = SessionOrder.Default;

    public int Count => visible.Count;

    /// <summary>Sessions the store kept at the last refresh, shown or not.</summary>
    public int Kept => kept.Length;

    public SessionRecord this[int index] => visible[index];

    /// <summary>Where a session is in the list, or -1 when the filter hides it (or the store dropped it).</summary>
    public int IndexOf(SessionRecord session) => positions.GetValueOrDefault(session, -1);

    /// <summary>False once the store has dropped the session (as of the last refresh).</summary>
    public bool Contains(SessionRecord session) => keptSet.Contains(session);

    /// <summary>Takes in what the store received since the last refresh. Returns true when the list changed.</summary>
    public bool Refresh()
    {
        StoreChanges changes = store.TakeChanges();
        if (changes.Changed.Count == 0 && changes.Kept is null) return false;
        bool membershipChanged = changes.Kept is { } now && Adopt(now);
        foreach (SessionRecord s in changes.Changed)
        {
            if (keptSet.Contains(s)) membershipChanged |= Judge(s);
        }
        // Nothing new shown or hidden and an order that growth cannot change: only counts changed.
        if (!membershipChanged && Order.IgnoresGrowth) return true;
        Rebuild();
        return true;
    }

    public void SetFilter(SessionFilter filter)
    {
        Filter = filter;
        included.Clear();
        foreach (SessionRecord s in kept)
        {
            if (filter.Matches(s)) included.Add(s);
        }
        Rebuild();
    }

    public void SetOrder(SessionOrder order)
    {
        Order = order;
        Rebuild();
    }

    /// <summary>Takes the store's new set of kept sessions: new ones are judged, dropped ones let go. True when the list changed.</summary>
    private bool Adopt(SessionRecord[] now)
    {
        var nowSet = new HashSet<SessionRecord>(now);
        bool listChanged = false;
        foreach (SessionRecord old in kept)
        {
            if (nowSet.Contains(old)) continue;
            listChanged |= included.Remove(old);
            Filter.Forget(old);
        }
        foreach (SessionRecord s in now)
        {
            if (!keptSet.Contains(s)) listChanged |= Judge(s);
        }
        kept = now;
        keptSet = nowSet;
        return listChanged;
    }

    /// <summary>Re-evaluates one session against the filter; true when it was shown or hidden by that.</summary>
    private bool Judge(SessionRecord s) => Filter.Matches(s) ? included.Add(s) : included.Remove(s);

    private void Rebuild()
    {
        var list = new List<SessionRecord>(included.Count);
        foreach (SessionRecord s in kept)
        {
            if (included.Contains(s)) list.Add(s);
        }
        // Sessions can reach the store out of number order (the proxy's threads race), so even the default order is sorted.
        list.Sort(Order);
        var map = new Dictionary<SessionRecord, int>(list.Count);
        for (int i = 0; i < list.Count; i++) map[list[i]] = i;
        visible = list;
        positions = map;
    }
}
