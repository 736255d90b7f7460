using System.Globalization;
using System.Text.Json;

namespace Inspector.Capture.Tests.Cli;

/// <summary>
/// For every capture, the FTP commands and reply codes and the TLS record types Inspector reports
/// for each session equal what tshark reports for the same connection. tshark stops reading FTP
/// once a connection switches to TLS (even where the server then answers in plaintext, which is the
/// point of Inspector), so FTP is compared up to the TLS switch; TLS record types are compared in
/// order, with repeats of one type folded (Inspector shows handshake messages, tshark records).
/// </summary>
public class TsharkCrossCheckTests
{
    public static TheoryData<string> Captures() => GoldenTests.Captures();

    [Theory]
    [MemberData(nameof(Captures))]
    public void Ftp_and_tls_match_tshark(string capture)
    {
        string path = CliRun.Capture(capture);
        CliRun run = CliRun.Of(["read", "--json", .. CaptureArgs.For(capture), path]);
        List<JsonElement> lines = run.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        int sessions = 0;
        foreach (JsonElement session in lines.Where(l => l.GetProperty("type").GetString() == "session"))
        {
            sessions++;
            long id = session.GetProperty("session").GetInt64();
            int clientPort = Port(session.GetProperty("client").GetString()!);
            int serverPort = Port(session.GetProperty("server").GetString()!);
            List<JsonElement> events = lines.Where(l => l.GetProperty("type").GetString() == "event" && l.GetProperty("session").GetInt64() == id).ToList();
            string connection = $"tcp.port=={clientPort} && tcp.port=={serverPort}";

            // FTP, up to the switch to TLS (a data connection carries none; tshark told "ftp" would misread its bytes).
            bool data = session.TryGetProperty("parent", out _);
            List<string> ours = [];
            foreach (JsonElement e in events)
            {
                string kind = e.GetProperty("kind").GetString()!;
                if (kind == "session.mode" && e.GetProperty("summary").GetString()!.Contains("TLS", StringComparison.Ordinal)) break;
                if (kind == "ftp.command" && e.TryGetProperty("verb", out JsonElement verb)) ours.Add("C " + verb.GetString());
                if (kind == "ftp.reply")
                {
                    ours.Add("S " + e.GetProperty("code").GetInt32().ToString(CultureInfo.InvariantCulture));
                }
            }
            List<string> theirs = [];
            foreach (string[] row in data ? [] : Tshark(path, $"-d tcp.port=={serverPort},ftp", $"{connection} && ftp", "tcp.srcport", "ftp.request.command", "ftp.response.code"))
            {
                string side = Port(row[0]) == clientPort ? "C " : "S ";
                foreach (string v in row[1..].SelectMany(f => f.Split('|', StringSplitOptions.RemoveEmptyEntries))) theirs.Add(side + v.ToUpperInvariant());
            }
            // tshark gives one reply code per packet (a multi-line reply split over packets shows its
            // code again); fold repeats on both sides.
            ours = FoldRepeats(ours);
            theirs = FoldRepeats(theirs);
            bool implicitTls = session.GetProperty("protocol").GetString() == "ftps-implicit";
            if (implicitTls) theirs.Clear(); // no plaintext FTP to compare
            int common = Math.Min(ours.Count, theirs.Count);
            Assert.True(ours.Count > 0 || theirs.Count == 0, $"{capture} session {id}: tshark saw FTP, Inspector none");
            Assert.True(common >= Math.Min(3, theirs.Count), $"{capture} session {id}: too little FTP in common");
            Assert.Equal(theirs.Take(common), ours.Take(common));

            // TLS record types per direction, in order, repeats folded.
            foreach (bool fromClient in new[] { true, false })
            {
                List<int> ourTypes = Fold(events.Where(e => e.TryGetProperty("dir", out JsonElement d) && d.GetString() == (fromClient ? "c2s" : "s2c"))
                    .Select(e => TypeOf(e.GetProperty("kind").GetString()!)).Where(t => t > 0));
                // tshark's TLS heuristics miss a connection whose only TLS is one alert: tell it (implicit FTPS, data connections).
                List<int> theirTypes = Fold(Tshark(path, implicitTls || data ? $"-d tcp.port=={serverPort},tls" : "", $"{connection} && tcp.srcport=={(fromClient ? clientPort : serverPort)} && tls", "tls.record.content_type", "tls.record.opaque_type")
                    .SelectMany(r => r.SelectMany(f => f.Split('|', StringSplitOptions.RemoveEmptyEntries)))
                    .Select(v => int.Parse(v, CultureInfo.InvariantCulture)));
                Assert.True(theirTypes.SequenceEqual(ourTypes),
                    $"{capture} session {id} {(fromClient ? "client" : "server")} TLS records: tshark [{string.Join(",", theirTypes)}], Inspector [{string.Join(",", ourTypes)}]");
            }
        }
        Assert.True(sessions > 0, $"{capture}: no session found");
    }

    private static int TypeOf(string kind) => kind switch
    {
        "tls.client_hello" or "tls.server_hello" or "tls.handshake" or "tls.certificate" => 22,
        "tls.change_cipher_spec" => 20,
        "tls.alert" => 21,
        "tls.application_data" => 23,
        _ => 0,
    };

    private static List<string> FoldRepeats(List<string> items) => items.Where((x, i) => i == 0 || items[i - 1] != x).ToList();

    private static List<int> Fold(IEnumerable<int> types)
    {
        var list = new List<int>();
        foreach (int t in types)
        {
            if (list.Count == 0 || list[^1] != t) list.Add(t);
        }
        return list;
    }

    private static int Port(string endpoint) => int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);

    private static List<string[]> Tshark(string capture, string decodeAs, string filter, params string[] fields)
    {
        List<string> args = ["-n", "-r", capture];
        if (decodeAs.Length > 0) args.AddRange(decodeAs.Split(' '));
        args.AddRange(["-Y", filter, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|"]);
        foreach (string f in fields) args.AddRange(["-e", f]);
        string output = Files.ReaderTestSupport.Run("tshark", [.. args]);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split('\t')).ToList();
    }
}
