namespace Inspector.Tui.Model;

/// <summary>
/// The sessions as the sessions pane shows them: filtered and sorted, updated from the store in
/// batches (<see cref="Refresh"/>) on the UI thread. Between refreshes it does not change, so a
/// paused display stays still while the store keeps receiving.
/// </summary>
internal sealed class SessionList
{
    private readonly SessionStore store;
    private readonly HashSet<SessionRecord> included = [];
    private List<SessionRecord> visible = [];
    private Dictionary<SessionRecord, int> positions = [];
    private int known;

    public SessionList(SessionStore store) => this.store = store;

    public SessionFilter Filter { get; private set; } = SessionFilter.None;

    public SessionOrder Order { get; private set; } = SessionOrder.Default;

    public int Count => visible.Count;

    public SessionRecord this[int index] => visible[index];

    /// <summary>Where a session is in the list, or -1 when the filter hides it.</summary>
    public int IndexOf(SessionRecord session) => positions.GetValueOrDefault(session, -1);

    /// <summary>Takes in what the store received since the last refresh. Returns true when the list changed.</summary>
    public bool Refresh()
    {
        IReadOnlyCollection<SessionRecord> changes = store.TakeChanges();
        int total = store.SessionCount;
        if (changes.Count == 0 && total == known) return false;
        bool membershipChanged = false;
        for (int i = known; i < total; i++)
        {
            membershipChanged |= Judge(store[i]);
        }
        known = total;
        foreach (SessionRecord s in changes)
        {
            if (s.Position < total) membershipChanged |= Judge(s);
        }
        // Nothing new shown or hidden and an order that growth cannot change: only counts changed.
        if (!membershipChanged && Order.IgnoresGrowth) return changes.Count > 0;
        Rebuild();
        return true;
    }

    public void SetFilter(SessionFilter filter)
    {
        Filter = filter;
        included.Clear();
        for (int i = 0; i < known; i++)
        {
            if (filter.Matches(store[i])) included.Add(store[i]);
        }
        Rebuild();
    }

    public void SetOrder(SessionOrder order)
    {
        Order = order;
        Rebuild();
    }

    /// <summary>Re-evaluates one session against the filter; true when it was shown or hidden by that.</summary>
    private bool Judge(SessionRecord s) => Filter.Matches(s) ? included.Add(s) : included.Remove(s);

    private void Rebuild()
    {
        var list = new List<SessionRecord>(included.Count);
        for (int i = 0; i < known; i++)
        {
            if (included.Contains(store[i])) list.Add(store[i]);
        }
        // Sessions can reach the store out of number order (the proxy's threads race), so even the default order is sorted.
        list.Sort(Order);
        var map = new Dictionary<SessionRecord, int>(list.Count);
        for (int i = 0; i < list.Count; i++) map[list[i]] = i;
        visible = list;
        positions = map;
    }
}
