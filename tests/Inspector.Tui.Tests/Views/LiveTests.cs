using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Sessions;
using Inspector.Tui.Tests.Kit;
using Terminal.Gui.Input;

namespace Inspector.Tui.Tests.Views;

/// <summary>A live source: sessions arrive from other threads while the UI runs.</summary>
public sealed class LiveTests
{
    private static TuiSource Live(SessionStore store, ISessionSaver? saver = null) =>
        new() { Title = "proxy 127.0.0.1:2121 → ftp:21", Store = store, IsLive = true, Saver = saver };

    /// <summary>Feeds sessions from a worker thread, as the proxy's session threads do (the test waits for it without leaving its thread).</summary>
    private static void Feed(SessionStore store, int first, int count, bool end = true) => OnWorker(() =>
    {
        for (int id = first; id < first + count; id++)
        {
            SessionInfo info = Stores.Session(id);
            store.SessionStarted(info);
            store.Output(info, Stores.Event(id * 10, $"220 hello from session {id}", Direction.ServerToClient, 0, "220 hello\r\n"));
            store.Output(info, Stores.Event(id * 10 + 1, "AUTH TLS", Direction.ClientToServer, 0, "AUTH TLS\r\n"));
            if (id % 3 == 0) store.Output(info, Stores.Finding(id * 10 + 2, "ftps.plaintext_after_auth", Severity.Error));
            if (end) store.SessionEnded(info, new SessionSummary("ftp", "plaintext", Stores.T(id * 10 + 3), 10, 11, id % 3 == 0 ? 1 : 0, 0, 0));
        }
    });

    [Fact(Timeout = 30_000)]
    public async Task New_sessions_appear_on_the_next_tick_and_follow_keeps_to_the_newest()
    {
        // Terminal.Gui wants one UI thread: everything after this first await stays on the thread it resumed on.
        await Task.Yield();
        var store = new SessionStore();
        using var ui = new Headless(Live(store));
        Assert.True(ui.Ui.Following); // live sources start following
        Feed(store, 1, 5);
        Assert.DoesNotContain("session 5", ui.Screen); // nothing is drawn until the UI takes the batch in
        ui.Tick();
        Assert.Contains("hello from session 5", ui.Screen);
        Assert.Equal(5, ui.Ui.CurrentSession!.Id);
        Assert.Equal(ui.Ui.CurrentSession.RowCount - 1, ui.Ui.CurrentRow);

        Feed(store, 6, 3, end: false);
        ui.Tick();
        Assert.Equal(8, ui.Ui.CurrentSession!.Id);
        Assert.Contains("8*", ui.Screen); // still open

        // Moving by hand stops following.
        ui.Press(Key.Home);
        Assert.False(ui.Ui.Following);
        Feed(store, 9, 1);
        ui.Tick();
        Assert.NotEqual(9, ui.Ui.CurrentSession!.Id);
        ui.Press('f');
        Assert.True(ui.Ui.Following);
        Assert.Equal(9, ui.Ui.CurrentSession!.Id);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_finding_that_arrives_after_its_event_shows_in_the_selected_events_detail()
    {
        await Task.Yield();
        var store = new SessionStore();
        SessionInfo info = Stores.Session(1);
        OnWorker(() => store.Output(info, Stores.Event(1, "550 TLS handshake failed", Direction.ServerToClient, 0, "550 TLS handshake failed\r\n")));
        using var ui = new Headless(new TuiSource { Title = "t", Store = store });
        Assert.DoesNotContain("ftps.plaintext_after_auth", ui.Ui.Window.Detail.Document.Text);

        OnWorker(() => store.Output(info, Stores.Finding(2, "ftps.plaintext_after_auth", Severity.Error, Direction.ServerToClient, 0, "550 T")));
        ui.Press(Key.Tab);
        ui.Press(Key.Home); // the user chose the event row: nothing moves them off it
        ui.Tick();
        Assert.Equal(0, ui.Ui.CurrentRow);
        Assert.Contains("ERROR ftps.plaintext_after_auth", ui.Ui.Window.Detail.Document.Text);
    }

    [Fact(Timeout = 30_000)]
    public async Task Pause_freezes_the_display_while_traffic_is_kept_and_resume_shows_it()
    {
        // Terminal.Gui wants one UI thread: everything after this first await stays on the thread it resumed on.
        await Task.Yield();
        var store = new SessionStore();
        using var ui = new Headless(Live(store));
        Feed(store, 1, 2);
        ui.Tick();
        ui.Press('p');
        Assert.True(ui.Ui.Clock.Paused);

        Feed(store, 3, 4);
        ui.Tick();
        Assert.Equal(2, ui.Ui.Sessions.Count);
        Assert.DoesNotContain("hello from session 6", ui.Screen);
        Assert.Contains("PAUSED +", ui.Screen);
        Assert.Equal(6, store.SessionCount); // kept

        ui.Press('p');
        Assert.False(ui.Ui.Clock.Paused);
        Assert.Equal(6, ui.Ui.Sessions.Count);
        Assert.Contains("hello from session 6", ui.Screen);
    }

    [Fact(Timeout = 30_000)]
    public async Task Quit_asks_while_live_sessions_are_open()
    {
        // Terminal.Gui wants one UI thread: everything after this first await stays on the thread it resumed on.
        await Task.Yield();
        var store = new SessionStore();
        using var ui = new Headless(Live(store));
        Feed(store, 1, 2, end: false);
        ui.Tick();

        ui.Press('q');
        Assert.True(ui.Ui.Window.Prompt.IsYesNo);
        Assert.Contains("2 session(s) still open; quit anyway? (y/n)", ui.Screen);
        ui.Press('n');
        Assert.False(ui.Ui.QuitRequested);
        Assert.False(ui.Ui.Window.Prompt.IsOpen);

        ui.Press('q');
        ui.Press('y');
        Assert.True(ui.Ui.QuitRequested);
    }

    [Fact(Timeout = 30_000)]
    public async Task Quit_does_not_ask_when_nothing_is_open()
    {
        // Terminal.Gui wants one UI thread: everything after this first await stays on the thread it resumed on.
        await Task.Yield();
        var store = new SessionStore();
        Feed(store, 1, 2);
        using var ui = new Headless(Live(store));
        ui.Press('q');
        Assert.True(ui.Ui.QuitRequested);
    }

    [Fact(Timeout = 30_000)]
    public async Task Save_asks_for_a_path_and_shows_what_the_saver_answers()
    {
        // Terminal.Gui wants one UI thread: everything after this first await stays on the thread it resumed on.
        await Task.Yield();
        var store = new SessionStore();
        Feed(store, 1, 3);
        var saver = new RecordingSaver();
        using var ui = new Headless(Live(store, saver));
        ui.Tick();
        long selected = ui.Ui.CurrentSession!.Id;

        ui.Press('s');
        Assert.Equal($"inspector-session-{selected}.pcapng", ui.Ui.Window.Prompt.Answer);
        ui.Press(Key.Enter);
        Assert.True(saver.Called.Wait(TimeSpan.FromSeconds(10)));
        Assert.Equal([selected], saver.Ids);
        Assert.Equal($"inspector-session-{selected}.pcapng", saver.Path);
        // The answer comes back to the UI thread through Invoke, on the next loop iteration.
        for (int i = 0; i < 50 && !ui.Screen.Contains("saved it", StringComparison.Ordinal); i++)
        {
            Thread.Sleep(20);
            ui.Tick();
        }
        Assert.Contains("saved it", ui.Screen);

        saver.Reset();
        ui.Press('S');
        Assert.Equal("inspector-sessions.pcapng", ui.Ui.Window.Prompt.Answer);
        ui.Press(Key.Enter);
        Assert.True(saver.Called.Wait(TimeSpan.FromSeconds(10)));
        Assert.Equal([1L, 2L, 3L], saver.Ids);
    }

    [Fact(Timeout = 30_000)]
    public async Task Without_a_saver_s_says_so()
    {
        // Terminal.Gui wants one UI thread: everything after this first await stays on the thread it resumed on.
        await Task.Yield();
        var store = new SessionStore();
        Feed(store, 1, 1);
        using var ui = new Headless(new TuiSource { Title = "t", Store = store });
        ui.Press('s');
        Assert.False(ui.Ui.Window.Prompt.IsOpen);
        Assert.Contains("saving is not available", ui.Screen);
    }

    [Fact(Timeout = 30_000)]
    public async Task o_sorts_the_sessions_by_the_next_column_and_O_reverses()
    {
        // Terminal.Gui wants one UI thread: everything after this first await stays on the thread it resumed on.
        await Task.Yield();
        var store = new SessionStore();
        Feed(store, 1, 4);
        using var ui = new Headless(new TuiSource { Title = "t", Store = store });
        ui.Press('o'); // by start time
        ui.Press('o'); // by client
        ui.Press('O'); // reversed
        Assert.Contains("sorted by client (descending)", ui.Screen);
        Assert.Equal(4, ui.Ui.Sessions[0].Id);
        // The selection stays on the session it was on.
        long before = ui.Ui.CurrentSession!.Id;
        ui.Press('O');
        Assert.Equal(before, ui.Ui.CurrentSession!.Id);
        Assert.Equal(1, ui.Ui.Sessions[0].Id);
    }

    private static void OnWorker(Action work)
    {
        var worker = new Thread(() => work());
        worker.Start();
        worker.Join();
    }

    private sealed class RecordingSaver : ISessionSaver
    {
        public ManualResetEventSlim Called { get; } = new();

        public IReadOnlyList<long> Ids { get; private set; } = [];

        public string Path { get; private set; } = "";

        public void Reset() => Called.Reset();

        public string Save(IReadOnlyList<long> sessionIds, string path)
        {
            Ids = sessionIds.ToArray();
            Path = path;
            Called.Set();
            return "saved it";
        }
    }
}
