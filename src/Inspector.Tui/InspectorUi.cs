using System.Globalization;
using Inspector.Core.Findings;
using Inspector.Tui.Model;
using Inspector.Tui.Views;
using Terminal.Gui.App;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Inspector.Tui;

/// <summary>
/// Ties the model to the views: which session and row are selected, what each key does, and the
/// periodic <see cref="Tick"/> that takes in what the store received, in one batch, on the UI
/// thread. Built without running the application, so tests drive it on the headless driver.
/// </summary>
internal sealed class InspectorUi
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
                SelectSessionRow(current);
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
                }
            }
            PickAutomatically();
        }
        UpdateStatus();
    }

    /// <summary>Every key the UI handles itself; the rest go on to the focused pane.</summary>
    public bool HandleKey(Key key)
    {
        if (Window.HelpShown)
        {
            Window.ShowHelp(false);
            return true;
        }
        if (key == Key.C.WithCtrl)
        {
            Quit();
            return true;
        }
        if (Window.Prompt.IsOpen) return HandlePromptKey(key);
        if (key == Key.Esc)
        {
            if (!Sessions.Filter.IsEmpty) ApplyFilter("");
            return true; // never Terminal.Gui's default of quitting
        }
        if (key == Key.Tab || key == Key.Tab.WithShift)
        {
            CycleFocus(key == Key.Tab ? 1 : -1);
            return true;
        }
        if (key == Key.Enter)
        {
            Open();
            return true;
        }
        if (key.IsCtrl || key.IsAlt)
        {
            return false;
        }
        switch (key.AsRune.Value)
        {
            case '/': AskFilter(); return true;
            case 'n': NextFinding(forward: true); return true;
            case 'N': NextFinding(forward: false); return true;
            case 'f': ToggleFollow(); return true;
            case 'p': TogglePause(); return true;
            case 'o': SetOrder(Sessions.Order.Next()); return true;
            case 'O': SetOrder(Sessions.Order.Reversed()); return true;
            case 's': AskSave(all: false); return true;
            case 'S': AskSave(all: true); return true;
            case '?': Window.ShowHelp(true); return true;
            case 'q': AskQuit(); return true;
        }
        if ((key == Key.Home || key == Key.End) && Window.MostFocused is TableView table)
        {
            // In a table whose rows are selected whole, Home and End mean the first and last row.
            int last = table.Table?.Rows - 1 ?? -1;
            if (last >= 0)
            {
                table.SetSelection(0, key == Key.Home ? 0 : last, false, null);
                table.EnsureCursorIsVisible();
            }
            userMoved = true;
            return true;
        }
        if (key == Key.CursorUp || key == Key.CursorDown || key == Key.PageUp || key == Key.PageDown)
        {
            userMoved = true;
        }
        return false;
    }

    public void ApplyFilter(string text)
    {
        SessionFilter filter = SessionFilter.Parse(text);
        Sessions.SetFilter(filter);
        Window.SessionsTable.Update();
        userMoved = true;
        Following = false;
        if (Sessions.Count == 0)
        {
            ShowSession(null, null);
            Say(filter.IsEmpty ? "no sessions" : $"no session matches \"{filter.Text}\"");
            return;
        }
        SessionRecord first = Sessions[0];
        int? row = filter.HasRowTerms ? FirstMatchingRow(first, filter) : null;
        ShowSession(first, row);
        Say(filter.IsEmpty ? "filter cleared" : $"{Sessions.Count} of {source.Store.SessionCount} sessions match \"{filter.Text}\"");
    }

    public void NextFinding(bool forward)
    {
        userMoved = true;
        Following = false;
        int index = current is null ? -1 : Sessions.IndexOf(current);
        var from = index < 0 ? new RowPosition(0, -1) : new RowPosition(index, CurrentRow);
        RowPosition? found = FindingNavigator.Find(Sessions, from, forward, Clock.VisibleRows, Sessions.Filter.FindingMatches, out bool wrapped);
        if (found is not { } at)
        {
            Say(Sessions.Filter.IsEmpty ? "no findings" : "no findings in the filtered sessions");
            return;
        }
        SessionRecord target = Sessions[at.SessionIndex];
        if (target != current) ShowSession(target, at.Row);
        else SelectTimelineRow(at.Row);
        if (wrapped) Say(forward ? "search wrapped to the top" : "search wrapped to the bottom");
    }

    public void ToggleFollow()
    {
        Following = !Following;
        if (Following) FollowNewest();
        Say(Following ? "following the newest session" : "follow off");
    }

    public void TogglePause()
    {
        if (Clock.Paused)
        {
            Clock.Resume();
            Say("display resumed");
            Tick();
        }
        else
        {
            Clock.Pause();
            Say("display paused: traffic is still kept; p resumes");
        }
    }

    public void SetOrder(SessionOrder order)
    {
        Sessions.SetOrder(order);
        Window.SessionsTable.Update();
        SelectSessionRow(current);
        Say($"sessions sorted by {order.Describe()}");
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
            if (newest is null || Sessions[i].Position > newest.Position) newest = Sessions[i];
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

    private int? FirstMatchingRow(SessionRecord s, SessionFilter filter)
    {
        int limit = Clock.VisibleRows(s);
        for (int row = 0; row < limit; row++)
        {
            if (filter.RowMatches(s.Row(row))) return row;
        }
        return null;
    }

    private Severity? RowSeverityOfSession(int row) => row >= 0 && row < Sessions.Count ? Sessions[row].WorstSeverity switch
    {
        Severity.Info => null, // notes do not colour a whole session
        var s => s,
    } : null;

    private void Open()
    {
        View? focused = Window.MostFocused;
        if (focused == Window.SessionsTable) Window.TimelineTable.SetFocus();
        else if (focused == Window.TimelineTable) Window.Detail.SetFocus();
        userMoved = true;
    }

    private void CycleFocus(int direction)
    {
        View[] panes = Window.Panes;
        int at = Array.IndexOf(panes, Window.MostFocused);
        panes[((at < 0 ? 0 : at + direction) % panes.Length + panes.Length) % panes.Length].SetFocus();
    }

    private bool HandlePromptKey(Key key)
    {
        PromptLine prompt = Window.Prompt;
        if (prompt.IsYesNo)
        {
            int answer = key.AsRune.Value;
            if (answer is 'y' or 'Y') prompt.Answered(true);
            else if (answer is 'n' or 'N' || key == Key.Esc) prompt.Answered(false);
            return true; // nothing else means anything here
        }
        if (key == Key.Enter)
        {
            prompt.Accept();
            return true;
        }
        if (key == Key.Esc)
        {
            prompt.Cancel();
            return true;
        }
        return false; // typing goes to the text field
    }

    private void AskFilter() =>
        Window.Prompt.AskText("Filter (text, address, finding, error/warning/info; empty clears): ", Sessions.Filter.Text, ApplyFilter);

    private void AskSave(bool all)
    {
        if (source.Saver is not { } saver)
        {
            Say("saving is not available for this source");
            return;
        }
        List<long> ids = all
            ? Enumerable.Range(0, Sessions.Count).Select(i => Sessions[i].Id).ToList()
            : current is null ? [] : [current.Id];
        if (ids.Count == 0)
        {
            Say("no session to save");
            return;
        }
        string what = all ? $"{ids.Count} listed session(s)" : $"session {ids[0]}";
        string path = all ? "inspector-sessions.pcapng" : $"inspector-session-{ids[0].ToString(CultureInfo.InvariantCulture)}.pcapng";
        Window.Prompt.AskText($"Save {what} as pcapng: ", path, chosen =>
        {
            if (string.IsNullOrWhiteSpace(chosen)) return;
            Say($"saving {what} to {chosen} ...");
            // Re-reading a large capture takes a while: off the UI thread, the result comes back through Invoke.
            Task.Run(() =>
            {
                string result;
                try
                {
                    result = saver.Save(ids, chosen.Trim());
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException or NotSupportedException)
                {
                    result = $"could not save: {e.Message}";
                }
                app.Invoke(() => Say(result));
            });
        });
    }

    private void AskQuit()
    {
        int open = source.IsLive ? openSessions() : 0;
        if (open == 0)
        {
            Quit();
            return;
        }
        Window.Prompt.AskYesNo($"{open} session(s) still open; quit anyway?", yes => { if (yes) Quit(); });
    }

    private void Quit()
    {
        QuitRequested = true;
        app.RequestStop();
    }

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

    private void Say(string text)
    {
        message = text;
        messageUntil = DateTime.UtcNow.AddSeconds(6);
        UpdateStatus();
    }

    private void UpdateTitles()
    {
        string Focus(View pane) => pane.HasFocus ? "▶ " : "";
        string shown = Sessions.Filter.IsEmpty ? "" : $" ({Sessions.Count} of {source.Store.SessionCount} match \"{Sessions.Filter.Text}\")";
        Window.SessionsFrame.Title = $"{Focus(Window.SessionsTable)}Sessions — {source.Title}{shown}";
        // Titles change only with the session or the focus: a title change lays the window out again.
        SetTitle(Window.SessionsFrame, $"{Focus(Window.SessionsTable)}Sessions — {source.Title}{shown}");
        SetTitle(Window.TimelineFrame, current is null
            ? $"{Focus(Window.TimelineTable)}Timeline"
            : $"{Focus(Window.TimelineTable)}Timeline — session {current.Id}: {current.ClientText} → {current.ServerText}");
        SetTitle(Window.DetailFrame, $"{Focus(Window.Detail)}Detail");
    }

    private static void SetTitle(View frame, string title)
    {
        if (frame.Title != title) frame.Title = title;
    }

    private void UpdateStatus()
    {
        // Most important first: the left side is cut from its end when the line is narrow.
        var parts = new List<string>();
        if (Clock.Paused) parts.Add($"PAUSED +{Clock.Waiting}");
        if (Following) parts.Add("FOLLOW");
        if (current is not null && CurrentRow >= 0) parts.Add($"row {CurrentRow + 1}/{timelineSource.Rows}");
        int total = source.Store.SessionCount;
        parts.Add(Sessions.Filter.IsEmpty ? $"{total} session(s)" : $"{Sessions.Count}/{total} sessions");
        (int errors, int warnings) = Totals();
        if (errors + warnings > 0) parts.Add($"{errors}E {warnings}W");
        parts.Add(source.Activity?.Invoke() is { Length: > 0 } activity ? $"{source.Title}: {activity}" : source.Title);
        if (message is not null && DateTime.UtcNow > messageUntil) message = null;
        Window.Status.Show(string.Join(" │ ", parts), message);
    }

    private (int Errors, int Warnings) Totals()
    {
        int errors = 0, warnings = 0;
        for (int i = 0; i < source.Store.SessionCount; i++)
        {
            SessionRecord s = source.Store[i];
            errors += s.Errors;
            warnings += s.Warnings;
        }
        return (errors, warnings);
    }
}
