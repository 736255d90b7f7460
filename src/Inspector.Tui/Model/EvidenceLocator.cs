using Inspector.Core.Findings;
using Inspector.Core.Timeline;

namespace Inspector.Tui.Model;

/// <summary>
/// Links findings to the timeline events whose bytes they are about: a finding's evidence starts
/// at a stream offset in one direction, and the event that covers that offset is where the
/// desync happened. Analyzers emit a finding next to the event it is about, so both searches
/// look only at a small window of rows around it (through the session's finding index).
/// </summary>
internal static class EvidenceLocator
{
    /// <summary>How far from a finding its event is looked for, in rows.</summary>
    public const int Window = 64;

    /// <summary>The row of the event holding the finding's evidence, or null (no evidence, or no event nearby covers it).</summary>
    public static int? EventFor(SessionRecord s, int findingRow, Finding f)
    {
        if (f.Direction is null || f.Evidence.IsEmpty) return null;
        int end = Math.Min(s.RowCount, findingRow + 8);
        // The event before the finding is the usual place; a few rows after it are checked too.
        for (int row = findingRow - 1; row >= Math.Max(0, findingRow - Window); row--)
        {
            if (s.Row(row) is TimelineEvent e && Covers(e, f)) return row;
        }
        for (int row = findingRow + 1; row < end; row++)
        {
            if (s.Row(row) is TimelineEvent e && Covers(e, f)) return row;
        }
        return null;
    }

    /// <summary>Findings whose evidence lies in the event's bytes, worst first, among the first <paramref name="visibleRows"/> rows.</summary>
    public static List<(int Row, Finding Finding)> FindingsAbout(SessionRecord s, int eventRow, TimelineEvent e, int visibleRows)
    {
        var found = new List<(int, Finding)>();
        if (e.Direction is null || e.Length == 0 || s.FindingCount == 0) return found;
        int last = Math.Min(visibleRows, eventRow + Window);
        for (int i = FindingNavigator.FirstFindingAtOrAfter(s, Math.Max(0, eventRow - 8)); i < s.FindingCount; i++)
        {
            int row = s.FindingRow(i);
            if (row >= last) break;
            if (s.Row(row) is Finding f && Covers(e, f)) found.Add((row, f));
        }
        found.Sort((a, b) => b.Item2.Severity.CompareTo(a.Item2.Severity));
        return found;
    }

    /// <summary>The worst severity among findings about this event, for the timeline's mark column.</summary>
    public static Severity? WorstAbout(SessionRecord s, int eventRow, TimelineEvent e, int visibleRows)
    {
        List<(int Row, Finding Finding)> about = FindingsAbout(s, eventRow, e, visibleRows);
        return about.Count > 0 ? about[0].Finding.Severity : null;
    }

    /// <summary>The evidence's byte range inside the event's bytes as [start, end), clipped to what the event kept.</summary>
    public static (int Start, int End) RangeIn(TimelineEvent e, Finding f)
    {
        long start = Math.Max(0, f.Offset - e.Offset);
        long end = Math.Min(e.Bytes.Length, f.Offset + Math.Max(1, f.Evidence.Length) - e.Offset);
        return ((int)Math.Min(start, e.Bytes.Length), (int)Math.Max(end, Math.Min(start, e.Bytes.Length)));
    }

    /// <summary>Same direction, and the evidence overlaps the event's stream bytes.</summary>
    private static bool Covers(TimelineEvent e, Finding f)
    {
        if (e.Direction != f.Direction || e.Length == 0 || f.Evidence.IsEmpty) return false;
        long evidenceEnd = f.Offset + f.Evidence.Length;
        return f.Offset < e.Offset + e.Length && evidenceEnd > e.Offset;
    }
}
