using Inspector.Core.Findings;
using Inspector.Tui.Model;
using Inspector.Tui.Views;
using Terminal.Gui.App;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;

namespace Inspector.Tui;

/// <summary>
/// Ties the model to the views: which session and row are selected, what each key does, and the
/// periodic <see cref="Tick"/> that takes in what the store received, in one batch, on the UI
/// thread. Built without running the application, so tests drive it on the headless driver.
/// </summary>
internal sealed partial class InspectorUi
{
    private readonly IApplication app;
    private readonly TuiSource source;
    private readonly SessionsTableSource sessionsSource;
    private readonly TimelineTableSource timelineSource = new();
    private readonly Func<int> openSessions;
    private SessionRecord? current;
    private string? message;
    private DateTime messageUntil;
    private int programmatic;
    private bool userMoved;

    public InspectorUi(IApplication app, TuiSource source, Palette palette)
    {
        this.app = app;
        this.source = source;
        Palette = palette;
        Sessions = new SessionList(source.Store);
        Clock = new DisplayClock(source.Store);
        sessionsSource = new SessionsTableSource(Sessions);
        openSessions = source.OpenSessions ?? (() => source.Store.OpenSessions);
        Following = source.IsLive;
        Window = new InspectorWindow(palette, sessionsSource, timelineSource);

        Window.SessionsTable.Style.RowColorGetter = a => palette.RowScheme(RowSeverityOfSession(a.RowIndex));
        Window.TimelineTable.Style.RowColorGetter = a =>
        {
            Severity? severity = timelineSource.RowSeverity(a.RowIndex, out bool isFinding);
            return isFinding ? palette.RowScheme(severity) : palette.EvidenceScheme(severity);
        };
        Window.SessionsTable.ValueChanged += (_, _) => OnSessionSelectionChanged();
        Window.TimelineTable.ValueChanged += (_, _) => OnTimelineSelectionChanged();
        Window.SessionsTable.MouseEvent += (_, mouse) => OnSessionsMouse(mouse);
        foreach (View pane in Window.Panes) pane.HasFocusChanged += (_, _) => UpdateTitles();
        app.Keyboard.KeyDown += (_, key) => { if (!key.Handled && HandleKey(key)) key.Handled = true; };
        Tick();
    }

    public InspectorWindow Window { get; }

    public Palette Palette { get; }

    public SessionList Sessions { get; }

    public DisplayClock Clock { get; }

    public bool Following { get; private set; }

    /// <summary>Set by q or Ctrl+C; the application has been asked to stop.</summary>
    public bool QuitRequested { get; private set; }

    public SessionRecord? CurrentSession => current;

    public int CurrentRow => Window.TimelineTable.Value?.SelectedCell.Y ?? -1;

    public long CellReads => sessionsSource.CellReads + timelineSource.CellReads;

    /// <summary>Takes in what arrived since the last tick (unless paused) and brings every pane up to date.</summary>
    public void Tick()
    {
        if (!Clock.Paused)
        {
            if (Sessions.Refresh())
            {
                Window.SessionsTable.Update();
                if (current is not null && !Sessions.Contains(current)) LeaveDroppedSession(current);
                else SelectSessionRow(current);
            }
            if (current is not null)
            {
                int rows = Clock.VisibleRows(current);
                if (rows != timelineSource.Rows)
                {
                    bool wasOnSession = CurrentRow < 0;
                    timelineSource.Show(current, rows);
                    Window.TimelineTable.Update();
                    if (Following) SelectTimelineRow(rows - 1);
                    else if (!userMoved && FirstErrorRow(current) is { } error && CurrentRow != error) SelectTimelineRow(error);
                    else if (wasOnSession) SelectTimelineRow(0);
                    // A finding about the selected row may just have arrived: decode its detail again.
                    else if (CurrentRow >= rows - EvidenceLocator.Window) ShowDetail();
                }
            }
            PickAutomatically();
        }
        UpdateStatus();
    }

    /// <summary>Shows a session's timeline with a chosen row, or its first error, or its first row.</summary>
    private void ShowSession(SessionRecord? session, int? row)
    {
        current = session;
        int rows = session is null ? 0 : Clock.VisibleRows(session);
        timelineSource.Show(session, rows);
        Window.TimelineTable.Update();
        SelectSessionRow(session);
        if (session is not null && rows > 0)
        {
            int initial = row ?? (Following ? rows - 1 : FirstErrorRow(session) ?? 0);
            SelectTimelineRow(Math.Clamp(initial, 0, rows - 1));
        }
        else
        {
            ShowDetail();
        }
        UpdateTitles();
    }

    /// <summary>
    /// The store dropped the selected session (it was the oldest ended one at a limit): the
    /// selection moves on to the session listed after it (or the last one), and the status line
    /// says why, rather than going on showing a session that the list, the finding navigator and
    /// saving no longer know.
    /// </summary>
    private void LeaveDroppedSession(SessionRecord gone)
    {
        SessionRecord? next = Sessions.Count == 0 ? null : Sessions[Sessions.Count - 1];
        for (int i = 0; i < Sessions.Count; i++)
        {
            if (Sessions.Order.Compare(Sessions[i], gone) > 0)
            {
                next = Sessions[i];
                break;
            }
        }
        ShowSession(next, null);
        Say($"session {gone.Id} was dropped: the UI keeps {LimitsText(source.Store.Limits)}");
    }

    private void OnSessionSelectionChanged()
    {
        if (programmatic > 0) return;
        int row = Window.SessionsTable.Value?.SelectedCell.Y ?? -1;
        if (row < 0 || row >= Sessions.Count) return;
        SessionRecord chosen = Sessions[row];
        if (chosen == current) return;
        userMoved = true;
        if (Following && chosen != Newest()) Following = false;
        ShowSession(chosen, null);
    }

    private void OnTimelineSelectionChanged()
    {
        if (programmatic > 0) return;
        userMoved = true;
        if (Following && CurrentRow != timelineSource.Rows - 1) Following = false;
        ShowDetail();
    }

    private void OnSessionsMouse(Mouse mouse)
    {
        // A click on a column header sorts by that column; a second click reverses (quick ones arrive as a double click).
        bool click = mouse.Flags.HasFlag(MouseFlags.LeftButtonClicked) || mouse.Flags.HasFlag(MouseFlags.LeftButtonDoubleClicked);
        if (!click || mouse.Position is not { } at) return;
        if (Window.SessionsTable.ScreenToCell(at, out int? header) is not null || header is not { } column) return;
        SessionSortKey key = SessionsTableSource.SortKeys[Math.Clamp(column, 0, SessionsTableSource.SortKeys.Length - 1)];
        SetOrder(Sessions.Order.Key == key ? Sessions.Order.Reversed() : SessionOrder.By(key));
        mouse.Handled = true;
    }

    private void SelectSessionRow(SessionRecord? session)
    {
        int index = session is null ? -1 : Sessions.IndexOf(session);
        if (index < 0) return;
        Programmatically(() =>
        {
            Window.SessionsTable.SetSelection(0, index, false, null);
            Window.SessionsTable.EnsureCursorIsVisible();
        });
        Window.SessionsTable.SetNeedsDraw();
    }

    private void SelectTimelineRow(int row)
    {
        if (row < 0 || row >= timelineSource.Rows) return;
        Programmatically(() =>
        {
            Window.TimelineTable.SetSelection(0, row, false, null);
            Window.TimelineTable.EnsureCursorIsVisible();
        });
        Window.TimelineTable.SetNeedsDraw();
        ShowDetail();
    }

    private void ShowDetail()
    {
        Window.Detail.Document = current is null
            ? DetailDocument.Empty
            : DetailBuilder.Build(current, CurrentRow, timelineSource.Rows);
        UpdateTitles();
        UpdateStatus();
    }

    /// <summary>Until the user moves, the first session with an error is shown, at its first error.</summary>
    private void PickAutomatically()
    {
        if (Following)
        {
            FollowNewest();
            return;
        }
        if (userMoved || Sessions.Count == 0) return;
        if (current is not null && current.Errors > 0 && Sessions.IndexOf(current) >= 0) return;
        SessionRecord? pick = current is not null && Sessions.IndexOf(current) >= 0 ? current : Sessions[0];
        for (int i = 0; i < Sessions.Count; i++)
        {
            if (Sessions[i].Errors > 0)
            {
                pick = Sessions[i];
                break;
            }
        }
        if (pick != current) ShowSession(pick, null);
    }

    private void FollowNewest()
    {
        SessionRecord? newest = Newest();
        if (newest is null) return;
        if (newest != current) ShowSession(newest, int.MaxValue);
        else if (timelineSource.Rows > 0 && CurrentRow != timelineSource.Rows - 1) SelectTimelineRow(timelineSource.Rows - 1);
    }

    /// <summary>The listed session that started last.</summary>
    private SessionRecord? Newest()
    {
        SessionRecord? newest = null;
        for (int i = 0; i < Sessions.Count; i++)
        {
            if (newest is null || Sessions[i].Sequence > newest.Sequence) newest = Sessions[i];
        }
        return newest;
    }

    private int? FirstErrorRow(SessionRecord s)
    {
        int limit = Clock.VisibleRows(s);
        for (int i = 0; i < s.FindingCount && s.FindingRow(i) < limit; i++)
        {
            if (s.Row(s.FindingRow(i)) is Finding { Severity: Severity.Error }) return s.FindingRow(i);
        }
        return null;
    }

    private Severity? RowSeverityOfSession(int row) => row >= 0 && row < Sessions.Count ? Sessions[row].WorstSeverity switch
    {
        Severity.Info => null, // notes do not colour a whole session
        var s => s,
    } : null;

    private void Programmatically(Action change)
    {
        programmatic++;
        try
        {
            change();
        }
        finally
        {
            programmatic--;
        }
    }

}
