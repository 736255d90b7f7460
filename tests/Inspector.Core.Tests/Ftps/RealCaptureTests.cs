using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Tests.Kit;
using Inspector.Core.Timeline;

namespace Inspector.Core.Tests.Ftps;

/// <summary>Real sessions recorded with tcpdump (see captures/README.md), decoded whole and cut every way.</summary>
public class RealCaptureTests
{
    private static AnalyzerRun Control(string capture, int port)
    {
        PcapConnections.Connection conn = PcapConnections.Control(capture, port);
        return AnalyzerRun.Consistent(conn.Info, conn.Events);
    }

    [Theory]
    [InlineData("ftps-curl-proftpd.pcap", 2125, "AUTH SSL")]
    [InlineData("ftps-lftp-vsftpd.pcap", 2136, "AUTH TLS")]
    [InlineData("ftps-python-pyftpdlib.pcap", 2127, "AUTH TLS")]
    [InlineData("ftps-openssl-sclient-proftpd.pcap", 2129, "AUTH TLS")]
    public void Successful_explicit_ftps_sessions_have_no_warnings(string capture, int port, string auth)
    {
        AnalyzerRun run = Control(capture, port);

        Assert.DoesNotContain(run.Findings, f => f.Severity >= Severity.Warning);
        Assert.Contains(run.Events, e => e.Kind == EventKinds.FtpCommand && e.Summary == auth);
        Assert.Contains(run.Events, e => e.Kind == EventKinds.TlsServerHello && e.Summary.Contains("TLS 1.3"));
        Assert.Contains(run.Events, e => e.Kind == EventKinds.TlsApplicationData && e.Direction == Model.Direction.ClientToServer);
        Assert.Contains(run.Events, e => e.Kind == EventKinds.TlsApplicationData && e.Direction == Model.Direction.ServerToClient);
    }

    [Fact]
    public void Plain_ftp_session_decodes_fully_and_hides_the_password()
    {
        AnalyzerRun run = Control("ftp-plain-curl-proftpd.pcap", 2130);

        Assert.DoesNotContain(run.Findings, f => f.Severity >= Severity.Warning);
        Assert.Contains(run.Events, e => e.Summary == "PASS ********");
        Assert.DoesNotContain(run.Canonical, l => l.Contains("s3cret-Pa55", StringComparison.Ordinal));
        Assert.Contains(run.Outputs, o => o is Analysis.ExpectedDataConnection);
        Assert.Contains(run.Events, e => e.Kind == EventKinds.FtpReply && e.Summary.StartsWith("226"));
    }

    [Fact]
    public void Implicit_ftps_is_recognised_from_the_bytes()
    {
        AnalyzerRun run = Control("ftps-implicit-curl-proftpd.pcap", 2131);

        Assert.Contains(run.Events, e => e.Kind == EventKinds.SessionMode && e.Summary.StartsWith("implicit FTPS"));
        Assert.DoesNotContain(run.Findings, f => f.Severity >= Severity.Warning);
    }

    [Fact]
    public void Ccc_is_inferred_as_info_and_plaintext_commands_decode_after_it()
    {
        AnalyzerRun run = Control("ftps-ccc-python-proftpd.pcap", 2132);

        Finding ccc = run.Single(FindingCatalog.CccInferred);
        Assert.Equal(Severity.Info, ccc.Severity);
        Assert.DoesNotContain(run.Findings, f => f.Severity >= Severity.Warning);
        int cccAt = run.Outputs.IndexOf(ccc);
        Assert.Contains(run.Outputs.Skip(cccAt).OfType<TimelineEvent>(), e => e.Kind == EventKinds.FtpCommand);
        Assert.Contains(run.Outputs.Skip(cccAt).OfType<TimelineEvent>(), e => e.Kind == EventKinds.FtpReply);
    }

    [Fact]
    public void Vsftpd_oops_inside_an_established_session_is_plaintext_after_auth()
    {
        AnalyzerRun run = Control("ftps-lftp-vsftpd-oops-after-login.pcap", 2134);

        Finding f = run.Single(FindingCatalog.PlaintextAfterAuth);
        Assert.Equal(Side.Server, f.Side);
        Assert.StartsWith("500 OOPS: cannot change directory", Text.Of(f.Evidence));
        Assert.Contains("was established", f.Explanation);
        Assert.DoesNotContain(FindingCatalog.CccDesync, run.Names);
        Assert.DoesNotContain(FindingCatalog.CccInferred, run.Names);
        Assert.DoesNotContain(FindingCatalog.FtpReplyWithoutCommand, run.Names);
    }

    [Fact]
    public void Pure_ftpd_answers_the_seed_with_an_alert_only()
    {
        AnalyzerRun run = Control("seed-pure-ftpd.pcap", 2135);

        Assert.Contains("protocol_version", run.Single(FindingCatalog.TlsAlert).Summary);
        Assert.Equal(Side.Client, run.Single(FindingCatalog.TlsLegacyVersionOnly).Side);
        Assert.DoesNotContain(FindingCatalog.PlaintextAfterAuth, run.Names);
    }

    [Fact]
    public void Pyftpdlib_answers_the_seed_with_internal_error()
    {
        AnalyzerRun run = Control("seed-pyftpdlib.pcap", 2124);

        Finding alert = run.Single(FindingCatalog.TlsAlert);
        Assert.Contains("internal_error", alert.Summary);
        Assert.Contains("No signature algorithm in common", alert.Explanation);
    }

    [Fact]
    public void Vsftpd_default_ciphers_report_no_shared_cipher()
    {
        AnalyzerRun run = Control("seed-vsftpd-3.0.3-openssl3-default-ciphers.pcap", 2133);

        Assert.Contains("handshake_failure", run.Single(FindingCatalog.TlsAlert).Summary);
        Finding plain = run.Single(FindingCatalog.PlaintextAfterAuth);
        Assert.Contains("no shared cipher", plain.Summary + plain.Explanation);
        Assert.Contains("No cipher suite in common", plain.Explanation);
    }
}
