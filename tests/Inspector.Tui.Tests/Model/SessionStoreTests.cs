using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Sessions;
using Inspector.Core.Timeline;
using Inspector.Tui.Model;
using Inspector.Tui.Tests.Kit;

namespace Inspector.Tui.Tests.Model;

public sealed class SessionStoreTests
{
    [Fact(Timeout = 60_000)]
    public async Task Many_writer_threads_and_a_reader_lose_nothing_and_keep_each_session_in_order()
    {
        const int Threads = 8, SessionsPerThread = 150, RowsPerSession = 40;
        var store = new SessionStore();
        var list = new SessionList(store);
        using var done = new CancellationTokenSource();

        // The UI side: refreshes and reads rows while the writers run, as the timer would.
        Task reader = Task.Run(() =>
        {
            long reads = 0;
            while (!done.IsCancellationRequested)
            {
                list.Refresh();
                for (int i = 0; i < list.Count; i += 7)
                {
                    SessionRecord s = list[i];
                    int n = s.RowCount;
                    if (n > 0) reads += s.Row(n - 1).Time.UnixNanoseconds > 0 ? 1 : 0;
                }
            }
            return reads;
        });

        Task[] writers = Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            for (int k = 0; k < SessionsPerThread; k++)
            {
                SessionInfo info = Stores.Session(t * SessionsPerThread + k + 1);
                store.SessionStarted(info);
                for (int r = 0; r < RowsPerSession; r++)
                {
                    store.Output(info, r % 10 == 9
                        ? Stores.Finding(r, "test.finding", Severity.Warning)
                        : Stores.Event(r, $"row {r}", Direction.ClientToServer, r * 10, "0123456789"));
                }
                store.SessionEnded(info, new SessionSummary("ftp", "plaintext", Stores.T(99), 10 * RowsPerSession, 0, 0, RowsPerSession / 10, 0));
            }
        })).ToArray();
        await Task.WhenAll(writers);
        done.Cancel();
        await reader;

        list.Refresh();
        Assert.Equal(Threads * SessionsPerThread, store.SessionCount);
        Assert.Equal(Threads * SessionsPerThread, list.Count);
        Assert.Equal(Threads * SessionsPerThread * RowsPerSession, store.RowsReceived);
        Assert.Equal(0, store.OpenSessions);
        for (int i = 0; i < list.Count; i++)
        {
            SessionRecord s = list[i];
            Assert.Equal(RowsPerSession, s.RowCount);
            Assert.Equal(RowsPerSession / 10, s.FindingCount);
            for (int r = 0; r < RowsPerSession; r++) Assert.Equal(Stores.T(r), s.Row(r).Time);
        }
        // However the threads raced to the store, the list is in session-number order.
        Assert.True(Enumerable.Range(1, list.Count - 1).All(i => list[i - 1].Id < list[i].Id));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_session_still_open_shows_what_it_has_shown_so_far()
    {
        await Task.Yield();
        var store = new SessionStore();
        SessionInfo info = Stores.Session(1);
        store.SessionStarted(info);
        var list = new SessionList(store);
        list.Refresh();
        SessionRecord s = list[0];
        Assert.True(s.IsOpen);
        Assert.Equal(1, store.OpenSessions);
        Assert.Equal("plaintext", s.State);

        store.Output(info, Stores.Event(1, "USER x", Direction.ClientToServer, 0, "USER x\r\n"));
        store.Output(info, new TimelineEvent(Stores.T(2), Direction.ServerToClient, 0, 200, Layer.Tls, EventKinds.TlsRecord, "record", null, default));
        Assert.Equal("tls", s.State);
        Assert.Equal(8, s.ClientBytes);
        Assert.Equal(200, s.ServerBytes);

        store.Output(info, Stores.Finding(3, "ftps.plaintext_after_auth", Severity.Error));
        Assert.Equal("failed", s.State);
        Assert.Equal(1, s.Errors);

        store.SessionEnded(info, new SessionSummary("ftps-explicit", "failed", Stores.T(4), 72, 121, 1, 1, 0));
        Assert.False(s.IsOpen);
        Assert.Equal(0, store.OpenSessions);
        Assert.Equal(121, s.ServerBytes); // the summary's count, once there is one
        Assert.Equal(1, s.Warnings);
        Assert.Equal("ftps-explicit", s.Protocol);
    }

    [Fact(Timeout = 10_000)]
    public async Task Output_before_the_start_still_finds_its_session()
    {
        await Task.Yield();
        var store = new SessionStore();
        store.Output(Stores.Session(7), Stores.Event(1, "x"));
        Assert.Equal(1, store.SessionCount);
        Assert.Equal(7, Assert.Single(store.AllSessions()).Id);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_paused_display_keeps_showing_what_it_had_while_the_store_keeps_everything()
    {
        await Task.Yield();
        var store = new SessionStore();
        SessionInfo a = Stores.Session(1), b = Stores.Session(2);
        store.Output(a, Stores.Event(1, "a1"));
        store.Output(b, Stores.Event(2, "b1"));
        var clock = new DisplayClock(store);
        var list = new SessionList(store);
        list.Refresh();
        SessionRecord ra = list[0];

        clock.Pause();
        store.Output(a, Stores.Event(3, "a2"));
        store.Output(b, Stores.Event(4, "b2"));
        store.Output(a, Stores.Event(5, "a3"));
        store.Output(Stores.Session(3), Stores.Event(6, "c1"));

        Assert.Equal(1, clock.VisibleRows(ra));
        Assert.Equal(3, ra.RowCount);
        Assert.Equal(4, clock.Waiting);
        Assert.Equal(2, list.Count); // nothing refreshed the list

        clock.Resume();
        list.Refresh();
        Assert.Equal(3, clock.VisibleRows(ra));
        Assert.Equal(3, list.Count);
    }

    [Fact(Timeout = 10_000)]
    public async Task Append_only_list_grows_past_its_first_arrays()
    {
        await Task.Yield();
        var list = new AppendOnlyList<int>();
        for (int i = 0; i < 10_000; i++) list.Add(i);
        Assert.Equal(10_000, list.Count);
        Assert.Equal(9_999, list[9_999]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[10_000]);
    }

    [Fact(Timeout = 10_000)]
    public async Task Outputs_that_are_not_events_or_findings_are_kept_as_rows()
    {
        await Task.Yield();
        var store = new SessionStore();
        var x = new ExpectedDataConnection(Stores.T(1), Side.Server, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 30000), "PASV", 'P');
        store.Output(Stores.Session(1), x);
        var list = new SessionList(store);
        list.Refresh();
        Assert.Same(x, list[0].Row(0));
        Assert.Equal(0, list[0].FindingCount);
    }
}
