using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Inspector.Capture.Tests.Cli;
using Inspector.Core.Findings;
using Inspector.Testing;

namespace Inspector.Capture.Tests.Live;

/// <summary>
/// <c>inspector live</c> on the loopback interface against real servers and clients, checked
/// against <c>inspector read</c> of tcpdump's capture of the same traffic. Needs root (CI is).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Collection(nameof(LiveCapture))]
public class LiveCommandTests
{
    [Fact(Timeout = 180_000)]
    public async Task Curl_sessions_live_on_lo_give_what_read_gives_on_tcpdumps_capture()
    {
        using RealServer server = RealServer.Proftpd();
        File.WriteAllText(Path.Combine(server.Root, "hello.txt"), "hello, live capture\n");
        string port = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string tcpdumpFile = Path.Combine(server.Directory, "tcpdump.pcap");
        string kept = Path.Combine(server.Directory, "kept.pcapng");

        // Both captures take the server's passive ports from the start: live would otherwise add a
        // data port when it is announced, racing the data connection's SYN, which tcpdump's fixed
        // filter never sees.
        (int low, int high) = server.PassivePorts!.Value;
        string passive = $"{low}-{high}";
        using var live = InspectorProcess.Start("capturing on", ["live", "-i", "lo", "--port", port, "--data-ports", passive, "--json", "--write", kept]);
        await live.WaitReadyAsync();
        using var tcpdump = Tcpdump(tcpdumpFile, $"tcp port {port} or tcp portrange {passive}");
        await WaitForTcpdumpAsync(tcpdump);

        string url = $"ftp://127.0.0.1:{port}/hello.txt";
        string login = $"{RealServer.User}:{RealServer.Password}";
        Assert.Equal("hello, live capture\n", RealServer.Run("curl", "-sS", "-u", login, url));
        Assert.Equal("hello, live capture\n", RealServer.Run("curl", "-sS", "--ssl-reqd", "-k", "-u", login, url));
        await Task.Delay(1000); // the last packets reach both captures

        int code = await live.StopAsync();
        StopTcpdump(tcpdump);
        Assert.True(code == 0, $"exit {code}: {live.Stderr}");

        List<JsonElement> liveLines = JsonLines(live.Stdout);
        CliRun read = CliRun.Of("read", tcpdumpFile, "--port", port, "--json");
        List<JsonElement> readLines = JsonLines(read.Stdout);

        Dictionary<string, List<string>> liveSessions = PerSession(liveLines), readSessions = PerSession(readLines);
        // Two control sessions and their two data connections.
        Assert.True(4 == liveSessions.Count, $"live: {live.Stdout}\nread: {read.Stdout}");
        Assert.True(readSessions.Keys.Order().SequenceEqual(liveSessions.Keys.Order()), $"read: {string.Join("\n", readLines.Where(l => Type(l) != "event"))}");
        foreach ((string client, List<string> rows) in readSessions) Assert.Equal(rows, liveSessions[client]);
        Assert.Contains(liveLines, l => Type(l) == "session_end" && l.GetProperty("protocol").GetString() == "ftp");
        Assert.Contains(liveLines, l => Type(l) == "session_end" && l.GetProperty("protocol").GetString() == "ftps-explicit");
        JsonElement summary = Assert.Single(liveLines, l => Type(l) == "summary");
        Assert.Equal(0, summary.GetProperty("libpcap_dropped").GetInt64());

        // --write kept the packets: read gives the same sessions again.
        CliRun again = CliRun.Of("read", kept, "--port", port, "--json");
        Assert.Equal(readSessions, PerSession(JsonLines(again.Stdout)));
    }

    [Fact(Timeout = 180_000)]
    public async Task Seed_case_live_on_lo_names_the_plaintext_reply_after_auth()
    {
        using RealServer server = RealServer.Proftpd();
        string port = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var live = InspectorProcess.Start("capturing on", ["live", "-i", "lo", "--port", port, "--json"]);
        await live.WaitReadyAsync();

        await SeedCase.RunClientAsync(server.Endpoint);
        await Task.Delay(1000);
        int code = await live.StopAsync();

        List<JsonElement> lines = JsonLines(live.Stdout);
        Assert.Equal(1, code); // error findings
        Assert.Contains(lines, l => Type(l) == "finding" && l.GetProperty("name").GetString() == FindingCatalog.PlaintextAfterAuth
            && l.GetProperty("side").GetString() == "server");
        Assert.Contains(lines, l => Type(l) == "finding" && l.GetProperty("name").GetString() == FindingCatalog.TlsLegacyVersionOnly
            && l.GetProperty("side").GetString() == "client");
    }

    [Fact(Timeout = 180_000)]
    public async Task An_idle_connection_is_ended_while_the_capture_goes_on()
    {
        using RealServer server = RealServer.Proftpd();
        string port = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var live = InspectorProcess.Start("capturing on", ["live", "-i", "lo", "--port", port, "--json", "--idle-timeout", "1"]);
        await live.WaitReadyAsync();

        using var c = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await c.ConnectAsync(server.Endpoint);
        await ReplyReader.ReadReplyAsync(c);
        // Silent for longer than the idle timeout: the session ends while the connection is still open.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!live.Stdout.Contains("\"type\":\"session_end\"", StringComparison.Ordinal) && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.True(c.Connected);
        Assert.Contains("connection idle: analysis stopped waiting", live.Stdout);
        await live.StopAsync();
        Assert.Single(JsonLines(live.Stdout), l => Type(l) == "session_end");
    }

    private static List<JsonElement> JsonLines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    private static string? Type(JsonElement e) => e.GetProperty("type").GetString();

    /// <summary>Each session's events and findings (kind, direction, offset, summary), keyed by its client address.</summary>
    private static Dictionary<string, List<string>> PerSession(List<JsonElement> lines)
    {
        var clients = lines.Where(l => Type(l) == "session").ToDictionary(l => l.GetProperty("session").GetInt64(), l => l.GetProperty("client").GetString()!);
        var result = clients.Values.ToDictionary(c => c, _ => new List<string>());
        foreach (JsonElement l in lines)
        {
            string? type = Type(l);
            if (type is not ("event" or "finding" or "expect_data")) continue;
            string client = clients[l.GetProperty("session").GetInt64()];
            string what = type == "finding" ? l.GetProperty("name").GetString()! : type == "event" ? l.GetProperty("kind").GetString()! : "expect_data";
            string summary = l.TryGetProperty("summary", out JsonElement s) ? s.GetString() ?? "" : "";
            result[client].Add($"{type} {what} {summary}");
        }
        return result;
    }

    private static Process Tcpdump(string file, string filter)
    {
        var psi = new ProcessStartInfo("tcpdump") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "-i", "lo", "-U", "-s", "0", "-w", file, filter }) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    private static async Task WaitForTcpdumpAsync(Process tcpdump)
    {
        // tcpdump says "listening on lo" on stderr once the capture is open.
        string? line = await tcpdump.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(line is not null && line.Contains("listening on", StringComparison.Ordinal), $"tcpdump did not start: {line}");
    }

    private static void StopTcpdump(Process tcpdump)
    {
        Process.Start("kill", ["-INT", tcpdump.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        tcpdump.WaitForExit(20_000);
    }
}

/// <summary>Live capture tests run one at a time: each counts the packets it sees on lo.</summary>
[CollectionDefinition(nameof(LiveCapture), DisableParallelization = true)]
public sealed class LiveCapture;
