using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Streams;
using Inspector.Core.Tests.Kit;
using Inspector.Core.Timeline;
using Inspector.Core.Tls;

namespace Inspector.Core.Tests.Seed;

/// <summary>
/// The case the project exists for: AUTH TLS, 234, a TLS 1.0 ClientHello with seven suites and
/// no extensions, and a server that answers in plaintext. Three real server behaviours.
/// </summary>
public class SeedCaseTests
{
    [Fact]
    public void Seed_client_hello_decodes_to_tls10_seven_suites_null_compression_no_extensions()
    {
        ClientHelloInfo? hello = ClientHelloParser.Parse(SeedHello.HandshakeBody, out string? error);

        Assert.Null(error);
        Assert.NotNull(hello);
        Assert.Equal(0x0301, hello.LegacyVersion);
        Assert.Equal(0x0301, hello.HighestVersion);
        Assert.Equal("TLS 1.0", TlsRegistry.VersionName(hello.HighestVersion));
        Assert.Equal(SeedHello.SuiteNames, hello.CipherSuites.Select(TlsRegistry.CipherSuiteName));
        Assert.Equal(new byte[] { 0 }, hello.CompressionMethods);
        Assert.Equal("null", TlsRegistry.CompressionMethodName(hello.CompressionMethods[0]));
        Assert.False(hello.HasExtensionBlock);
        Assert.Empty(hello.Extensions);
        Assert.Empty(hello.SessionId);
        Assert.Equal("603853aefee40e3fa5c1738d117497b11a6c48d50a529ed8c9f619af4c56c20d", Convert.ToHexStringLower(hello.Random));
        Assert.Equal("769,255-53-56-57-47-50-51,,,", hello.Ja3);
    }

    /// <summary>(a) ProFTPD up to 1.3.7 on OpenSSL 1.0: plaintext 550 with no alert (per its source and the seed capture).</summary>
    [Fact]
    public void Server_answers_plaintext_550_without_alert()
    {
        List<StreamEvent> events = new Script().Open()
            .Server("220 ProFTPD Server (Debian) [127.0.0.1]\r\n")
            .Client("AUTH TLS\r\n")
            .Server("234 AUTH TLS successful\r\n")
            .Client(SeedHello.Record)
            .Server("550 TLS handshake failed\r\n")
            .End(Direction.ServerToClient, EndKind.Reset)
            .Events;

        AnalyzerRun run = AnalyzerRun.Consistent(Script.Info, events);

        Finding plain = run.Single(FindingCatalog.PlaintextAfterAuth);
        Assert.Equal(Side.Server, plain.Side);
        Assert.Equal(Severity.Error, plain.Severity);
        Assert.Equal(Direction.ServerToClient, plain.Direction);
        Assert.Equal("550 TLS handshake failed\r\n"u8.ToArray(), plain.Evidence.ToArray());
        Assert.Contains("content type 0x35 (53)", plain.Explanation);
        Assert.Contains("version 0x3530", plain.Explanation);
        Assert.Contains("length 0x2054 (8276)", plain.Explanation);
        Assert.Contains("Content Type 53 is not supported", plain.Explanation);
        Assert.Contains("wrong version number", plain.Explanation);
        Assert.Contains("Unsupported or unrecognized SSL message", plain.Explanation);
        Assert.Contains("The message received was unexpected or badly formatted", plain.Explanation);
        Assert.Contains("TLS 1.0 at most", plain.Explanation);
        Assert.Contains("TLS_DHE_RSA_WITH_AES_128_CBC_SHA", plain.Explanation);
        Assert.Contains("no extensions", plain.Explanation);
        Assert.Contains("TLS version refused", plain.Explanation);
        Assert.Contains("server's TLS log", plain.Explanation);

        Finding legacy = run.Single(FindingCatalog.TlsLegacyVersionOnly);
        Assert.Equal(Side.Client, legacy.Side);
        Assert.Contains("TLS 1.0", legacy.Summary);

        Assert.DoesNotContain(FindingCatalog.TlsAlert, run.Names);
        Assert.DoesNotContain(FindingCatalog.FtpReplyWithoutCommand, run.Names);
        Assert.DoesNotContain(FindingCatalog.TlsHandshakeIncomplete, run.Names);

        // The timeline shows the 550 as the server's plaintext reply right before the finding.
        int replyIndex = run.Outputs.FindIndex(o => o is TimelineEvent { Kind: EventKinds.FtpReply } e && e.Summary.StartsWith("550 "));
        Assert.True(replyIndex >= 0);
        Assert.Same(plain, run.Outputs[replyIndex + 1]);
    }

    /// <summary>The bundled seed capture: the same failure recorded with tcpdump against ProFTPD 1.3.7f on OpenSSL 1.0.2n.</summary>
    [Fact]
    public void Bundled_seed_capture_shows_plaintext_after_auth()
    {
        PcapConnections.Connection conn = PcapConnections.Control("seed-proftpd-1.3.7f-openssl-1.0.2n.pcap", 2128);

        AnalyzerRun run = AnalyzerRun.Consistent(conn.Info, conn.Events);

        Finding plain = run.Single(FindingCatalog.PlaintextAfterAuth);
        Assert.Equal(Side.Server, plain.Side);
        Assert.StartsWith("550 T", Text.Of(plain.Evidence));
        Assert.Equal(Side.Client, run.Single(FindingCatalog.TlsLegacyVersionOnly).Side);
        TimelineEvent hello = Assert.Single(run.Events, e => e.Kind == EventKinds.TlsClientHello);
        Assert.Equal(62, hello.Length + 5);
    }

    /// <summary>(b) ProFTPD 1.3.8 on OpenSSL 3: fatal protocol_version alert, then plaintext 421.</summary>
    [Fact]
    public void Proftpd_138_sends_protocol_version_alert_then_421()
    {
        PcapConnections.Connection conn = PcapConnections.Read(PcapConnections.CapturePath("seed-proftpd-1.3.8-openssl3.pcap"))[0];

        AnalyzerRun run = AnalyzerRun.Consistent(conn.Info, conn.Events);

        Finding alert = run.Single(FindingCatalog.TlsAlert);
        Assert.Equal(Side.Server, alert.Side);
        Assert.Equal(Severity.Error, alert.Severity);
        Assert.Equal(Convert.FromHexString("15030100020246"), alert.Evidence.ToArray());
        Assert.Contains("protocol_version", alert.Summary);
        Assert.Contains("TLS version refused", alert.Explanation);

        Finding plain = run.Single(FindingCatalog.PlaintextAfterAuth);
        Assert.Equal(Side.Server, plain.Side);
        Assert.StartsWith("421 TLS handshake failed", Text.Of(plain.Evidence));
        Assert.Contains("fatal protocol_version (70)", plain.Explanation);
        Assert.Contains("content type 0x34 (52)", plain.Explanation);
        Assert.Contains("TLS version refused", plain.Explanation);

        Assert.Equal(Side.Client, run.Single(FindingCatalog.TlsLegacyVersionOnly).Side);
    }

    /// <summary>(c) vsftpd 3.0.3 on OpenSSL 3: fatal internal_error alert, then "500 OOPS" split over several segments.</summary>
    [Fact]
    public void Vsftpd_sends_internal_error_alert_then_500_oops_in_pieces()
    {
        PcapConnections.Connection conn = PcapConnections.Read(PcapConnections.CapturePath("seed-vsftpd-3.0.3-openssl3.pcap"))[0];
        int serverSegmentsAfterAlert = conn.Events.OfType<DataEvent>()
            .Where(d => d.Direction == Direction.ServerToClient)
            .SkipWhile(d => d.Bytes.Span[0] != 0x15)
            .Skip(1)
            .Count();
        Assert.True(serverSegmentsAfterAlert >= 3, $"the 500 OOPS reply came in {serverSegmentsAfterAlert} segments");

        AnalyzerRun run = AnalyzerRun.Consistent(conn.Info, conn.Events);

        Finding alert = run.Single(FindingCatalog.TlsAlert);
        Assert.Contains("internal_error", alert.Summary);
        Assert.Equal(Side.Server, alert.Side);

        Finding plain = run.Single(FindingCatalog.PlaintextAfterAuth);
        Assert.Equal(Side.Server, plain.Side);
        Assert.StartsWith("500 OOPS: error:0A000076:SSL routines::no suitable signature algorithm\r\n", Text.Of(plain.Evidence));
        Assert.Contains("no signature_algorithms extension", plain.Explanation);
        Assert.Contains("No SHA-256 signature is possible", plain.Explanation);
        Assert.Contains("TLS version refused", plain.Explanation);

        Assert.Equal(Side.Client, run.Single(FindingCatalog.TlsLegacyVersionOnly).Side);
    }
}
