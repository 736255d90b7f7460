using Inspector.Tui.Model;
using Inspector.Tui.Tests.Kit;
using Inspector.Tui.Views;

namespace Inspector.Tui.Tests.Model;

/// <summary>Data connections in the session list: under their control session, named as such.</summary>
public sealed class DataConnectionRowsTests
{
    [Fact(Timeout = 30_000)]
    public async Task Each_data_connection_follows_its_control_session_and_says_what_it_carried()
    {
        await Task.Yield();
        // Two control sessions, each with one data connection (session 1 passive LIST, session 3 active RETR).
        SessionStore store = Stores.FromCapture("ftp-plain-pasv-port-curl-proftpd.pcap");
        var list = new SessionList(store);
        list.Refresh();
        long[] ids = [.. Enumerable.Range(0, list.Count).Select(i => list[i].Id)];
        Assert.Equal(4, ids.Length);
        for (int i = 0; i < ids.Length; i++)
        {
            SessionRecord s = list[i];
            if (s.Info.Data is { } link) Assert.Equal(link.ParentId, i > 0 && list[i - 1].Info.Data is null ? list[i - 1].Id : -1);
        }

        var table = new SessionsTableSource(list);
        string[] connections = [.. Enumerable.Range(0, list.Count).Select(i => (string)table[i, SessionsTableSource.ConnectionColumn])];
        Assert.Contains(connections, c => c.StartsWith("└ data of 1 LIST", StringComparison.Ordinal));
        Assert.Contains(connections, c => c.StartsWith("└ data of 3 RETR (active)", StringComparison.Ordinal));
    }

    [Fact(Timeout = 10_000)]
    public async Task Interleaved_sessions_still_list_each_data_connection_under_its_own_control_session()
    {
        await Task.Yield();
        var store = new SessionStore();
        // Two control sessions open at once; their data connections get later numbers.
        Core.Sessions.SessionInfo one = Stores.Session(1), two = Stores.Session(2, clientPort: 40002);
        Core.Sessions.SessionInfo dataOfOne = Stores.Session(3, clientPort: 50000, serverPort: 40100) with { Data = new Core.Sessions.DataLink(1, false, false) };
        Core.Sessions.SessionInfo dataOfTwo = Stores.Session(4, clientPort: 50001, serverPort: 40101) with { Data = new Core.Sessions.DataLink(2, true, true) };
        foreach (Core.Sessions.SessionInfo s in new[] { one, two, dataOfOne, dataOfTwo }) store.SessionStarted(s);
        var list = new SessionList(store);
        list.Refresh();

        Assert.Equal([1L, 3L, 2L, 4L], Enumerable.Range(0, list.Count).Select(i => list[i].Id).ToArray());
        var table = new SessionsTableSource(list);
        Assert.StartsWith("└ data of 2 (active) (inferred): ", (string)table[3, SessionsTableSource.ConnectionColumn]);
    }
}
