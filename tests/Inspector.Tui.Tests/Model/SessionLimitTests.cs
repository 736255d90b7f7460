using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Sessions;
using Inspector.Tui.Model;
using Inspector.Tui.Tests.Kit;

namespace Inspector.Tui.Tests.Model;

/// <summary>What the store keeps at its limits: which sessions go first, and that every count shown stays true.</summary>
public sealed class SessionLimitTests
{
    private static SessionStore Store(int maxSessions = 1000, int maxRows = 100_000, long maxBytes = 256L << 20) =>
        new(new SessionStoreLimits { MaxSessions = maxSessions, MaxRowsPerSession = maxRows, MaxTimelineBytes = maxBytes });

    private static SessionSummary Ended(int errors = 0) => new("ftp", "plaintext", Stores.T(99), 0, 0, errors, 0, 0);

    private static SessionInfo DataOf(long parent, long id) => Stores.Session(id, clientPort: 50000, serverPort: 30000) with { Data = new DataLink(parent, false, false) };

    private static long[] Kept(SessionStore store) => [.. store.AllSessions().Take(store.SessionCount).Select(s => s.Id).Order()];

    [Fact(Timeout = 10_000)]
    public async Task Ended_sessions_go_before_open_ones_and_take_their_data_connections_with_them()
    {
        await Task.Yield();
        SessionStore store = Store(maxSessions: 5);
        SessionInfo open1 = Stores.Session(1), control2 = Stores.Session(2), data3 = DataOf(2, 3), open4 = Stores.Session(4), ended5 = Stores.Session(5);
        foreach (SessionInfo s in new[] { open1, control2, data3, open4, ended5 }) store.SessionStarted(s);
        store.SessionEnded(data3, Ended());
        store.SessionEnded(control2, Ended());
        store.SessionEnded(ended5, Ended());

        // Over the limit by one: the oldest ended session is 2, and its data connection 3 goes with it.
        store.SessionStarted(Stores.Session(6));
        Assert.Equal([1L, 4, 5, 6], Kept(store));
        Assert.Equal(new StoreCounts(4, 2, 0, 0, 0, 0), store.Counts());

        // The open sessions stay while an ended one is left to drop.
        store.SessionStarted(Stores.Session(7));
        store.SessionStarted(Stores.Session(8));
        Assert.Equal([1L, 4, 6, 7, 8], Kept(store));
    }

    [Fact(Timeout = 10_000)]
    public async Task An_ended_data_connection_of_an_open_control_session_goes_alone()
    {
        await Task.Yield();
        SessionStore store = Store(maxSessions: 3);
        SessionInfo control = Stores.Session(1), data = DataOf(1, 2);
        store.SessionStarted(control);
        store.SessionStarted(data);
        store.SessionEnded(data, Ended());
        store.SessionStarted(Stores.Session(3));
        store.SessionStarted(Stores.Session(4));
        Assert.Equal([1L, 3, 4], Kept(store));
    }

    [Fact(Timeout = 10_000)]
    public async Task When_every_session_is_open_the_oldest_goes_and_its_later_findings_still_count()
    {
        await Task.Yield();
        SessionStore store = Store(maxSessions: 2);
        SessionInfo one = Stores.Session(1), two = Stores.Session(2), three = Stores.Session(3);
        store.Output(one, Stores.Finding(1, "a.error", Severity.Error));
        store.SessionStarted(two);
        store.SessionStarted(three);
        Assert.Equal([2L, 3], Kept(store));

        // Session 1 is still on the wire: what it says later is counted, never shown again.
        store.Output(one, Stores.Finding(2, "a.warning", Severity.Warning));
        store.Output(one, Stores.Event(3, "QUIT"));
        Assert.Equal([2L, 3], Kept(store));
        Assert.Equal(new StoreCounts(2, 1, 1, 1, 1, 0), store.Counts());
        Assert.Equal(3, store.OpenSessions); // open on the wire, kept or not (the quit question)
        store.SessionEnded(one, Ended(errors: 1));
        Assert.Equal(2, store.OpenSessions);
        Assert.Equal([2L, 3], Kept(store));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_session_keeps_its_first_rows_and_every_later_finding_past_its_row_limit()
    {
        await Task.Yield();
        SessionStore store = Store(maxRows: 10);
        SessionInfo info = Stores.Session(1);
        for (int i = 0; i < 100; i++)
        {
            store.Output(info, i % 20 == 19 ? Stores.Finding(i, "x.warning", Severity.Warning) : Stores.Event(i, $"row {i}", Direction.ClientToServer, i * 4, "abcd"));
        }
        var list = new SessionList(store);
        list.Refresh();
        SessionRecord s = list[0];
        // Rows 0-9 (row 19 is the first finding, so it comes after them), then the four later findings.
        Assert.Equal(10 + 5, s.RowCount);
        Assert.Equal(5, s.FindingCount);
        Assert.Equal(100 - 5 - 10, s.RowsNotKept);
        Assert.Equal("row 9", ((Core.Timeline.TimelineEvent)s.Row(9)).Summary);
        Assert.All(Enumerable.Range(10, 5), r => Assert.IsType<Finding>(s.Row(r)));
        // Counts include the rows not kept.
        Assert.Equal(5, s.Warnings);
        Assert.Equal(98 * 4 + 4, s.ClientBytes); // row 98 is the last event
        Assert.Contains("85 later rows were not kept", DetailBuilder.ForSession(s).Text);
    }

    [Fact(Timeout = 10_000)]
    public async Task The_memory_limit_drops_old_sessions_first_and_then_stops_a_lone_session_growing()
    {
        await Task.Yield();
        long row = SessionStoreLimits.RowCost(Stores.Event(1, "r", Direction.ClientToServer, 0, "abcd"));
        SessionStore store = Store(maxBytes: 10 * row);
        for (int id = 1; id <= 3; id++)
        {
            SessionInfo info = Stores.Session(id);
            for (int i = 0; i < 4; i++) store.Output(info, Stores.Event(i, "r", Direction.ClientToServer, i * 4, "abcd"));
            store.SessionEnded(info, Ended());
        }
        // Twelve rows do not fit in ten: session 1 went.
        Assert.Equal([2L, 3], Kept(store));
        Assert.Equal(8 * row, store.TimelineBytes);

        // A session still open that outgrows the limit alone drops the others, then stops keeping events.
        SessionInfo big = Stores.Session(4);
        for (int i = 0; i < 50; i++) store.Output(big, Stores.Event(i, "r", Direction.ClientToServer, i * 4, "abcd"));
        store.Output(big, Stores.Finding(60, "late.error", Severity.Error));
        var list = new SessionList(store);
        list.Refresh();
        Assert.Equal([4L], Kept(store));
        SessionRecord s = list[0];
        Assert.Equal(10 + 1, s.RowCount); // the finding is kept past the limit
        Assert.Equal(40, s.RowsNotKept);
        Assert.Equal(new StoreCounts(1, 3, 0, 1, 0, 0), store.Counts());
    }

    [Fact(Timeout = 120_000)]
    public async Task Writers_far_past_the_limits_and_a_reader_never_clash_and_what_is_kept_stays_bounded()
    {
        const int Threads = 4, SessionsPerThread = 2_000, RowsPerSession = 30, MaxSessions = 500, MaxRows = 20;
        long rowCost = SessionStoreLimits.RowCost(Stores.Event(1, "row 10", Direction.ClientToServer, 0, "0123456789"));
        long maxBytes = 20_000 * rowCost; // room for the kept sessions: here the session limit is the one reached
        SessionStore store = Store(MaxSessions, MaxRows, maxBytes);
        var list = new SessionList(store);
        var seen = new List<WeakReference<SessionRecord>>();
        using var done = new CancellationTokenSource();

        // The UI side: refreshes, reads rows and findings and the counts while the writers run.
        Task<long> reader = Task.Run(() =>
        {
            long reads = 0;
            var known = new HashSet<long>();
            while (!done.IsCancellationRequested)
            {
                list.Refresh();
                Assert.True(list.Kept <= MaxSessions, $"{list.Kept} sessions kept");
                for (int i = 0; i < list.Count; i++)
                {
                    SessionRecord s = list[i];
                    if (known.Add(s.Sequence)) seen.Add(new WeakReference<SessionRecord>(s));
                    int n = s.RowCount;
                    Assert.True(n <= MaxRows + s.FindingCount, $"{n} rows kept");
                    if (n > 0) reads += s.Row(n - 1).Time.UnixNanoseconds > 0 ? 1 : 0;
                    for (int f = 0; f < s.FindingCount; f++) Assert.IsType<Finding>(s.Row(s.FindingRow(f)));
                }
                StoreCounts counts = store.Counts();
                Assert.True(counts.Kept <= MaxSessions);
            }
            return reads;
        });

        // Each thread keeps one control session open throughout; every third session is one of its data connections.
        Task[] writers = Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            long first = t * SessionsPerThread + 1;
            SessionInfo control = Stores.Session(first);
            store.SessionStarted(control);
            for (int k = 1; k < SessionsPerThread; k++)
            {
                long id = first + k;
                SessionInfo info = k % 3 == 0 ? DataOf(first, id) : Stores.Session(id);
                store.SessionStarted(info);
                for (int r = 0; r < RowsPerSession; r++)
                {
                    store.Output(info, r % 10 == 9
                        ? Stores.Finding(r, "test.finding", Severity.Warning)
                        : Stores.Event(r, $"row {r}", Direction.ClientToServer, r * 10, "0123456789"));
                }
                store.SessionEnded(info, new SessionSummary("ftp", "plaintext", Stores.T(99), 10 * RowsPerSession, 0, 0, RowsPerSession / 10, 0));
            }
            store.Output(control, Stores.Finding(100, "test.finding", Severity.Warning));
        })).ToArray();
        await Task.WhenAll(writers);
        done.Cancel();
        Assert.True(await reader > 0);

        list.Refresh();
        StoreCounts final = store.Counts();
        Assert.Equal(Threads * SessionsPerThread, final.Seen);
        Assert.Equal(MaxSessions, final.Kept);
        Assert.Equal(0, final.DroppedWhileOpen);
        // Every finding is counted, the dropped sessions' included.
        Assert.Equal(Threads * ((SessionsPerThread - 1) * (RowsPerSession / 10) + 1), final.Warnings);
        Assert.Equal(Threads * ((SessionsPerThread - 1) * RowsPerSession + 1), store.RowsReceived);
        Assert.True(store.TimelineBytes <= maxBytes);
        // The long-lived control sessions are open, so they are still there, however many ended ones went.
        long[] kept = Kept(store);
        Assert.All(Enumerable.Range(0, Threads), t => Assert.Contains(t * SessionsPerThread + 1L, kept));
        Assert.Equal(Threads, store.OpenSessions);

        // Nothing holds on to the dropped records: only what is kept is still in memory.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        int alive = seen.Count(w => w.TryGetTarget(out _));
        Assert.True(alive <= MaxSessions, $"{alive} of {seen.Count} records seen are still in memory");
        GC.KeepAlive(list);
    }

    [Fact(Timeout = 10_000)]
    public async Task The_status_text_says_how_many_were_dropped_and_at_which_limit()
    {
        await Task.Yield();
        var limits = new SessionStoreLimits { MaxSessions = 10_000 };
        Assert.Equal("12,345 older session(s) dropped (limit 10,000 sessions, 256 MB of rows)", InspectorUi.DroppedText(new StoreCounts(10_000, 12_345, 0, 0, 0, 0), limits));
        Assert.Equal("3 older session(s) dropped, 2 of them open (limit 10,000 sessions, 256 MB of rows)", InspectorUi.DroppedText(new StoreCounts(10_000, 3, 2, 0, 0, 0), limits));
    }

    [Fact(Timeout = 10_000)]
    public async Task Savers_still_see_the_latest_dropped_sessions_so_reused_ports_do_not_mix()
    {
        await Task.Yield();
        SessionStore store = Store(maxSessions: 2);
        for (int id = 1; id <= 5; id++)
        {
            store.SessionStarted(Stores.Session(id));
            store.SessionEnded(Stores.Session(id), Ended());
        }
        Assert.Equal([4L, 5], Kept(store));
        // Kept first, then as many dropped ones as the session limit (so this stays bounded too).
        Assert.Equal([4L, 5, 2, 3], store.AllSessions().Select(s => s.Id));
        Assert.Equal([4L], store.StillKept([1, 4]));
    }

    [Fact(Timeout = 10_000)]
    public async Task Limits_that_could_never_be_met_are_refused()
    {
        await Task.Yield();
        Assert.Throws<ArgumentOutOfRangeException>(() => new SessionStore(new SessionStoreLimits { MaxSessions = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SessionStore(new SessionStoreLimits { MaxRowsPerSession = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SessionStore(new SessionStoreLimits { MaxTimelineBytes = 1 }));
    }
}
