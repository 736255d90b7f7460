using Inspector.Tui.Model;
using Terminal.Gui.Drawing;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Inspector.Tui.Views;

/// <summary>
/// The layout, and nothing else: sessions on top, the selected session's timeline below, the
/// selected row's detail under that, and one line at the bottom for the status or a prompt.
/// Each pane has a title line instead of a full box, so 80x24 still shows useful rows.
/// </summary>
internal sealed class InspectorWindow : Window
{
    private readonly Palette palette;
    private HelpView? help;

    public InspectorWindow(Palette palette, SessionsTableSource sessions, TimelineTableSource timeline)
    {
        BorderStyle = LineStyle.None;
        SetScheme(palette.Base);

        SessionsFrame = Pane("Sessions", Pos.Absolute(0), Dim.Percent(30));
        SessionsTable = Table(sessions, palette);
        SessionsTableSource.Style(SessionsTable);
        SessionsFrame.Add(SessionsTable);

        TimelineFrame = Pane("Timeline", Pos.Bottom(SessionsFrame), Dim.Percent(35));
        TimelineTable = Table(timeline, palette);
        TimelineTableSource.Style(TimelineTable);
        TimelineFrame.Add(TimelineTable);

        DetailFrame = Pane("Detail", Pos.Bottom(TimelineFrame), Dim.Fill(1));
        Detail = new DetailView(palette) { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill() };
        DetailFrame.Add(Detail);

        Status = new StatusLine(palette) { X = 0, Y = Pos.AnchorEnd(1) };
        Prompt = new PromptLine(palette) { X = 0, Y = Pos.AnchorEnd(1) };
        this.palette = palette;
        Add(SessionsFrame, TimelineFrame, DetailFrame, Status, Prompt);
    }

    /// <summary>True while the <c>?</c> overlay is shown.</summary>
    public bool HelpShown => help is not null;

    /// <summary>
    /// Shows or hides the help overlay. It exists only while shown: a hidden view is still laid out
    /// on every pass, and the help text is the most expensive text to lay out.
    /// </summary>
    public void ShowHelp(bool show)
    {
        if (show == HelpShown) return;
        if (show)
        {
            help = new HelpView(palette) { Visible = true };
            Add(help); // last, so it draws over the panes
            return;
        }
        Remove(help!);
        help!.Dispose();
        help = null;
        SetNeedsDraw();
    }

    /// <summary>
    /// Titles and labels show finding names and peer text: an underscore in them is text, not the
    /// hot-key marker Terminal.Gui would otherwise hide.
    /// </summary>
    public static readonly System.Text.Rune NoHotKey = new(0xFFFF);

    public FrameView SessionsFrame { get; }

    public TableView SessionsTable { get; }

    public FrameView TimelineFrame { get; }

    public TableView TimelineTable { get; }

    public FrameView DetailFrame { get; }

    public DetailView Detail { get; }

    public StatusLine Status { get; }

    public PromptLine Prompt { get; }

    /// <summary>The three panes in Tab order.</summary>
    public View[] Panes => [SessionsTable, TimelineTable, Detail];

    private static FrameView Pane(string title, Pos y, Dim height)
    {
        var frame = new FrameView { Title = title, X = 0, Y = y, Width = Dim.Fill(), Height = height, HotKeySpecifier = NoHotKey };
        frame.Border!.Thickness = new Thickness(0, 1, 0, 0);
        return frame;
    }

    private static TableView Table(ITableSource source, Palette palette)
    {
        var table = new PaneTable(source)
        {
            X = 0,
            Y = 0,
            Width = Dim.Fill(),
            Height = Dim.Fill(),
            FullRowSelect = true,
            MultiSelect = false,
            // Type-to-search would swallow the single-letter commands.
            CollectionNavigator = null,
            // Column widths from the visible rows only: the table never walks a million rows.
            UseAllRowsForContentCalculation = false,
        };
        table.Style.AlwaysShowHeaders = true;
        table.Style.ShowHorizontalHeaderOverline = false;
        table.Style.ShowHorizontalHeaderUnderline = false;
        table.Style.ShowHorizontalBottomLine = false;
        table.Style.ShowVerticalCellLines = false;
        table.Style.ShowVerticalHeaderLines = false;
        table.Style.HeaderScheme = palette.Header;
        table.SetScheme(palette.Base);
        // Widths are computed before the first layout and stay collapsed unless recomputed when the frame is
        // known; a row selected before that is scrolled into view only now that the height is known.
        table.FrameChanged += (_, _) =>
        {
            table.Update();
            table.EnsureCursorIsVisible();
        };
        return table;
    }
}
