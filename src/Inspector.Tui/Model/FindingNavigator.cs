using Inspector.Core.Findings;

namespace Inspector.Tui.Model;

/// <summary>
/// <c>n</c> and <c>N</c>: the next or previous finding after a row, in this session and then in
/// the sessions after it in the list, wrapping around at the end like a search in an editor.
/// Finds its way through a session's finding index by binary search, never by scanning rows.
/// </summary>
internal static class FindingNavigator
{
    public static RowPosition? Find(SessionList list, RowPosition from, bool forward, Func<SessionRecord, int> visibleRows, Func<Finding, bool> accept, out bool wrapped)
    {
        wrapped = false;
        int n = list.Count;
        if (n == 0) return null;
        int start = Math.Clamp(from.SessionIndex, 0, n - 1);
        SessionRecord current = list[start];
        int limit = visibleRows(current);

        // The rest of the current session.
        int? row = forward
            ? Scan(current, from.Row + 1, limit, forward, accept)
            : Scan(current, 0, Math.Min(from.Row, limit), forward, accept);
        if (row is { } here) return new RowPosition(start, here);

        // The other sessions, in list order, wrapping around the end.
        for (int step = 1; step < n; step++)
        {
            int index = forward ? (start + step) % n : (start - step + n) % n;
            if (forward ? index < start : index > start) wrapped = true;
            SessionRecord s = list[index];
            if (Scan(s, 0, visibleRows(s), forward, accept) is { } found) return new RowPosition(index, found);
        }

        // Back round to the part of the current session before the row (the row itself included).
        wrapped = true;
        row = forward
            ? Scan(current, 0, Math.Min(from.Row + 1, limit), forward, accept)
            : Scan(current, Math.Max(from.Row, 0), limit, forward, accept);
        return row is { } again ? new RowPosition(start, again) : null;
    }

    /// <summary>The first (forward) or last (backward) accepted finding whose row is in [from, to).</summary>
    private static int? Scan(SessionRecord s, int from, int to, bool forward, Func<Finding, bool> accept)
    {
        if (from >= to || s.FindingCount == 0) return null;
        int first = FirstFindingAtOrAfter(s, from);
        int last = FirstFindingAtOrAfter(s, to) - 1;
        for (int i = forward ? first : last; forward ? i <= last : i >= first; i += forward ? 1 : -1)
        {
            int row = s.FindingRow(i);
            if (s.Row(row) is Finding f && accept(f)) return row;
        }
        return null;
    }

    /// <summary>Index into the session's finding list of the first finding whose row is at or after <paramref name="row"/>.</summary>
    internal static int FirstFindingAtOrAfter(SessionRecord s, int row)
    {
        int lo = 0, hi = s.FindingCount;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (s.FindingRow(mid) < row) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
