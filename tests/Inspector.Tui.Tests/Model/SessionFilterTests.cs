using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Sessions;
using Inspector.Tui.Model;
using Inspector.Tui.Tests.Kit;

namespace Inspector.Tui.Tests.Model;

public sealed class SessionFilterTests
{
    /// <summary>Three sessions: an error on 10.0.0.1, a warning on 192.168.1.5, a clean one on 10.0.0.9.</summary>
    private static (SessionStore Store, SessionList List) Three()
    {
        var store = new SessionStore();
        SessionInfo a = Stores.Session(1, client: "10.0.0.1"), b = Stores.Session(2, client: "192.168.1.5"), c = Stores.Session(3, client: "10.0.0.9");
        store.Output(a, Stores.Event(1, "AUTH TLS"));
        store.Output(a, Stores.Finding(2, "ftps.plaintext_after_auth", Severity.Error));
        store.Output(b, Stores.Event(3, "220 Welcome to the archive"));
        store.Output(b, Stores.Finding(4, "tls.legacy_version_only", Severity.Warning));
        store.Output(c, Stores.Event(5, "QUIT"));
        var list = new SessionList(store);
        list.Refresh();
        return (store, list);
    }

    private static long[] Ids(SessionList list) => Enumerable.Range(0, list.Count).Select(i => list[i].Id).ToArray();

    [Theory(Timeout = 10_000)]
    [InlineData("error", new long[] { 1 })]
    [InlineData("warnings", new long[] { 1, 2 })]  // at least that severe
    [InlineData("sev:warning", new long[] { 1, 2 })]
    [InlineData("info", new long[] { 1, 2 })]
    [InlineData("10.0.0.9", new long[] { 3 })]
    [InlineData(":21", new long[] { 1, 2, 3 })]      // the server's address
    [InlineData("addr:192.168", new long[] { 2 })]
    [InlineData("legacy_version", new long[] { 2 })]
    [InlineData("finding:plaintext", new long[] { 1 })]
    [InlineData("finding:welcome", new long[] { })]   // a finding name, not row text
    [InlineData("\"to the archive\"", new long[] { 2 })]
    [InlineData("text:quit", new long[] { 3 })]
    [InlineData("10.0.0 error", new long[] { 1 })]   // words are ANDed
    [InlineData("failed", new long[] { 1 })]         // the state
    [InlineData("   ", new long[] { 1, 2, 3 })]
    public async Task Filters_select_sessions(string text, long[] expected)
    {
        await Task.Yield();
        (_, SessionList list) = Three();
        list.SetFilter(SessionFilter.Parse(text));
        Assert.Equal(expected, Ids(list));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_session_that_starts_matching_later_joins_the_list_on_the_next_refresh()
    {
        await Task.Yield();
        (SessionStore store, SessionList list) = Three();
        list.SetFilter(SessionFilter.Parse("reset"));
        Assert.Empty(Ids(list));
        store.Output(Stores.Session(3, client: "10.0.0.9"), Stores.Event(6, "server resets the connection (RST)"));
        Assert.True(list.Refresh());
        Assert.Equal([3L], Ids(list));
        // A new session that matches joins too; one that does not, does not.
        store.Output(Stores.Session(4), Stores.Event(7, "client resets"));
        store.Output(Stores.Session(5), Stores.Event(8, "nothing"));
        list.Refresh();
        Assert.Equal([3L, 4L], Ids(list));
    }

    [Fact(Timeout = 10_000)]
    public async Task Row_and_finding_matches_follow_the_words()
    {
        await Task.Yield();
        SessionFilter f = SessionFilter.Parse("sev:error finding:plaintext");
        Finding error = Stores.Finding(1, "ftps.plaintext_after_auth", Severity.Error);
        Finding warning = Stores.Finding(1, "ftps.plaintext_after_auth", Severity.Warning);
        Assert.True(f.RowMatches(error));
        Assert.False(f.RowMatches(warning));
        Assert.False(f.RowMatches(Stores.Event(1, "plaintext")));
        Assert.True(f.FindingMatches(error));
        Assert.False(f.FindingMatches(warning));
        Assert.True(SessionFilter.Parse("10.0.0.1").FindingMatches(warning)); // addresses do not narrow findings
        Assert.False(SessionFilter.Parse("addr:10.0.0.1").HasRowTerms);
    }

    [Fact(Timeout = 10_000)]
    public async Task Quotes_keep_spaces_and_empty_quotes_are_nothing()
    {
        await Task.Yield();
        Assert.Equal(["550 TLS", "x"], SessionFilter.Words("  \"550 TLS\"  x \"\" "));
    }

    [Fact(Timeout = 10_000)]
    public async Task Sorting_by_findings_puts_the_worst_first_and_ties_keep_session_order()
    {
        await Task.Yield();
        (_, SessionList list) = Three();
        list.SetOrder(new SessionOrder(SessionSortKey.Findings, Descending: true));
        Assert.Equal([1L, 2L, 3L], Ids(list));
        list.SetOrder(new SessionOrder(SessionSortKey.Client, Descending: false));
        Assert.Equal([1L, 3L, 2L], Ids(list)); // "10.0.0.1:..." < "10.0.0.9:..." < "192.168..."
        list.SetOrder(list.Order.Reversed());
        Assert.Equal([2L, 3L, 1L], Ids(list));
        Assert.Equal(SessionSortKey.Server, list.Order.Next().Key);
    }
}
