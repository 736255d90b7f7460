using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Tui.Model;
using Inspector.Tui.Tests.Kit;

namespace Inspector.Tui.Tests.Model;

public sealed class FindingNavigatorTests
{
    /// <summary>Session 1: findings at rows 1 (warning) and 3 (error); session 2: none; session 3: an error at row 2.</summary>
    private static SessionList Build(SessionStore store)
    {
        var a = Stores.Session(1); var b = Stores.Session(2); var c = Stores.Session(3);
        store.Output(a, Stores.Event(0, "a0"));
        store.Output(a, Stores.Finding(1, "w", Severity.Warning));
        store.Output(a, Stores.Event(2, "a2"));
        store.Output(a, Stores.Finding(3, "e", Severity.Error));
        store.Output(b, Stores.Event(4, "b0"));
        store.Output(c, Stores.Event(5, "c0"));
        store.Output(c, Stores.Event(6, "c1"));
        store.Output(c, Stores.Finding(7, "e3", Severity.Error));
        var list = new SessionList(store);
        list.Refresh();
        return list;
    }

    private static RowPosition? Go(SessionList list, int session, int row, bool forward, out bool wrapped, Func<Finding, bool>? accept = null, Func<SessionRecord, int>? visible = null) =>
        FindingNavigator.Find(list, new RowPosition(session, row), forward, visible ?? (s => s.RowCount), accept ?? (_ => true), out wrapped);

    [Fact(Timeout = 10_000)]
    public async Task Forward_goes_through_the_session_then_the_next_sessions_then_wraps()
    {
        await Task.Yield();
        SessionList list = Build(new SessionStore());
        Assert.Equal(new RowPosition(0, 1), Go(list, 0, -1, true, out bool w1));
        Assert.False(w1);
        Assert.Equal(new RowPosition(0, 3), Go(list, 0, 1, true, out _));
        Assert.Equal(new RowPosition(2, 2), Go(list, 0, 3, true, out bool w2)); // skips session 2, which has none
        Assert.False(w2);
        Assert.Equal(new RowPosition(0, 1), Go(list, 2, 2, true, out bool w3));
        Assert.True(w3);
    }

    [Fact(Timeout = 10_000)]
    public async Task Backward_mirrors_forward()
    {
        await Task.Yield();
        SessionList list = Build(new SessionStore());
        Assert.Equal(new RowPosition(0, 1), Go(list, 0, 3, false, out _));
        Assert.Equal(new RowPosition(2, 2), Go(list, 0, 1, false, out bool wrapped));
        Assert.True(wrapped);
        Assert.Equal(new RowPosition(0, 3), Go(list, 2, 0, false, out _));
    }

    [Fact(Timeout = 10_000)]
    public async Task Only_accepted_and_visible_findings_count()
    {
        await Task.Yield();
        SessionList list = Build(new SessionStore());
        Assert.Equal(new RowPosition(0, 3), Go(list, 0, -1, true, out _, accept: f => f.Severity == Severity.Error));
        // Paused with session 1 showing 2 rows: its error at row 3 is not there yet.
        Assert.Equal(new RowPosition(2, 2), Go(list, 0, 1, true, out _, visible: s => s.Id == 1 ? 2 : s.RowCount));
        Assert.Null(Go(list, 0, 0, true, out _, accept: _ => false));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_single_finding_is_found_again_after_wrapping()
    {
        await Task.Yield();
        var store = new SessionStore();
        store.Output(Stores.Session(1), Stores.Event(0, "x"));
        store.Output(Stores.Session(1), Stores.Finding(1, "only", Severity.Info, Direction.ClientToServer));
        var list = new SessionList(store);
        list.Refresh();
        Assert.Equal(new RowPosition(0, 1), Go(list, 0, 1, true, out bool wrapped));
        Assert.True(wrapped);
        Assert.Equal(new RowPosition(0, 1), Go(list, 0, 1, false, out _));
    }
}
