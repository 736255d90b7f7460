using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Output;
using Inspector.Core.Tests.Kit;
using Inspector.Core.Timeline;

namespace Inspector.Core.Tests.Events;

/// <summary>
/// The commands that print (text, JSON) run the analysis with no bytes kept on timeline events
/// (MaxEventBytes 0), since only the terminal UI shows them: everything else must come out the
/// same, findings' evidence included.
/// </summary>
public class EventBytesTests
{
    [Theory]
    [InlineData("seed-proftpd-1.3.7f-openssl-1.0.2n.pcap", 2128, true)]
    [InlineData("ftps-lftp-vsftpd.pcap", 2136, false)]
    [InlineData("ftps-cert-rejected-curl-proftpd.pcap", 0, true)]
    [InlineData("ftps-ccc-python-proftpd.pcap", 2132, true)]
    [InlineData("ftp-plain-curl-proftpd.pcap", 2130, false)]
    public void Without_event_bytes_the_events_and_findings_are_otherwise_the_same(string capture, int port, bool findingsWithEvidence)
    {
        PcapConnections.Connection conn = port == 0
            ? PcapConnections.Read(PcapConnections.CapturePath(capture))[0]
            : PcapConnections.Control(capture, port);
        AnalyzerRun kept = AnalyzerRun.Of(conn.Info, conn.Events);
        AnalyzerRun none = AnalyzerRun.Consistent(conn.Info, conn.Events, AnalyzerOptions.Default with { MaxEventBytes = 0 });

        // Findings, evidence bytes and all, are identical.
        var withBytes = new JsonLinesFormatter(includeBytes: true);
        Assert.Equal(kept.Findings.Select(f => withBytes.Format(1, f)), none.Findings.Select(f => withBytes.Format(1, f)));
        Assert.Equal(findingsWithEvidence, kept.Findings.Any(f => !f.Evidence.IsEmpty));
        // Events are the same but for their bytes, which are gone.
        var withoutBytes = new JsonLinesFormatter(includeBytes: false);
        Assert.Equal(kept.Outputs.Select(o => withoutBytes.Format(1, o)), none.Outputs.Select(o => withoutBytes.Format(1, o)));
        Assert.Contains(kept.Events, e => !e.Bytes.IsEmpty);
        Assert.All(none.Events, e => Assert.True(e.Bytes.IsEmpty, $"{e.Kind} kept {e.Bytes.Length} bytes"));
    }

    [Fact]
    public void The_seed_case_evidence_is_the_servers_plaintext_reply_without_event_bytes()
    {
        PcapConnections.Connection conn = PcapConnections.Control("seed-proftpd-1.3.7f-openssl-1.0.2n.pcap", 2128);
        AnalyzerRun none = AnalyzerRun.Of(conn.Info, conn.Events, options: AnalyzerOptions.Default with { MaxEventBytes = 0 });
        Finding plaintext = Assert.Single(none.Findings, f => f.Severity == Severity.Error);
        Assert.StartsWith("550 TLS handshake failed", System.Text.Encoding.ASCII.GetString(plaintext.Evidence.Span));
    }
}
