using System.Globalization;
using Inspector.Core.Tests.Kit;
using Inspector.Core.Timeline;
using Xunit.Abstractions;

namespace Inspector.Core.Tests.Tls;

/// <summary>
/// ClientHellos recorded from real clients on this machine (curl, openssl s_client, lftp with
/// GnuTLS, python ftplib, and the z/OS seed) decode to what tshark shows for them.
/// </summary>
public class RealClientHelloTests(ITestOutputHelper output)
{
    public static TheoryData<string> Captures => new()
    {
        "ftps-curl-proftpd.pcap",
        "ftps-openssl-sclient-proftpd.pcap",
        "ftps-lftp-vsftpd.pcap",
        "ftps-python-pyftpdlib.pcap",
        "ftps-implicit-curl-proftpd.pcap",
        "ftps-ccc-python-proftpd.pcap",
        "seed-proftpd-1.3.7f-openssl-1.0.2n.pcap",
        "seed-vsftpd-3.0.3-openssl3.pcap",
    };

    [Theory]
    [MemberData(nameof(Captures))]
    public void Versions_suites_extensions_and_ja3_match_tshark(string capture)
    {
        string path = PcapConnections.CapturePath(capture);
        List<string[]> reference = Tshark.Fields(path, "tls.handshake.type == 1",
            "tcp.srcport", "tls.handshake.version", "tls.handshake.extensions.supported_version",
            "tls.handshake.ciphersuite", "tls.handshake.extension.type", "tls.handshake.ja3_full");
        Assert.NotEmpty(reference);

        int compared = 0;
        foreach (PcapConnections.Connection conn in PcapConnections.Read(path))
        {
            AnalyzerRun run = AnalyzerRun.Of(conn.Info, conn.Events);
            foreach (TimelineEvent hello in run.Events.Where(e => e.Kind == EventKinds.TlsClientHello))
            {
                string[] row = Assert.Single(reference, r => r[0] == conn.Info.Client.Port.ToString(CultureInfo.InvariantCulture));
                DetailNode d = hello.Detail!;
                Assert.Equal(Hex(row[1]), Code(d.Get("legacy_version")));
                Assert.Equal(HexList(row[2]), Codes(d.Child("supported_versions")));
                Assert.Equal(HexList(row[3]), d.Child("cipher_suite_codes")!.Children.Select(c => Hex((string)c.Value!)).ToList());
                Assert.Equal(row[4].Length == 0 ? [] : row[4].Split(',').Select(long.Parse).ToList(), d.Child("extension_types")!.Children.Select(c => (long)c.Value!).ToList());
                Assert.Equal(row[5], d.Get("ja3"));
                output.WriteLine($"{capture} :{conn.Info.Client.Port} {hello.Summary} JA3 {d.Get("ja3_hash")} JA4 {d.Get("ja4")}");
                compared++;
            }
        }
        Assert.Equal(reference.Count, compared);
    }

    private static int Hex(string s) => int.Parse(s.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static List<int> HexList(string s) => s.Length == 0 ? [] : s.Split(',').Select(Hex).ToList();

    /// <summary>Reads "name (0x0303)" values back into numbers.</summary>
    private static int Code(object? text)
    {
        string s = (string)text!;
        int open = s.LastIndexOf('(');
        string inner = s[(open + 1)..s.IndexOf(')', open)];
        return inner.StartsWith("0x", StringComparison.Ordinal) ? Hex(inner) : int.Parse(inner, CultureInfo.InvariantCulture);
    }

    private static List<int> Codes(DetailNode? list) => list is null ? [] : list.Children.Select(c => Code(c.Value)).ToList();
}
