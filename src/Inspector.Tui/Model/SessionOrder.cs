namespace Inspector.Tui.Model;

/// <summary>The columns the session list can be sorted by, in the order <c>o</c> cycles through them.</summary>
internal enum SessionSortKey
{
    Id,
    Start,
    Client,
    Server,
    State,
    ClientBytes,
    ServerBytes,
    /// <summary>Worst first: errors, then warnings, then notes.</summary>
    Findings,
}

/// <summary>How the session list is ordered; ties always fall back to the session number, so the order is stable.</summary>
internal sealed record SessionOrder(SessionSortKey Key, bool Descending) : IComparer<SessionRecord>
{
    public static SessionOrder Default { get; } = new(SessionSortKey.Id, false);

    /// <summary>Sorted by what a session never changes (number, start, addresses): new rows cannot reorder the list.</summary>
    public bool IgnoresGrowth => Key is SessionSortKey.Id or SessionSortKey.Start or SessionSortKey.Client or SessionSortKey.Server;

    /// <summary>Sorted by a column in its natural direction: counts biggest first, since that is what one looks for.</summary>
    public static SessionOrder By(SessionSortKey key) =>
        new(key, key is SessionSortKey.Findings or SessionSortKey.ClientBytes or SessionSortKey.ServerBytes);

    /// <summary>The next column.</summary>
    public SessionOrder Next() => By((SessionSortKey)(((int)Key + 1) % Enum.GetValues<SessionSortKey>().Length));

    public SessionOrder Reversed() => this with { Descending = !Descending };

    public int Compare(SessionRecord? x, SessionRecord? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        int c = Key switch
        {
            SessionSortKey.Start => x.Info.Start.CompareTo(y.Info.Start),
            SessionSortKey.Client => string.CompareOrdinal(x.ClientText, y.ClientText),
            SessionSortKey.Server => string.CompareOrdinal(x.ServerText, y.ServerText),
            SessionSortKey.State => string.CompareOrdinal(x.State, y.State),
            SessionSortKey.ClientBytes => x.ClientBytes.CompareTo(y.ClientBytes),
            SessionSortKey.ServerBytes => x.ServerBytes.CompareTo(y.ServerBytes),
            SessionSortKey.Findings => (x.Errors, x.Warnings, x.Infos).CompareTo((y.Errors, y.Warnings, y.Infos)),
            // By number, a data connection comes right after its control session (its number is always higher).
            _ => (x.Info.Data?.ParentId ?? x.Id).CompareTo(y.Info.Data?.ParentId ?? y.Id),
        };
        if (c == 0) c = x.Id.CompareTo(y.Id);
        return Descending ? -c : c;
    }

    public string Describe() => Key switch
    {
        SessionSortKey.Id => "number",
        SessionSortKey.ClientBytes => "client bytes",
        SessionSortKey.ServerBytes => "server bytes",
        _ => Key.ToString().ToLowerInvariant(),
    } + (Descending ? " (descending)" : "");
}
