using System.Text.Json;

namespace Inspector.Capture.Tests.Cli;

/// <summary>Real captures edited the way real captures come out: started late, or cut by a small snap length.</summary>
public class CaptureEdgeTests
{
    private static string Editcap(string capture, string[] options, params string[] ranges)
    {
        string output = Path.Combine(Path.GetTempPath(), $"inspector-edit-{Guid.NewGuid():N}.pcap");
        Files.ReaderTestSupport.Run("editcap", [.. options, CliRun.Capture(capture), output, .. ranges]);
        return output;
    }

    private static List<JsonElement> Json(CliRun run) => run.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();

    private static IEnumerable<string> FindingNames(List<JsonElement> lines) =>
        lines.Where(e => e.GetProperty("type").GetString() == "finding").Select(e => e.GetProperty("name").GetString()!);

    [Fact]
    public void Capture_started_mid_session_is_decoded_from_the_first_line()
    {
        // Drop the handshake, the greeting and the login: the capture starts at PWD.
        string path = Editcap("ftp-plain-curl-proftpd.pcap", ["-r"], "10-1000");
        List<JsonElement> lines = Json(CliRun.Of("read", "--json", path));

        Assert.Contains("tcp.midstream", FindingNames(lines));
        // The control session (its data connections end first and come first).
        JsonElement session = lines.First(e => e.GetProperty("type").GetString() == "session" && !e.TryGetProperty("parent", out _));
        Assert.True(session.GetProperty("midstream").GetBoolean());
        Assert.EndsWith(":2130", session.GetProperty("server").GetString());
        Assert.Contains(lines, e => e.GetProperty("type").GetString() == "event" && e.GetProperty("kind").GetString() == "ftp.command" && e.GetProperty("summary").GetString() == "QUIT");
        Assert.DoesNotContain("ftp.malformed_reply", FindingNames(lines));
    }

    [Fact]
    public void Snap_length_cuts_are_reported_as_such_not_as_gaps_or_malformed_records()
    {
        string path = Editcap("seed-proftpd-1.3.8-openssl3.pcap", ["-s", "96"]);
        List<JsonElement> lines = Json(CliRun.Of("read", "--json", path));
        List<string> names = FindingNames(lines).ToList();

        Assert.Single(names, n => n == "tcp.snaplen_truncated");
        Assert.DoesNotContain("tcp.gap", names);
        Assert.DoesNotContain("tls.malformed_record", names);
        Assert.DoesNotContain("tls.malformed_handshake", names);
        Assert.Contains("tls.alert", names);
    }
}
