using Inspector.Tui.Model;
using Terminal.Gui.Views;

namespace Inspector.Tui.Views;

/// <summary>The sessions pane's rows, formatted on demand: the table asks only for the cells it draws.</summary>
internal sealed class SessionsTableSource(SessionList sessions) : ITableSource
{
    public const int IdColumn = 0, StartColumn = 1, ConnectionColumn = 2, StateColumn = 3, ClientBytesColumn = 4, ServerBytesColumn = 5, FindingsColumn = 6;

    /// <summary>Which sort key a column header click asks for.</summary>
    public static readonly SessionSortKey[] SortKeys =
    [
        SessionSortKey.Id, SessionSortKey.Start, SessionSortKey.Client, SessionSortKey.State,
        SessionSortKey.ClientBytes, SessionSortKey.ServerBytes, SessionSortKey.Findings,
    ];

    public string[] ColumnNames { get; } = ["#", "Start", "Client → Server", "State", "C→S", "S→C", "Findings"];

    /// <summary>Fixed widths, so columns do not jump as sessions scroll by; long IPv6 pairs are cut.</summary>
    public static void Style(TableView table)
    {
        table.Style.GetOrCreateColumnStyle(IdColumn).MinWidth = 3;
        table.Style.GetOrCreateColumnStyle(StartColumn).MinWidth = 8;
        table.Style.GetOrCreateColumnStyle(ConnectionColumn).MaxWidth = 60;
        table.Style.GetOrCreateColumnStyle(StateColumn).MinWidth = 9;
        table.Style.GetOrCreateColumnStyle(ClientBytesColumn).MinWidth = 5;
        table.Style.GetOrCreateColumnStyle(ServerBytesColumn).MinWidth = 5;
        table.Style.GetOrCreateColumnStyle(FindingsColumn).MinWidth = 8;
    }

    public int Columns => ColumnNames.Length;

    public int Rows => sessions.Count;

    /// <summary>Cells read so far (the scale test checks the table stays lazy).</summary>
    public long CellReads { get; private set; }

    public object this[int row, int col]
    {
        get
        {
            CellReads++;
            if (row < 0 || row >= sessions.Count) return "";
            SessionRecord s = sessions[row];
            return col switch
            {
                IdColumn => s.IsOpen ? $"{s.Id}*" : s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                StartColumn => RowText.ClockTime(s.Info.Start),
                ConnectionColumn => s.Info.Data is { } link ? $"└ {DataLabel(s, link)}: {s.ClientText} → {s.ServerText}" : $"{s.ClientText} → {s.ServerText}",
                StateColumn => s.State,
                ClientBytesColumn => RowText.Bytes(s.ClientBytes),
                ServerBytesColumn => RowText.Bytes(s.ServerBytes),
                FindingsColumn => RowText.FindingCounts(s.Errors, s.Warnings, s.Infos),
                _ => "",
            };
        }
    }

    /// <summary>A data connection's row names its control session and what it carried, nested under it in the default order.</summary>
    private static string DataLabel(SessionRecord s, Core.Sessions.DataLink link) =>
        $"data of {link.ParentId}{(s.Summary?.Command is { } c ? " " + c : "")}{(link.ServerConnected ? " (active)" : "")}{(link.Inferred ? " (inferred)" : "")}";
}
