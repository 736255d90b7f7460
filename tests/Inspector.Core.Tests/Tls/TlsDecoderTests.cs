using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Streams;
using Inspector.Core.Tests.Kit;
using Inspector.Core.Tests.Seed;
using Inspector.Core.Timeline;
using Inspector.Core.Tls;

namespace Inspector.Core.Tests.Tls;

public class TlsDecoderTests
{
    private static Script AfterAuth() => new Script().Open().Server("220 hi\r\n").Client("AUTH TLS\r\n").Server("234 go\r\n");

    private static AnalyzerRun Run(Script s) => AnalyzerRun.Consistent(Script.Info, s.Events);

    [Fact]
    public void Record_reader_says_need_more_until_the_record_is_whole()
    {
        var reader = new TlsRecordReader();
        byte[] rec = SeedHello.Record;
        Assert.Equal(RecordStatus.NeedMoreData, reader.Feed(rec.AsSpan(0, 4), 0, out int used));
        Assert.Equal(4, used);
        Assert.Equal(RecordStatus.NeedMoreData, reader.Feed(rec.AsSpan(4, 50), 4, out used));
        Assert.Equal(RecordStatus.Record, reader.Feed(rec.AsSpan(54), 54, out used));
        Assert.Equal(8, used);
        Assert.Equal(22, reader.Current.ContentType);
        Assert.Equal(57, reader.Current.Length);
        Assert.Equal(0, reader.Current.Offset);
    }

    [Fact]
    public void Record_reader_rejects_a_plaintext_header_after_five_bytes()
    {
        var reader = new TlsRecordReader();
        Assert.Equal(RecordStatus.InvalidHeader, reader.Feed("550 TLS handshake failed\r\n"u8, 100, out int used));
        Assert.Equal(5, used);
        Assert.Equal("550 T", Text.Of(reader.InvalidHeader.ToArray()));
        Assert.Equal(100, reader.InvalidHeaderOffset);
    }

    [Fact]
    public void Several_handshake_messages_in_one_record_are_all_decoded()
    {
        AnalyzerRun run = Run(AfterAuth().Client(TlsBytes.ModernClientHelloRecord()).Server(TlsBytes.ServerHello12Flight()));

        Assert.Contains(run.Events, e => e.Kind == EventKinds.TlsServerHello);
        Assert.Contains(run.Events, e => e.Kind == EventKinds.TlsHandshake && e.Summary.Contains("server_hello_done"));
    }

    [Fact]
    public void One_handshake_message_across_several_records_is_reassembled_with_its_offset()
    {
        byte[] message = TlsBytes.Handshake(1, SeedHello.HandshakeBody);
        byte[] wire = [.. TlsBytes.Record(22, 0x0301, message[..10]), .. TlsBytes.Record(22, 0x0301, message[10..30]), .. TlsBytes.Record(22, 0x0301, message[30..])];

        AnalyzerRun run = Run(AfterAuth().Client(wire));

        TimelineEvent hello = run.Events.Single(e => e.Kind == EventKinds.TlsClientHello);
        Assert.Equal("AUTH TLS\r\n".Length + 5, hello.Offset);
        Assert.Contains("7 suites", hello.Summary);
    }

    [Fact]
    public void Sslv2_format_client_hello_is_decoded_and_reported()
    {
        // RFC 6101 Appendix E: msg_type 1, version 3.1, 2 cipher specs (6 bytes), no session id, 16-byte challenge.
        byte[] body = [1, 3, 1, 0, 6, 0, 0, 0, 16, 0x01, 0x00, 0x80, 0x00, 0x00, 0x2f, .. Enumerable.Range(0, 16).Select(i => (byte)i)];
        byte[] record = [(byte)(0x80 | (body.Length >> 8)), (byte)body.Length, .. body];

        AnalyzerRun run = Run(AfterAuth().Client(record));

        Finding f = run.Single(FindingCatalog.TlsSslv2Hello);
        Assert.Equal(Side.Client, f.Side);
        TimelineEvent hello = run.Events.Single(e => e.Kind == EventKinds.TlsClientHello);
        Assert.Contains("SSLv2 format", hello.Summary);
        Assert.Contains("SSL_CK_RC4_128_WITH_MD5", string.Join(",", hello.Detail!.Child("sslv2_cipher_kinds")!.Children.Select(c => c.Value)));
        Assert.Contains("TLS_RSA_WITH_AES_128_CBC_SHA", string.Join(",", hello.Detail!.Child("cipher_suites")!.Children.Select(c => c.Value)));
        Assert.Contains(FindingCatalog.TlsLegacyVersionOnly, run.Names);
    }

    [Fact]
    public void Binary_garbage_where_a_record_belongs_is_malformed_record()
    {
        AnalyzerRun run = Run(AfterAuth().Client(TlsBytes.ModernClientHelloRecord()).Server([0x99, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06]));

        Finding f = run.Single(FindingCatalog.TlsMalformedRecord);
        Assert.Equal(Side.Server, f.Side);
        Assert.Equal("99 01 02 03 04", TlsDiagnosis.Hex(f.Evidence.Span));
    }

    [Fact]
    public void High_bit_garbage_after_auth_is_one_malformed_record_not_a_cascade()
    {
        var random = new Random(11);
        byte[] junk = new byte[3000];
        random.NextBytes(junk);
        junk[0] = 0x81; // looks like an SSLv2 header
        junk[2] = 0x07; // but is no client_hello
        AnalyzerRun run = Run(AfterAuth().Client(junk));

        Assert.Single(run.Findings, f => f.Name == FindingCatalog.TlsMalformedRecord);
    }

    [Fact]
    public void Client_hello_whose_lengths_lie_is_malformed_handshake()
    {
        byte[] body = SeedHello.HandshakeBody;
        body[35] = 0x40; // cipher_suites length now runs past the message
        AnalyzerRun run = Run(AfterAuth().Client(TlsBytes.Record(22, 0x0301, TlsBytes.Handshake(1, body))));

        Finding f = run.Single(FindingCatalog.TlsMalformedHandshake);
        Assert.Contains("cipher_suites", f.Summary);
    }

    [Fact]
    public void Truncated_hello_at_close_is_reported_as_cut_not_malformed()
    {
        AnalyzerRun run = Run(AfterAuth().Client(SeedHello.Record[..40]).End(Direction.ClientToServer, EndKind.Fin));

        Assert.DoesNotContain(FindingCatalog.TlsMalformedRecord, run.Names);
        Assert.DoesNotContain(FindingCatalog.TlsMalformedHandshake, run.Names);
        Assert.Contains(run.Events, e => e.Kind == EventKinds.TlsRecord && e.Summary.Contains("cut off"));
    }

    [Fact]
    public void Hello_retry_request_and_tls13_server_hello_are_told_apart()
    {
        byte[] hrrRandom = Convert.FromHexString("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");
        byte[] hrrBody = [0x03, 0x03, .. hrrRandom, 0, 0x13, 0x01, 0, .. TlsBytes.Vector16(TlsBytes.Extension(43, [0x03, 0x04]))];
        AnalyzerRun run = Run(AfterAuth().Client(TlsBytes.ModernClientHelloRecord())
            .Server(TlsBytes.Record(22, 0x0303, TlsBytes.Handshake(2, hrrBody)))
            .Client([.. TlsBytes.ChangeCipherSpec(), .. TlsBytes.ModernClientHelloRecord()])
            .Server([.. TlsBytes.ServerHello13Record(), .. TlsBytes.ChangeCipherSpec(), .. TlsBytes.ApplicationData(200)])
            .Client(TlsBytes.ApplicationData(60)));

        Assert.Single(run.Events, e => e.Summary.StartsWith("TLS HelloRetryRequest"));
        Assert.Equal(2, run.Events.Count(e => e.Kind == EventKinds.TlsClientHello));
        Assert.Single(run.Events, e => e.Kind == EventKinds.TlsServerHello && e.Summary.Contains("TLS 1.3"));
        Assert.DoesNotContain(run.Findings, f => f.Severity >= Severity.Warning);
    }

    [Fact]
    public void Downgrade_sentinel_is_reported_as_info()
    {
        byte[] random = [.. new byte[24], .. "DOWNGRD"u8.ToArray(), 0x01];
        byte[] body = [0x03, 0x03, .. random, 0, 0xc0, 0x2f, 0];
        AnalyzerRun run = Run(AfterAuth().Client(TlsBytes.ModernClientHelloRecord()).Server(TlsBytes.Record(22, 0x0303, TlsBytes.Handshake(2, body))));

        Assert.Equal(Severity.Info, run.Single(FindingCatalog.TlsDowngradeSignal).Severity);
    }

    [Fact]
    public void A_downgrade_finding_keeps_the_server_hello_as_its_evidence_even_for_TLS_1_3()
    {
        // A hostile or broken server: TLS 1.3 selected and the downgrade sentinel anyway. The
        // hello is read where the reassembler holds it, which TLS 1.3 then resets.
        byte[] random = [.. new byte[24], .. "DOWNGRD"u8.ToArray(), 0x01];
        byte[] body = [0x03, 0x03, .. random, 0, 0x13, 0x01, 0, .. TlsBytes.Vector16(TlsBytes.Extension(43, [0x03, 0x04]))];
        byte[] hello = TlsBytes.Handshake(2, body);
        AnalyzerRun run = Run(AfterAuth().Client(TlsBytes.ModernClientHelloRecord()).Server(TlsBytes.Record(22, 0x0303, hello)));

        Assert.Equal(hello, run.Single(FindingCatalog.TlsDowngradeSignal).Evidence.ToArray());
    }

    [Fact]
    public void Certificate_chain_is_decoded_with_subject_issuer_validity_and_key()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=ftp.example.com, O=Inspector Test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using X509Certificate2 cert = request.CreateSelfSigned(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        byte[] der = cert.RawData;
        byte[] list = [(byte)(der.Length >> 16), (byte)(der.Length >> 8), (byte)der.Length, .. der];
        byte[] body = [(byte)(list.Length >> 16), (byte)(list.Length >> 8), (byte)list.Length, .. list];

        AnalyzerRun run = Run(AfterAuth().Client(TlsBytes.ModernClientHelloRecord())
            .Server(TlsBytes.Record(22, 0x0303, [.. TlsBytes.Handshake(2, TlsBytes.ServerHelloBody(0x0303, 0xc02f)), .. TlsBytes.Handshake(11, body)])));

        TimelineEvent ev = run.Events.Single(e => e.Kind == EventKinds.TlsCertificate);
        DetailNode first = ev.Detail!.Child("chain")!.Children[0];
        Assert.Equal("CN=ftp.example.com, O=Inspector Test", first.Get("subject"));
        Assert.Equal("CN=ftp.example.com, O=Inspector Test", first.Get("issuer"));
        Assert.Equal("2026-01-01T00:00:00Z", first.Get("not_before"));
        Assert.Equal("2027-01-01T00:00:00Z", first.Get("not_after"));
        Assert.Equal("RSA 2048 bits", first.Get("key"));
        Assert.Equal("sha256RSA", first.Get("signature_algorithm"));
    }

    [Fact]
    public void After_a_gap_in_tls_the_reader_resyncs_on_two_consecutive_headers()
    {
        AnalyzerRun run = Run(AfterAuth().Client(TlsBytes.ModernClientHelloRecord()).Server(TlsBytes.ServerHello12Flight())
            .Client([.. TlsBytes.ChangeCipherSpec(), .. TlsBytes.Record(22, 0x0303, new byte[40])])
            .Server([.. TlsBytes.ChangeCipherSpec(), .. TlsBytes.Record(22, 0x0303, new byte[40])])
            .Server(TlsBytes.ApplicationData(100)[..60])
            .Gap(Direction.ServerToClient, 40)
            .Server([0x00, 0x11, 0x22, 0x33, 0x44, 0x17, 0x03, 0x03, 0x00, 0x10, .. new byte[16], .. TlsBytes.ApplicationData(20), .. TlsBytes.ApplicationData(30)]));

        List<TimelineEvent> data = run.Events.Where(e => e.Kind == EventKinds.TlsApplicationData && e.Direction == Direction.ServerToClient).ToList();
        Assert.Equal([16, 20, 30], data.Select(e => (int)e.Length - 5));
        Assert.DoesNotContain(FindingCatalog.TlsLostSync, run.Names);
    }

    [Fact]
    public void Random_bytes_in_every_mode_never_throw_and_stay_chunk_independent()
    {
        var random = new Random(7);
        for (int round = 0; round < 40; round++)
        {
            var s = new Script().Open();
            if (round % 3 != 0) s.Server("220 hi\r\n").Client("AUTH TLS\r\n").Server("234 go\r\n");
            for (int i = 0; i < 6; i++)
            {
                byte[] junk = new byte[random.Next(1, 300)];
                random.NextBytes(junk);
                if (round % 2 == 0 && i == 0) junk = [.. SeedHello.Record.AsSpan(0, random.Next(1, 62)), .. junk];
                if (random.Next(2) == 0) s.Client(junk); else s.Server(junk);
            }
            AnalyzerRun.Consistent(Script.Info, s.Events);
        }
    }
}
