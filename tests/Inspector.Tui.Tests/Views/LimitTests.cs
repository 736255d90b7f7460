using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Sessions;
using Inspector.Tui.Tests.Kit;
using Terminal.Gui.Input;

namespace Inspector.Tui.Tests.Views;

/// <summary>The real UI at the store's limits: it says what was dropped, and moves off a session that went.</summary>
public sealed class LimitTests
{
    private static readonly SessionStoreLimits Ten = new() { MaxSessions = 10, MaxRowsPerSession = 5 };

    /// <summary>Sessions from a worker thread, as the proxy's session threads feed them; every third has an error.</summary>
    private static void Feed(SessionStore store, int first, int count)
    {
        var worker = new Thread(() =>
        {
            for (int id = first; id < first + count; id++)
            {
                SessionInfo info = Stores.Session(id);
                store.SessionStarted(info);
                store.Output(info, Stores.Event(id * 10, $"220 hello from session {id}", Direction.ServerToClient, 0, "220 hello\r\n"));
                if (id % 3 == 0) store.Output(info, Stores.Finding(id * 10 + 1, "ftps.plaintext_after_auth", Severity.Error));
                store.SessionEnded(info, new SessionSummary("ftp", "plaintext", Stores.T(id * 10 + 2), 10, 11, id % 3 == 0 ? 1 : 0, 0, 0));
            }
        });
        worker.Start();
        worker.Join();
    }

    [Fact(Timeout = 30_000)]
    public async Task The_status_line_says_how_many_older_sessions_were_dropped_and_the_error_count_includes_them()
    {
        await Task.Yield();
        var store = new SessionStore(Ten);
        using var ui = new Headless(new TuiSource { Title = "proxy", Store = store, IsLive = true }, width: 180);
        Feed(store, 1, 25);
        ui.Tick();
        Assert.Contains("10 session(s) │ 15 older session(s) dropped (limit 10 sessions, 256 MB of rows) │ 8E 0W", ui.Screen);
        Assert.Equal(10, ui.Ui.Sessions.Count);
        Assert.Equal(16, ui.Ui.Sessions[0].Id);
        Assert.Equal(25, ui.Ui.CurrentSession!.Id); // following the newest
    }

    [Fact(Timeout = 30_000)]
    public async Task When_the_selected_session_is_dropped_the_selection_moves_on_and_says_why()
    {
        await Task.Yield();
        var store = new SessionStore(Ten);
        Feed(store, 1, 10);
        using var ui = new Headless(new TuiSource { Title = "proxy", Store = store }, width: 180);
        ui.Ui.Window.SessionsTable.SetFocus();
        ui.Press(Key.Home);
        ui.Press(Key.CursorDown);
        Assert.Equal(2, ui.Ui.CurrentSession!.Id);

        Feed(store, 11, 2); // sessions 1 and 2 go
        ui.Tick();
        Assert.Equal(3, ui.Ui.CurrentSession!.Id); // now in the place session 2 had
        Assert.Contains("session 2 was dropped: the UI keeps 10 sessions, 256 MB of rows", ui.Screen);
        Assert.Contains("hello from session 3", ui.Screen);

        // n and N go through the kept sessions only.
        ui.Press('N');
        Assert.Equal(12, ui.Ui.CurrentSession!.Id);
        Assert.Contains("search wrapped", ui.Screen);
    }

    [Fact(Timeout = 30_000)]
    public async Task Saving_a_session_dropped_while_the_display_was_paused_says_it_is_gone()
    {
        await Task.Yield();
        var store = new SessionStore(Ten);
        Feed(store, 1, 10);
        var saver = new NeverCalledSaver();
        using var ui = new Headless(new TuiSource { Title = "proxy", Store = store, Saver = saver }, width: 180);
        ui.Ui.Window.SessionsTable.SetFocus();
        ui.Press(Key.Home);
        ui.Press('p');
        Feed(store, 11, 5);
        ui.Tick();
        Assert.Equal(1, ui.Ui.CurrentSession!.Id); // paused: still shown

        ui.Press('s');
        Assert.False(ui.Ui.Window.Prompt.IsOpen);
        Assert.Contains("session 1 was dropped (the UI keeps 10 sessions, 256 MB of rows); it can no longer be saved", ui.Screen);
        Assert.False(saver.Called);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_session_past_its_row_limit_says_so_in_the_timeline_title()
    {
        await Task.Yield();
        var store = new SessionStore(Ten);
        SessionInfo info = Stores.Session(1);
        var worker = new Thread(() =>
        {
            for (int i = 0; i < 12; i++) store.Output(info, Stores.Event(i, $"NOOP {i}", Direction.ClientToServer, i * 6, "NOOP\r\n"));
            store.Output(info, Stores.Finding(20, "ftp.late", Severity.Warning));
        });
        worker.Start();
        worker.Join();
        using var ui = new Headless(new TuiSource { Title = "t", Store = store }, width: 180);
        Assert.Contains("7 later rows not kept (limit 5; findings are)", ui.Screen);
        Assert.Contains("ftp.late", ui.Screen);
        Assert.DoesNotContain("NOOP 5", ui.Screen);
    }

    private sealed class NeverCalledSaver : ISessionSaver
    {
        public bool Called { get; private set; }

        public string Save(IReadOnlyList<long> sessionIds, string path)
        {
            Called = true;
            return "saved";
        }
    }
}
