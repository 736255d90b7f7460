using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Streams;
using Inspector.Core.Tests.Kit;
using Inspector.Core.Timeline;

namespace Inspector.Core.Tests.Ftps;

/// <summary>AUTH and what follows it (RFC 4217 §4-§6), on hand-written exchanges.</summary>
public class StartTlsTests
{
    private static AnalyzerRun Run(Script s) => AnalyzerRun.Consistent(Script.Info, s.Events);

    private static Script Greeted() => new Script().Open().Server("220 FTP server ready\r\n");

    /// <summary>A complete TLS 1.2 exchange after AUTH: hello, server flight, CCS + Finished both ways, data.</summary>
    private static Script Tls12Handshake(Script s) => s
        .Client(TlsBytes.ModernClientHelloRecord())
        .Server(TlsBytes.ServerHello12Flight())
        .Client([.. TlsBytes.Record(22, 0x0303, TlsBytes.Handshake(16, new byte[33])), .. TlsBytes.ChangeCipherSpec(), .. TlsBytes.Record(22, 0x0303, new byte[40])])
        .Server([.. TlsBytes.ChangeCipherSpec(), .. TlsBytes.Record(22, 0x0303, new byte[40])])
        .Client(TlsBytes.ApplicationData(30))
        .Server(TlsBytes.ApplicationData(50));

    [Theory]
    [InlineData("AUTH TLS")]
    [InlineData("auth tls")]
    [InlineData("Auth Ssl")]
    [InlineData("AUTH TLS-C")]
    [InlineData("AUTH TLS-P")]
    public void Auth_in_any_case_switches_both_directions_exactly_after_the_reply(string auth)
    {
        AnalyzerRun run = Run(Tls12Handshake(Greeted().Client(auth + "\r\n").Server("234 Proceed\r\n")));

        Assert.DoesNotContain(run.Findings, f => f.Severity >= Severity.Warning);
        Assert.Contains(run.Events, e => e.Kind == EventKinds.TlsClientHello && e.Summary.Contains("SNI ftp.example.com"));
        Assert.Contains(run.Events, e => e.Kind == EventKinds.TlsServerHello && e.Summary.Contains("TLS 1.2"));
        Assert.Contains(run.Events, e => e.Summary.Contains("Finished"));
        TimelineEvent hello = run.Events.Single(e => e.Kind == EventKinds.TlsClientHello);
        Assert.Equal(auth.Length + 2 + 5, hello.Offset); // the handshake message starts after AUTH's CRLF and the record header
    }

    [Fact]
    public void Reply_334_switches_too()
    {
        AnalyzerRun run = Run(Tls12Handshake(Greeted().Client("AUTH TLS\r\n").Server("334 ADAT please\r\n")));
        Assert.DoesNotContain(run.Findings, f => f.Severity >= Severity.Warning);
    }

    [Fact]
    public void Pipelined_client_hello_is_held_until_the_234()
    {
        AnalyzerRun run = Run(Greeted().Client([.. "AUTH TLS\r\n"u8.ToArray(), .. TlsBytes.ModernClientHelloRecord()])
            .Server("234 go\r\n").Server(TlsBytes.ServerHello12Flight()));

        Assert.Contains(run.Events, e => e.Kind == EventKinds.TlsClientHello);
        Assert.DoesNotContain(FindingCatalog.TlsWithoutAuth, run.Names);
        Assert.DoesNotContain(FindingCatalog.FtpMalformedCommand, run.Names);
    }

    [Fact]
    public void Refused_auth_is_reported_and_tls_after_it_is_an_error()
    {
        AnalyzerRun run = Run(Greeted().Client("AUTH TLS\r\n").Server("500 AUTH not understood\r\n")
            .Client(TlsBytes.ModernClientHelloRecord()).Server("500 Command not understood\r\n"));

        Finding refused = run.Single(FindingCatalog.AuthRefused);
        Assert.Equal(Side.Server, refused.Side);
        Finding after = run.Single(FindingCatalog.TlsAfterAuthRefused);
        Assert.Equal(Side.Client, after.Side);
        Assert.Contains(run.Events, e => e.Kind == EventKinds.FtpReply && e.Summary.Contains("[reply to (TLS record)]"));
        Assert.DoesNotContain(FindingCatalog.FtpReplyWithoutCommand, run.Names);
    }

    [Fact]
    public void Auth_ssl_refused_then_auth_tls_accepted_is_not_a_finding()
    {
        // curl's order: AUTH SSL first, AUTH TLS when that is refused.
        AnalyzerRun run = Run(Tls12Handshake(Greeted().Client("AUTH SSL\r\n").Server("504 Unknown mechanism\r\n")
            .Client("AUTH TLS\r\n").Server("234 AUTH TLS OK.\r\n")));

        Assert.DoesNotContain(FindingCatalog.AuthRefused, run.Names);
        Assert.DoesNotContain(run.Findings, f => f.Severity >= Severity.Warning);
    }

    [Fact]
    public void Refused_auth_is_reported_once_when_the_session_goes_on()
    {
        AnalyzerRun run = Run(Greeted().Client("AUTH TLS\r\n").Server("530 TLS not available\r\n")
            .Client("USER bob\r\n").Server("331 pw\r\n"));

        Assert.Single(run.Findings, f => f.Name == FindingCatalog.AuthRefused);
    }

    [Fact]
    public void Client_silent_after_234_is_handshake_not_started()
    {
        AnalyzerRun run = Run(Greeted().Client("AUTH TLS\r\n").Server("234 go\r\n").Wait(TimeSpan.FromSeconds(3))
            .End(Direction.ClientToServer, EndKind.Fin));

        Finding f = run.Single(FindingCatalog.HandshakeNotStarted);
        Assert.Equal(Side.Client, f.Side);
        Assert.DoesNotContain(FindingCatalog.FtpStalled, run.Names);
    }

    [Fact]
    public void Client_plaintext_after_234_is_plaintext_after_auth_on_the_client()
    {
        AnalyzerRun run = Run(Greeted().Client("AUTH TLS\r\n").Server("234 go\r\n").Client("PBSZ 0\r\n"));

        Finding f = run.Single(FindingCatalog.PlaintextAfterAuth);
        Assert.Equal(Side.Client, f.Side);
        Assert.Contains("content type 0x50 (80)", f.Explanation);
        Assert.Contains(run.Events, e => e.Kind == EventKinds.FtpCommand && e.Summary == "PBSZ 0");
    }

    [Fact]
    public void Implicit_client_against_explicit_server_is_a_mismatch()
    {
        AnalyzerRun run = Run(new Script().Open().Client(TlsBytes.ModernClientHelloRecord())
            .Server("220 FTP server ready\r\n500 Command not understood\r\n"));

        Finding f = run.Single(FindingCatalog.ImplicitExplicitMismatch);
        Assert.Equal(Side.Both, f.Side);
        Assert.Contains("implicit FTPS", f.Summary);
        Assert.DoesNotContain(FindingCatalog.TlsWithoutAuth, run.Names);
        Assert.DoesNotContain(FindingCatalog.FtpReplyWithoutCommand, run.Names);
    }

    [Fact]
    public void Implicit_on_both_sides_is_fine()
    {
        AnalyzerRun run = Run(new Script().Open().Client(TlsBytes.ModernClientHelloRecord()).Server(TlsBytes.ServerHello13Record())
            .Server(TlsBytes.ApplicationData(100)).Client([.. TlsBytes.ChangeCipherSpec(), .. TlsBytes.ApplicationData(50)]));

        Assert.Contains(run.Events, e => e.Summary.StartsWith("implicit FTPS"));
        Assert.Empty(run.Findings);
    }

    [Fact]
    public void Tls_in_the_middle_of_a_plaintext_session_is_tls_without_auth()
    {
        AnalyzerRun run = Run(Greeted().Client("USER a\r\n").Server("331 pw\r\n").Client(TlsBytes.ModernClientHelloRecord()));

        Assert.Equal(Side.Client, run.Single(FindingCatalog.TlsWithoutAuth).Side);
    }

    [Fact]
    public void Prot_before_pbsz_is_reported()
    {
        AnalyzerRun run = Run(Greeted().Client("PROT P\r\n").Server("503 PBSZ first\r\n").Client("PBSZ 0\r\nPROT P\r\n").Server("200 ok\r\n200 ok\r\n"));

        Finding f = run.Single(FindingCatalog.ProtWithoutPbsz);
        Assert.Equal(Side.Client, f.Side);
        Assert.Equal(0, f.Offset);
    }

    [Fact]
    public void Credentials_in_clear_after_feat_offered_auth_tls()
    {
        AnalyzerRun run = Run(Greeted().Client("FEAT\r\n").Server("211-Features:\r\n AUTH TLS\r\n PBSZ\r\n211 End\r\n")
            .Client("USER bob\r\n").Server("331 pw\r\n").Client("PASS hunter2\r\n").Server("230 ok\r\n"));

        Finding f = run.Single(FindingCatalog.CredentialsInClear);
        Assert.Contains("offered AUTH TLS", f.Summary);
        Assert.Equal("USER bob\r\n", Text.Of(f.Evidence));
        Assert.DoesNotContain(run.Canonical, l => l.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public void Credentials_in_clear_after_the_server_demanded_tls()
    {
        AnalyzerRun run = Run(Greeted().Client("USER bob\r\n").Server("530 Non-anonymous sessions must use encryption.\r\n")
            .Client("PASS hunter2\r\n").Server("530 Login incorrect.\r\n"));

        Finding f = run.Single(FindingCatalog.CredentialsInClear);
        Assert.Equal("PASS ********\r\n", Text.Of(f.Evidence));
    }

    [Fact]
    public void Server_tls_alert_during_handshake_is_an_error_with_its_description()
    {
        AnalyzerRun run = Run(Greeted().Client("AUTH TLS\r\n").Server("234 go\r\n")
            .Client(TlsBytes.ModernClientHelloRecord()).Server(TlsBytes.Alert(2, 40)).End(Direction.ServerToClient, EndKind.Fin));

        Finding f = run.Single(FindingCatalog.TlsAlert);
        Assert.Equal(Severity.Error, f.Severity);
        Assert.Contains("handshake_failure (40)", f.Summary);
        Assert.Contains("No cipher suite in common", f.Explanation);
        Assert.DoesNotContain(FindingCatalog.TlsHandshakeIncomplete, run.Names);
    }

    [Fact]
    public void Warning_alert_is_info()
    {
        AnalyzerRun run = Run(Greeted().Client("AUTH TLS\r\n").Server("234 go\r\n").Client(TlsBytes.ModernClientHelloRecord()).Client(TlsBytes.Alert(1, 0)));

        Assert.Equal(Severity.Info, run.Single(FindingCatalog.TlsAlert).Severity);
    }

    [Fact]
    public void Server_silent_after_client_hello_is_handshake_incomplete_and_stalled()
    {
        AnalyzerRun run = Run(Greeted().Client("AUTH TLS\r\n").Server("234 go\r\n").Client(TlsBytes.ModernClientHelloRecord())
            .Wait(TimeSpan.FromSeconds(60)).End(Direction.ClientToServer, EndKind.Reset));

        Assert.Equal(Side.Server, run.Single(FindingCatalog.TlsHandshakeIncomplete).Side);
        Finding stall = run.Single(FindingCatalog.FtpStalled);
        Assert.Equal(Side.Server, stall.Side);
        Assert.Contains("has not answered the ClientHello", stall.Summary);
    }

    [Fact]
    public void A_capture_that_ends_mid_handshake_blames_nobody()
    {
        // No FIN, no reset, no long silence: the capture stopped, the peers did nothing wrong.
        AnalyzerRun run = Run(Greeted().Client("AUTH TLS\r\n").Server("234 go\r\n").Client(TlsBytes.ModernClientHelloRecord()));

        Assert.DoesNotContain(FindingCatalog.TlsHandshakeIncomplete, run.Names);
        Assert.Contains(run.Events, e => e.Kind == EventKinds.TcpEnd);
    }

    [Fact]
    public void Ccc_desync_when_the_server_keeps_tls_after_the_client_left_it()
    {
        AnalyzerRun run = Run(Tls12Handshake(Greeted().Client("AUTH TLS\r\n").Server("234 go\r\n"))
            .Client("PWD\r\n").Server(TlsBytes.ApplicationData(40)));

        Finding f = run.Single(FindingCatalog.CccDesync);
        Assert.Equal(Side.Server, f.Side);
        Assert.Contains(run.Events, e => e.Kind == EventKinds.FtpCommand && e.Summary == "PWD");
        // The evidence is the record's header (application data is not kept), also when events
        // keep no bytes (text and JSON output).
        byte[] record = TlsBytes.ApplicationData(40);
        Assert.Equal(record[..5], f.Evidence.ToArray());
        AnalyzerRun printing = AnalyzerRun.Consistent(Script.Info, Tls12Handshake(Greeted().Client("AUTH TLS\r\n").Server("234 go\r\n"))
            .Client("PWD\r\n").Server(record).Events, Analysis.AnalyzerOptions.Default with { MaxEventBytes = 0 });
        Assert.Equal(record[..5], printing.Single(FindingCatalog.CccDesync).Evidence.ToArray());
    }

    [Fact]
    public void Ccc_with_close_notify_both_ways_is_info()
    {
        AnalyzerRun run = Run(Tls12Handshake(Greeted().Client("AUTH TLS\r\n").Server("234 go\r\n"))
            .Client(TlsBytes.Record(21, 0x0303, new byte[26])).Server(TlsBytes.Record(21, 0x0303, new byte[26]))
            .Client("PWD\r\n").Server("257 \"/\"\r\n"));

        Assert.Equal(Severity.Info, run.Single(FindingCatalog.CccInferred).Severity);
        Assert.DoesNotContain(run.Findings, f => f.Severity >= Severity.Warning);
        Assert.Contains(run.Events, e => e.Kind == EventKinds.FtpReply && e.Summary.StartsWith("257 \"/\"  [reply to PWD]"));
    }

    [Fact]
    public void Reinitialised_session_after_rein_forgets_pbsz()
    {
        AnalyzerRun run = Run(Greeted().Client("PBSZ 0\r\n").Server("200 ok\r\n").Client("REIN\r\n").Server("220 ready\r\n")
            .Client("PROT P\r\n").Server("503 PBSZ first\r\n"));

        Assert.Single(run.Findings, f => f.Name == FindingCatalog.ProtWithoutPbsz);
    }
}
