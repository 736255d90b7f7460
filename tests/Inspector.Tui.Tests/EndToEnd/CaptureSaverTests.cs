using Inspector.Cli.Commands;
using Inspector.Tui.Tests.Kit;

namespace Inspector.Tui.Tests.EndToEnd;

/// <summary>What <c>s</c> writes for <c>inspector read</c>: the chosen sessions' packets, which tshark opens and inspector reads back the same.</summary>
public sealed class CaptureSaverTests : IDisposable
{
    private const string TwoSessions = "ftp-plain-pasv-port-curl-proftpd.pcap";
    private readonly string work = Directory.CreateTempSubdirectory("inspector-tui-save-").FullName;

    [Fact(Timeout = 60_000)]
    public async Task One_session_of_two_is_saved_alone_and_reads_back_the_same()
    {
        await Task.Yield();
        string capture = TestEnvironment.Capture(TwoSessions);
        SessionStore store = Stores.FromCapture(TwoSessions);
        // The two control sessions (each comes with its data connection).
        var sessions = store.AllSessions().Where(s => !s.IsData).ToList();
        Assert.Equal(2, sessions.Count);
        var saver = new CaptureSessionSaver(capture, store.AllSessions);

        string path = Path.Combine(work, "second.pcapng");
        string message = saver.Save([sessions[1].Id], path);
        Assert.StartsWith("saved ", message);

        var s = sessions[1];
        // The session's own connection and its data connection.
        string filter = string.Join(" || ", store.AllSessions().Where(x => x.Id == s.Id || x.Data?.ParentId == s.Id)
            .Select(x => $"(tcp.port == {x.Client.Port} && tcp.port == {x.Server.Port} && ip.addr == {x.Client.Address})"));
        Assert.Equal(Tools.TsharkPackets(capture, filter).Length, Tools.TsharkPackets(path).Length);

        (_, string original) = Tools.InspectorRead(capture, "--session", s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");
        (_, string copy) = Tools.InspectorRead(path, "--json");
        Assert.Equal(Events(original), Events(copy));
        Assert.Contains("\"sessions\":1,", copy);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_seed_session_saved_keeps_its_findings()
    {
        await Task.Yield();
        string capture = TestEnvironment.Capture(TestEnvironment.SeedCapture);
        SessionStore store = Stores.FromCapture(TestEnvironment.SeedCapture);
        string path = Path.Combine(work, "seed.pcapng");
        new CaptureSessionSaver(capture, store.AllSessions).Save([1], path);
        Assert.Equal(Tools.TsharkPackets(capture).Length, Tools.TsharkPackets(path).Length);
        (int code, string text) = Tools.InspectorRead(path);
        Assert.Equal(1, code);
        Assert.Contains("!! ERROR ftps.plaintext_after_auth [server]", text);
        Assert.Contains("!  WARNING tls.legacy_version_only [client]", text);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_unknown_session_writes_nothing()
    {
        await Task.Yield();
        SessionStore store = Stores.FromCapture(TestEnvironment.SeedCapture);
        string path = Path.Combine(work, "none.pcapng");
        string message = new CaptureSessionSaver(TestEnvironment.Capture(TestEnvironment.SeedCapture), store.AllSessions).Save([99], path);
        Assert.Contains("no such session", message);
        Assert.False(File.Exists(path));
    }

    /// <summary>The JSON lines of events and findings without the session number (it is 1 in the copy).</summary>
    private static string[] Events(string json) => json.Split('\n')
        .Where(l => l.Contains("\"type\":\"event\"", StringComparison.Ordinal) || l.Contains("\"type\":\"finding\"", StringComparison.Ordinal))
        .Select(l => System.Text.RegularExpressions.Regex.Replace(l, "\"session\":[0-9]+,", ""))
        .ToArray();

    public void Dispose() => Directory.Delete(work, recursive: true);
}
