using System.Globalization;
using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Sessions;
using Inspector.Core.Output;
using Inspector.Core.Timeline;

namespace Inspector.Tui.Model;

/// <summary>
/// Decodes one timeline row for the detail pane: an event's decoded fields, the findings about
/// its bytes and a hex dump with their evidence highlighted; a finding's explanation and its
/// evidence shown inside the bytes of the event it is about. Built only for the selected row.
/// </summary>
internal static class DetailBuilder
{
    public static DetailDocument Build(SessionRecord s, int row, int visibleRows)
    {
        if (row < 0 || row >= visibleRows) return ForSession(s);
        var lines = new List<DetailLine>();
        switch (s.Row(row))
        {
            case TimelineEvent e:
                Event(lines, s, row, e, visibleRows);
                break;
            case Finding f:
                FindingDetail(lines, s, row, f);
                break;
            case ExpectedDataConnection x:
                lines.Add(DetailLine.Of($"Data connection expected ({x.Via})", DetailStyle.Heading));
                lines.Add(DetailLine.Of($"The {x.Listener.WireName()} listens on {ConnectionInfo.Format(x.Endpoint)}; protection level {(x.ProtectionLevel == '?' ? "unknown (PROT was sent encrypted)" : x.ProtectionLevel)} (PROT). Time {x.Time}.", wrap: true));
                break;
            case DataConnectionReport r:
                lines.Add(DetailLine.Of($"Data connection: session {r.DataSession}", DetailStyle.Heading));
                lines.Add(DetailLine.Of(TerminalText.Escape(r.Describe()) + $". Ended {r.Time}.", wrap: true));
                break;
        }
        return new DetailDocument(lines);
    }

    /// <summary>A session with no row selected (or none yet): who talked to whom and how it went.</summary>
    public static DetailDocument ForSession(SessionRecord s)
    {
        var lines = new List<DetailLine>
        {
            DetailLine.Of($"Session {s.Id}: {s.ClientText} → {s.ServerText}", DetailStyle.Heading),
            DetailLine.Of($"Started {s.Info.Start}{(s.Info.Midstream ? " (seen from its middle)" : "")}{(s.Info.RolesInferred ? "; client and server guessed" : "")}", wrap: true),
            DetailLine.Of($"{s.Protocol}, {s.State}{(s.IsOpen ? ", still open" : $", ended {s.Summary!.End}")}; {s.ClientBytes} bytes from the client, {s.ServerBytes} from the server", wrap: true),
            DetailLine.Of($"Findings: {s.Errors} error(s), {s.Warnings} warning(s), {s.Infos} note(s); {s.RowCount} timeline rows", wrap: true),
        };
        if (s.RowsNotKept > 0)
        {
            lines.Add(DetailLine.Of($"{s.RowsNotKept} later rows were not kept: the session reached its row limit (its findings are all kept, and its counts include everything)", wrap: true));
        }
        return new DetailDocument(lines);
    }

    private static void Event(List<DetailLine> lines, SessionRecord s, int row, TimelineEvent e, int visibleRows)
    {
        string where = e.Direction is null ? "" : $"  {RowText.Arrow(e.Direction)} offset {e.Offset}, {e.Length} byte(s)";
        lines.Add(DetailLine.Of($"{RowText.Layer(e)} {e.Kind}{where}  {e.Time}", DetailStyle.Heading, wrap: true));
        lines.Add(DetailLine.Of(TerminalText.Escape(e.Summary), wrap: true));

        if (e.Detail is { Children.Count: > 0 } detail)
        {
            lines.Add(DetailLine.Empty);
            lines.Add(DetailLine.Of("Decoded", DetailStyle.Heading));
            Fields(lines, detail, 2);
        }

        List<(int Row, Finding Finding)> about = EvidenceLocator.FindingsAbout(s, row, e, visibleRows);
        if (about.Count > 0)
        {
            lines.Add(DetailLine.Empty);
            lines.Add(DetailLine.Of("Findings about these bytes (highlighted below; select the finding row for its explanation)", DetailStyle.Heading, wrap: true));
            foreach ((int findingRow, Finding f) in about)
            {
                lines.Add(new DetailLine(
                    [new DetailSpan($"  {RowText.Mark(f.Severity)} {RowText.SeverityTag(f.Severity)} {f.Name}", Style(f.Severity)),
                     new DetailSpan($" [{f.Side.WireName()}] {TerminalText.Escape(f.Summary)} (row {findingRow + 1})", DetailStyle.Normal)],
                    Wrap: true, Indent: 4));
            }
        }

        if (!e.Bytes.IsEmpty)
        {
            lines.Add(DetailLine.Empty);
            lines.Add(DetailLine.Of(BytesHeading(e), DetailStyle.Heading, wrap: true));
            // Worst last, so it wins where evidence overlaps.
            var ranges = about.OrderBy(a => a.Finding.Severity)
                .Select(a => { (int start, int end) = EvidenceLocator.RangeIn(e, a.Finding); return (start, end, EvidenceStyle(a.Finding.Severity)); })
                .ToList();
            lines.AddRange(HexDump.Lines(e.Bytes.Span, e.Offset, ranges));
        }
    }

    private static void FindingDetail(List<DetailLine> lines, SessionRecord s, int row, Finding f)
    {
        string where = f.Direction is null ? "" : $"  {RowText.Arrow(f.Direction)} offset {f.Offset}";
        lines.Add(new DetailLine(
            [new DetailSpan($"{RowText.Mark(f.Severity)} {RowText.SeverityTag(f.Severity)} {f.Name}", Style(f.Severity)),
             new DetailSpan($"  blame: {f.Side.WireName()}{where}  {f.Time}", DetailStyle.Heading)],
            Wrap: true));
        lines.Add(DetailLine.Of(TerminalText.Escape(f.Summary), wrap: true));
        lines.Add(DetailLine.Empty);
        lines.Add(DetailLine.Of("Explanation", DetailStyle.Heading));
        lines.Add(DetailLine.Of(TerminalText.Escape(f.Explanation), wrap: true, indent: 0));
        if (f.Evidence.IsEmpty) return;

        lines.Add(DetailLine.Empty);
        int? eventRow = EvidenceLocator.EventFor(s, row, f);
        if (eventRow is { } r && s.Row(r) is TimelineEvent e && !e.Bytes.IsEmpty)
        {
            lines.Add(DetailLine.Of($"Evidence: {f.Evidence.Length} byte(s) at {RowText.Arrow(f.Direction)} offset {f.Offset}, highlighted in row {r + 1} ({RowText.Layer(e)} \"{TerminalText.Escape(e.Summary)}\")", DetailStyle.Heading, wrap: true));
            (int start, int end) = EvidenceLocator.RangeIn(e, f);
            lines.AddRange(HexDump.Lines(e.Bytes.Span, e.Offset, [(start, end, EvidenceStyle(f.Severity))]));
        }
        else
        {
            lines.Add(DetailLine.Of($"Evidence: {f.Evidence.Length} byte(s) at {RowText.Arrow(f.Direction)} offset {f.Offset}", DetailStyle.Heading, wrap: true));
            lines.AddRange(HexDump.Lines(f.Evidence.Span, f.Offset, [(0, f.Evidence.Length, EvidenceStyle(f.Severity))]));
        }
    }

    private static string BytesHeading(TimelineEvent e)
    {
        string shown = e.Bytes.Length < e.Length ? $" (first {e.Bytes.Length} shown)" : "";
        return $"Bytes: {e.Length} at stream offset {e.Offset}{shown}";
    }

    /// <summary>The decoded field tree: leaves as "name: value", lists of leaves on one wrapped line, objects nested.</summary>
    private static void Fields(List<DetailLine> lines, DetailNode node, int indent)
    {
        string pad = new(' ', indent);
        foreach (DetailNode c in node.Children)
        {
            string name = c.Name.Length > 0 ? TerminalText.Escape(c.Name) + ": " : "- ";
            if (c.Value is { } v)
            {
                lines.Add(new DetailLine([new DetailSpan(pad + name, DetailStyle.Label), new DetailSpan(Value(v), DetailStyle.Normal)], Wrap: true, Indent: indent + 2));
            }
            else if (c.IsList && c.Children.All(x => x.Value is not null))
            {
                string items = c.Children.Count == 0 ? "(none)" : string.Join(", ", c.Children.Select(x => Value(x.Value!)));
                lines.Add(new DetailLine([new DetailSpan(pad + name, DetailStyle.Label), new DetailSpan(items, c.Children.Count == 0 ? DetailStyle.Dim : DetailStyle.Normal)], Wrap: true, Indent: indent + 2));
            }
            else
            {
                lines.Add(DetailLine.Of(pad + name, DetailStyle.Label));
                Fields(lines, c, indent + 2);
            }
        }
    }

    private static string Value(object v) => TerminalText.Escape(Convert.ToString(v, CultureInfo.InvariantCulture) ?? "");

    public static DetailStyle Style(Severity s) => s switch
    {
        Severity.Error => DetailStyle.Error,
        Severity.Warning => DetailStyle.Warning,
        _ => DetailStyle.Info,
    };

    public static DetailStyle EvidenceStyle(Severity s) => s switch
    {
        Severity.Error => DetailStyle.ErrorEvidence,
        Severity.Warning => DetailStyle.WarningEvidence,
        _ => DetailStyle.InfoEvidence,
    };
}
