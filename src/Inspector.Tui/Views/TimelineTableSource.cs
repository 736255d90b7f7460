using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Timeline;
using Inspector.Tui.Model;
using Terminal.Gui.Views;

namespace Inspector.Tui.Views;

/// <summary>
/// The timeline pane's rows for the selected session, formatted on demand. <see cref="Rows"/> is
/// what the display shows (fixed while paused), however many rows the session has by now.
/// </summary>
internal sealed class TimelineTableSource : ITableSource
{
    public const int MarkColumn = 0, TimeColumn = 1, DirectionColumn = 2, LayerColumn = 3, SummaryColumn = 4;

    public string[] ColumnNames { get; } = ["", "Time", "Dir", "Layer", "Summary"];

    /// <summary>Fixed widths, so columns do not jump as rows with and without marks scroll by.</summary>
    public static void Style(TableView table)
    {
        table.Style.GetOrCreateColumnStyle(MarkColumn).MinWidth = 2;
        table.Style.GetOrCreateColumnStyle(TimeColumn).MinWidth = 15;
        table.Style.GetOrCreateColumnStyle(DirectionColumn).MinWidth = 3;
        table.Style.GetOrCreateColumnStyle(LayerColumn).MinWidth = 5;
    }

    public int Columns => ColumnNames.Length;

    public SessionRecord? Session { get; private set; }

    public int Rows { get; private set; }

    public long CellReads { get; private set; }

    public void Show(SessionRecord? session, int rows)
    {
        Session = session;
        Rows = session is null ? 0 : rows;
    }

    public object this[int row, int col]
    {
        get
        {
            CellReads++;
            if (Session is not { } s || row < 0 || row >= Rows) return "";
            AnalysisOutput output = s.Row(row);
            return col switch
            {
                MarkColumn => Mark(s, row, output),
                TimeColumn => RowText.Time(output.Time),
                DirectionColumn => RowText.Arrow(RowText.DirectionOf(output)),
                LayerColumn => RowText.Layer(output),
                SummaryColumn => RowText.Summary(output),
                _ => "",
            };
        }
    }

    /// <summary>The severity that colours a row: a finding's own, or the worst finding about an event's bytes.</summary>
    public Severity? RowSeverity(int row, out bool isFinding)
    {
        isFinding = false;
        if (Session is not { } s || row < 0 || row >= Rows) return null;
        switch (s.Row(row))
        {
            case Finding f:
                isFinding = true;
                return f.Severity;
            case TimelineEvent e:
                return EvidenceLocator.WorstAbout(s, row, e, Rows);
            default:
                return null;
        }
    }

    private string Mark(SessionRecord s, int row, AnalysisOutput output) => output switch
    {
        Finding f => RowText.Mark(f.Severity),
        TimelineEvent e when EvidenceLocator.WorstAbout(s, row, e, Rows) is not null => "»",
        _ => "",
    };
}
