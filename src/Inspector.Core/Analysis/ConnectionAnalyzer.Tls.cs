using System.Globalization;
using System.Text;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Timeline;
using Inspector.Core.Tls;

namespace Inspector.Core.Analysis;

// TLS on the control connection: records, handshake messages, alerts, and the places where
// one side speaks TLS and the other does not (RFC 8446, RFC 5246, RFC 4217).
public sealed partial class ConnectionAnalyzer
{
    private ClientHelloInfo? clientHello;
    private ServerHelloInfo? serverHello;
    private bool helloRetrySeen;
    private bool tls13;
    private bool fatalAlertSeen;
    private bool malformedTlsSeen;
    private bool cccReported;
    private bool cccDesyncReported;

    /// <summary>Both directions switched to encrypted records and each sent at least one (its Finished).</summary>
    private bool HandshakeComplete =>
        client.Encrypted && server.Encrypted && client.EncryptedRecords > 0 && server.EncryptedRecords > 0;

    private int StepTls(DirectionState st, ReadOnlySpan<byte> data, long offset, Timestamp time)
    {
        RecordStatus status = st.Records.Feed(data, offset, out int used);
        switch (status)
        {
            case RecordStatus.Record:
                HandleRecord(st, st.Records.Current, time);
                while (st.Mode == DecodeMode.Tls && st.Records.TakeReplay(out ReadOnlyMemory<byte> replay, out long replayOffset))
                {
                    Process(st, replay.Span, replayOffset, time);
                }
                break;
            case RecordStatus.InvalidHeader:
                NotTls(st, st.Records.InvalidHeader.ToArray(), st.Records.InvalidHeaderOffset, time);
                break;
            case RecordStatus.LostSync:
                st.Mode = DecodeMode.Opaque;
                Finding(FindingCatalog.TlsLostSync, Side.Network, time, st.Direction, offset, default,
                    $"TLS record boundaries of the {st.Sender.WireName()}'s stream lost after missing bytes",
                    $"After the gap no two consecutive valid TLS record headers were found within {TlsRecordReader.MaxResyncScan} bytes. "
                    + "The rest of this direction is counted, not decoded.");
                break;
        }
        return used;
    }

    private void HandleRecord(DirectionState st, TlsRecord rec, Timestamp time)
    {
        st.TlsRecords++;
        if (dataRole && rec.ContentType == 23)
        {
            // The bulk of a data connection: counted, without building anything per record.
            HandleDataRecord(st, rec, time);
            return;
        }
        if (rec.ContentType == 23)
        {
            HandleApplicationData(st, rec, time);
            return;
        }
        if (rec.ContentType == 22 && !st.Encrypted)
        {
            // Handshake messages are events of their own, with their own bytes: none copied for the record.
            st.Handshakes.Append(rec.Payload.Span, rec.Offset + rec.HeaderLength);
            DrainHandshakes(st, time);
            return;
        }
        byte[] bytes = RecordBytes(rec);
        string who = st.Sender.WireName();
        switch (rec.ContentType)
        {
            case 22: // encrypted: plaintext handshake records went to the reassembler above
                st.EncryptedRecords++;
                EventOwning(time, st.Direction, rec.Offset, rec.HeaderLength + rec.Length, Layer.Tls, EventKinds.TlsHandshake,
                    $"TLS encrypted handshake message ({rec.Length} bytes, the {who}'s Finished)", RecordDetail(rec), bytes);
                break;
            case 20:
                EventOwning(time, st.Direction, rec.Offset, rec.HeaderLength + rec.Length, Layer.Tls, EventKinds.TlsChangeCipherSpec,
                    $"TLS ChangeCipherSpec from the {who}", RecordDetail(rec), bytes);
                // TLS 1.2 and older: records after CCS are encrypted (RFC 5246 §7.1). In TLS 1.3
                // CCS is only middlebox camouflage (RFC 8446 §D.4); the ServerHello decided.
                if (!tls13 && !helloRetrySeen)
                {
                    st.Encrypted = true;
                    st.Handshakes.Reset();
                }
                break;
            case 21 when rec.Length == 2:
                var alert = new AlertInfo(rec.Payload.Span[0], rec.Payload.Span[1]);
                HandleAlert(st, alert, rec, bytes, time);
                break;
            case 21:
                st.SentEncryptedAlert = true;
                EventOwning(time, st.Direction, rec.Offset, rec.HeaderLength + rec.Length, Layer.Tls, EventKinds.TlsAlert,
                    $"TLS encrypted alert from the {who} ({rec.Length} bytes; usually close_notify)", RecordDetail(rec), bytes);
                break;
            case TlsRecordReader.SslV2ContentType:
                HandleSslV2Hello(st, rec, bytes, time);
                break;
            default:
                EventOwning(time, st.Direction, rec.Offset, rec.HeaderLength + rec.Length, Layer.Tls, EventKinds.TlsRecord,
                    $"TLS {TlsRegistry.ContentTypeName(rec.ContentType)} record from the {who}, {rec.Length} bytes", RecordDetail(rec), bytes);
                break;
        }
    }

    /// <summary>
    /// A control connection's TLS application data, most of its records once TLS is up: its bytes
    /// are copied only for an event that keeps them or for a finding, not for every record (the
    /// text and JSON output show none; a 100 MB control-heavy read allocated 8 MB less).
    /// </summary>
    private void HandleApplicationData(DirectionState st, TlsRecord rec, Timestamp time)
    {
        if (st.Encrypted) st.EncryptedRecords++;
        EventOwning(time, st.Direction, rec.Offset, rec.HeaderLength + rec.Length, Layer.Tls, EventKinds.TlsApplicationData,
            AppDataSummary(st.Sender, rec.Length), RecordDetail(rec), options.MaxEventBytes == 0 ? [] : RecordBytes(rec));
        CheckCccDesync(st, rec, time);
    }

    private void DrainHandshakes(DirectionState st, Timestamp time)
    {
        while (true)
        {
            HandshakeStatus hs = st.Handshakes.TryNext(out HandshakeMessage msg);
            if (hs == HandshakeStatus.NeedMoreData) return;
            if (hs == HandshakeStatus.TooLarge)
            {
                malformedTlsSeen = true;
                Finding(FindingCatalog.TlsMalformedHandshake, st.Sender, time, st.Direction, msg.Offset, default,
                    $"{st.Sender.WireName()}'s {TlsRegistry.HandshakeTypeName(msg.Type)} declares {st.Handshakes.LastDeclaredLength} bytes",
                    $"The handshake message is longer than the limit of {options.MaxHandshakeMessageLength} bytes; it is skipped. "
                    + "Real handshake messages (even long certificate chains) stay well below it.");
                continue;
            }
            HandleHandshake(st, msg, time);
            // RFC 8446 §5.1: after a TLS 1.3 ServerHello the server's records are encrypted.
            if (st.Encrypted) return;
        }
    }

    private void HandleHandshake(DirectionState st, HandshakeMessage msg, Timestamp time)
    {
        string name = TlsRegistry.HandshakeTypeName(msg.Type);
        // Read in place, valid until the reassembler is reset (OnServerHello does so last): the
        // events keep none of it when printing, and a finding copies its evidence.
        ReadOnlySpan<byte> bytes = HandshakeBytes(msg);
        string? error = null;
        switch (msg.Type)
        {
            case 1:
                ClientHelloInfo? hello = ClientHelloParser.Parse(msg.Body.Span, out error);
                if (hello is null) break;
                OnClientHello(st, hello, msg.Offset, msg.WireLength, bytes, time);
                return;
            case 2:
                ServerHelloInfo? sh = ServerHelloInfo.Parse(msg.Body.Span, out error);
                if (sh is null) break;
                OnServerHello(st, sh, msg, bytes, time);
                return;
            case 11 when !tls13:
                IReadOnlyList<CertificateInfo>? chain = CertificateInfo.ParseChain(msg.Body.Span, out error);
                if (chain is null) break;
                string first = chain.Count > 0 ? chain[0].Subject : "(empty)";
                Event(time, st.Direction, msg.Offset, msg.WireLength, Layer.Tls, EventKinds.TlsCertificate,
                    $"TLS Certificate from the {st.Sender.WireName()}: {chain.Count} certificate(s), {first}",
                    TlsDetails.Certificates(chain), bytes);
                return;
            default:
                Event(time, st.Direction, msg.Offset, msg.WireLength, Layer.Tls, EventKinds.TlsHandshake,
                    $"TLS {name} from the {st.Sender.WireName()} ({msg.Body.Length} bytes)", null, bytes);
                return;
        }
        malformedTlsSeen = true;
        Event(time, st.Direction, msg.Offset, msg.WireLength, Layer.Tls, EventKinds.TlsHandshake,
            $"TLS {name} from the {st.Sender.WireName()} (malformed: {error})", null, bytes);
        Finding(FindingCatalog.TlsMalformedHandshake, st.Sender, time, st.Direction, msg.Offset, bytes,
            $"{st.Sender.WireName()}'s {name} is malformed: {error}",
            $"The {name} message's fields do not add up ({error}). The peer's TLS stack will answer with a decode_error alert or close. "
            + "The sender's TLS implementation is broken, or the bytes were altered in transit.");
    }

    private void OnClientHello(DirectionState st, ClientHelloInfo hello, long offset, long length, ReadOnlySpan<byte> bytes, Timestamp time)
    {
        clientHello = hello;
        ClientHelloProfile profile = ClientHelloProfile.Of(hello);
        string summary = $"TLS ClientHello{(hello.IsSslV2Format ? " (SSLv2 format)" : "")}: {profile.VersionsDescription}, "
            + $"{hello.CipherSuites.Length} suites, {hello.Extensions.Count} extensions"
            + (hello.ServerName is { } sni ? $", SNI {sni}" : "");
        Event(time, st.Direction, offset, length, Layer.Tls, EventKinds.TlsClientHello, summary, TlsDetails.ClientHello(hello, profile), bytes);

        if (profile.HighestVersion < 0x0303 && !TlsRegistry.IsGrease(profile.HighestVersion))
        {
            Finding(FindingCatalog.TlsLegacyVersionOnly, Side.Client, time, st.Direction, offset, bytes,
                $"client offers {TlsRegistry.VersionName(profile.HighestVersion)} at best",
                hello.DescribeOffer() + " "
                + "RFC 8996 deprecates TLS 1.0 and 1.1. Servers built on OpenSSL 3 refuse them at the default security level "
                + "(they need SHA-1/MD5 signatures), and most FTP servers now default to TLS 1.2 or later, so expect a protocol_version or internal_error alert, "
                + "or a plaintext error reply. Enable TLS 1.2 in the client's TLS configuration. "
                + $"Client fingerprint: JA3 {profile.Ja3Hash}, JA4 {profile.Ja4}.");
        }
    }

    private void HandleSslV2Hello(DirectionState st, TlsRecord rec, byte[] bytes, Timestamp time)
    {
        ClientHelloInfo? hello = ClientHelloParser.ParseSslV2(rec.Payload.Span, out string? error);
        if (hello is null)
        {
            malformedTlsSeen = true;
            // Framing is lost with it: what follows is counted, not decoded (one finding, not a cascade).
            st.Mode = DecodeMode.Opaque;
            Finding(FindingCatalog.TlsMalformedRecord, st.Sender, time, st.Direction, rec.Offset, bytes,
                $"SSLv2-format record from the {st.Sender.WireName()} is not a ClientHello: {error}",
                "The first record had the SSLv2 header form (high bit set) but does not hold a valid SSLv2 ClientHello, so these bytes are neither TLS nor FTP. "
                + "The rest of this direction is counted, not decoded.");
            return;
        }
        Finding(FindingCatalog.TlsSslv2Hello, Side.Client, time, st.Direction, rec.Offset, bytes,
            "client sent an SSLv2-format ClientHello",
            "The ClientHello uses the SSL 2.0 record format (RFC 6101 Appendix E, RFC 5246 Appendix E.2), which very old stacks send for compatibility. "
            + "OpenSSL 1.1 and later, and most current servers, reject it outright. "
            + $"It offers up to {TlsRegistry.VersionName(hello.LegacyVersion)} with {hello.SslV2CipherKinds.Length} cipher kinds. Configure the client to send a TLS-format hello (disable SSLv2/SSLv3 compatibility).");
        OnClientHello(st, hello, rec.Offset, rec.HeaderLength + rec.Length, bytes, time);
    }

    private void OnServerHello(DirectionState st, ServerHelloInfo sh, HandshakeMessage msg, ReadOnlySpan<byte> bytes, Timestamp time)
    {
        string who = st.Sender.WireName();
        if (sh.IsHelloRetryRequest)
        {
            helloRetrySeen = true;
            Event(time, st.Direction, msg.Offset, msg.WireLength, Layer.Tls, EventKinds.TlsServerHello,
                $"TLS HelloRetryRequest from the {who}: {TlsRegistry.CipherSuiteName(sh.CipherSuite)}", TlsDetails.ServerHello(sh), bytes);
            return;
        }
        serverHello = sh;
        Event(time, st.Direction, msg.Offset, msg.WireLength, Layer.Tls, EventKinds.TlsServerHello,
            $"TLS ServerHello: {TlsRegistry.VersionName(sh.Version)}, {TlsRegistry.CipherSuiteName(sh.CipherSuite)}", TlsDetails.ServerHello(sh), bytes);
        if (sh.DowngradeSentinel is { } below)
        {
            Finding(FindingCatalog.TlsDowngradeSignal, Side.Server, time, st.Direction, msg.Offset, bytes,
                $"server negotiated {TlsRegistry.VersionName(sh.Version)} but signals it supports TLS 1.3",
                $"The ServerHello random ends with the RFC 8446 §4.1.3 downgrade sentinel for {below}: the server could use TLS 1.3, "
                + "but the client offered no newer version. Enabling TLS 1.3 (or 1.2) in the client would give a stronger session.");
        }
        // Last: resetting the reassembler gives back the buffer that bytes and msg are read from.
        if (sh.Version >= 0x0304 && !TlsRegistry.IsGrease(sh.Version))
        {
            tls13 = true;
            server.Encrypted = true;
            client.Encrypted = true;
            server.Handshakes.Reset();
        }
    }

    private void HandleAlert(DirectionState st, AlertInfo alert, TlsRecord rec, byte[] bytes, Timestamp time)
    {
        st.LastAlert = alert;
        if (alert.IsFatal) fatalAlertSeen = true;
        string who = st.Sender.WireName();
        Event(time, st.Direction, rec.Offset, rec.HeaderLength + rec.Length, Layer.Tls, EventKinds.TlsAlert,
            $"TLS alert from the {who}: {alert}", TlsDetails.Alert(alert), bytes);

        var explanation = new StringBuilder();
        explanation.Append(CultureInfo.InvariantCulture, $"The {who} sent a {alert.LevelName} alert: ").Append(TlsDiagnosis.AlertMeaning(alert));
        bool duringHandshake = !HandshakeComplete;
        if (alert.IsFatal && st == server && clientHello is null && !client.Active)
        {
            explanation.Append(" The client had sent nothing: the server sent this alert while waiting for a ClientHello that never came (it reacts to the client closing), "
                + "so the server expected TLS from the first byte.");
        }
        else if (alert.IsFatal && duringHandshake && st == server)
        {
            if (clientHello is not null) explanation.Append(' ').Append(clientHello.DescribeOffer());
            List<string> causes = TlsDiagnosis.LikelyCauses(clientHello, alert, null);
            if (causes.Count > 0) explanation.Append(" Likely cause: ").Append(string.Join(" Also possible: ", causes));
            explanation.Append(" The server's TLS log names the exact reason.");
        }
        else if (alert.IsFatal && duringHandshake)
        {
            explanation.Append(" The client aborted the handshake; its own TLS log or error message names the exact reason (often the server's certificate is not trusted).");
        }
        if (dataRole && alert.IsFatal && duringHandshake && st == server && clientHello is null)
        {
            // RFC 4217 §7: the FTP client must start TLS on the data connection; it never did.
            DataTlsFailed(time, st.Direction, rec.Offset, bytes, $"the client never sent a ClientHello on the data connection; the server gave up with alert {alert}",
                "With PROT P the FTP client must start the TLS handshake on every data connection, whichever side opened it (RFC 4217 §7). "
                + "This client opened or accepted the data connection and then sent nothing, until the server stopped waiting. "
                + "The client does not start TLS on this kind of data connection (curl 7.88 in active mode with --ssl-reqd is known to hang like this); "
                + "use passive mode, or update the client.", Side.Client);
            return;
        }
        if (dataRole && alert.IsFatal && duringHandshake)
        {
            DataTlsFailed(time, st.Direction, rec.Offset, bytes, $"TLS handshake on the data connection failed: the {who} sent alert {alert}", explanation.ToString());
            return;
        }
        Finding(FindingCatalog.TlsAlert, st.Sender, time, st.Direction, rec.Offset, bytes,
            $"{who} sent TLS alert {alert}",
            explanation.ToString(),
            severity: alert.IsFatal ? Severity.Error : Severity.Info);
    }

    /// <summary>Bytes where a TLS record header belonged are not one.</summary>
    private void NotTls(DirectionState st, byte[] prefix, long at, Timestamp time)
    {
        if (dataRole)
        {
            DataNotTls(st, prefix, at, time);
            return;
        }
        if (!LooksLikeText(prefix))
        {
            st.Mode = DecodeMode.Opaque;
            malformedTlsSeen = true;
            Finding(FindingCatalog.TlsMalformedRecord, st.Sender, time, st.Direction, at, prefix,
                $"{st.Sender.WireName()} sent bytes that are not a TLS record: {TlsDiagnosis.Hex(prefix)}",
                TlsDiagnosis.MisreadHeader(prefix) + " These bytes are neither a valid TLS record header (RFC 8446 §5.1) nor FTP text. "
                + "The peer's TLS stack will fail on them. The rest of this direction is counted, not decoded.");
            return;
        }

        st.Records = new TlsRecordReader(allowSslV2: st == client);
        st.Handshakes.Reset();
        st.Mode = DecodeMode.Ftp;
        DirectionState peer = Other(st);
        // After CCC (RFC 4217 §6) the client speaks plaintext first and the server answers;
        // a server may also lead when it closed TLS visibly (an alert record) first. A server
        // that writes plaintext into a live TLS session on its own has broken TLS instead
        // (vsftpd's "500 OOPS" after a failure behind the login does this).
        bool cccLike = st == client || peer.ReturnedToPlaintext || st.SentEncryptedAlert || st.LastAlert is { Description: 0 };
        if (HandshakeComplete && cccLike)
        {
            // A finished TLS session followed by plaintext: what Clear Command Channel does
            // (RFC 4217 §6), whether or not the close_notify alerts could be read.
            st.ReturnedToPlaintext = true;
            Event(time, st.Direction, at, 0, Layer.Session, EventKinds.SessionMode,
                $"{st.Sender.WireName()} continues in plaintext after the TLS session (CCC?)", null, default);
            if (peer.ReturnedToPlaintext && !cccReported)
            {
                cccReported = true;
                Finding(FindingCatalog.CccInferred, Side.Both, time, st.Direction, at, prefix,
                    "both sides left TLS and continue in plaintext: most likely CCC",
                    "Both sides ended the TLS session on the control connection and carried on in plaintext FTP. "
                    + "The TLS phase could not be read (no keys), but this is what a successful CCC (Clear Command Channel, RFC 4217 §6) looks like: "
                    + "commands and replies are readable again, data connections keep their own protection. Nothing is out of step.");
            }
        }
        else
        {
            st.FellBackToPlaintext = true;
            st.PendingFallback = new PlaintextFallback(prefix, at, time, st.LastAlert, HandshakeComplete);
        }
        Process(st, prefix, at, time);
    }

    /// <summary>The side that left TLS is in plaintext, the other still sends TLS application data.</summary>
    private void CheckCccDesync(DirectionState st, TlsRecord rec, Timestamp time)
    {
        DirectionState other = Other(st);
        if (cccDesyncReported || !other.ReturnedToPlaintext || st.ReturnedToPlaintext) return;
        cccDesyncReported = true;
        desyncReported = true;
        Finding(FindingCatalog.CccDesync, st.Sender, time, st.Direction, rec.Offset, RecordBytes(rec),
            $"{st.Sender.WireName()} still sends TLS records after the {other.Sender.WireName()} returned to plaintext",
            $"The {other.Sender.WireName()} ended TLS on the control connection and speaks plaintext FTP (as after CCC, RFC 4217 §6), "
            + $"but the {st.Sender.WireName()} keeps sending encrypted records. Each side now misreads the other: "
            + "the plaintext side sees binary garbage, the TLS side a bad record. Disable CCC on the client, or fix the side that did not follow it.");
    }

    /// <summary>A line in FTP mode starts with a TLS record header or an SSLv2 hello.</summary>
    private void TlsFoundWhereFtpExpected(DirectionState st, long at, Timestamp time)
    {
        string who = st.Sender.WireName();
        if (at == 0 && st.First == FirstBytes.Unknown)
        {
            st.First = FirstBytes.Tls;
            Event(time, st.Direction, 0, 0, Layer.Session, EventKinds.SessionMode, $"{who} speaks TLS from its first byte", null, default);
            CheckImplicitMode(time);
        }
        else if (st == client && authAccepted)
        {
            Event(time, st.Direction, at, 0, Layer.Session, EventKinds.SessionMode, "client starts TLS", null, default);
        }
        else if (client.GapSeen || server.GapSeen)
        {
            // Bytes are missing: the AUTH exchange may be among them, so this is no evidence of a desync.
            Event(time, st.Direction, at, 0, Layer.Session, EventKinds.SessionMode,
                $"{who} starts TLS (bytes before it are missing, so whether AUTH was accepted is unknown)", null, default);
        }
        else if (st == client && lastAuthRefused)
        {
            desyncReported = true;
            FlushDeferredRefusal();
            Finding(FindingCatalog.TlsAfterAuthRefused, Side.Client, time, st.Direction, at, default,
                "client started TLS although the server refused AUTH",
                "The server refused AUTH, so it still reads the control connection as plaintext FTP commands, but the client sent a TLS ClientHello anyway "
                + "(openssl s_client -starttls ftp does this). The server will answer the binary bytes with 500 errors and the client's TLS stack will fail on those replies "
                + "(\"wrong version number\" in OpenSSL). Enable TLS on the server, or stop the client from forcing TLS.");
        }
        else
        {
            desyncReported = true;
            Finding(FindingCatalog.TlsWithoutAuth, st.Sender, time, st.Direction, at, default,
                $"{who} sent TLS on the control connection where plaintext FTP was expected",
                $"The {who} started a TLS record at offset {at} although no AUTH was accepted (RFC 4217 §4 needs AUTH TLS answered by 234 first). "
                + "The peer reads the record as FTP text and answers with errors or closes. "
                + "Typical causes: a client configured for implicit FTPS reconnecting mid-session, or a proxy that stripped the AUTH exchange.");
        }
        if (st == client && !authAccepted)
        {
            // Let the server's error replies pair with the bytes that caused them.
            AddPending(new PendingCommand(null, "(TLS record)", at, at, time), time);
        }
    }

    /// <summary>Implicit FTPS (TLS from the first byte) on one side, plaintext FTP on the other.</summary>
    private void CheckImplicitMode(Timestamp time)
    {
        if (implicitChecked || client.First == FirstBytes.Unknown || server.First == FirstBytes.Unknown) return;
        implicitChecked = true;
        if (client.First == FirstBytes.Tls && server.First == FirstBytes.Tls)
        {
            Event(time, null, 0, 0, Layer.Session, EventKinds.SessionMode, "implicit FTPS: TLS from the first byte on both sides", null, default);
            return;
        }
        if (client.First == server.First) return;
        desyncReported = true;
        bool clientImplicit = client.First == FirstBytes.Tls;
        Finding(FindingCatalog.ImplicitExplicitMismatch, Side.Both, time, clientImplicit ? Direction.ClientToServer : Direction.ServerToClient, 0, default,
            clientImplicit
                ? "client speaks TLS from its first byte (implicit FTPS) but the server greets in plaintext FTP"
                : "server speaks TLS from its first byte but the client speaks plaintext FTP",
            clientImplicit
                ? "The client expects implicit FTPS (TLS at connect, usually port 990) while the server is a plaintext or explicit-FTPS server (usually port 21) that sent a 220 greeting. "
                  + "The server reads the ClientHello as garbage commands; the client's TLS stack reads \"220 ...\" as a record header and fails (\"wrong version number\", \"Content Type 50 is not supported\"). "
                  + "Use explicit FTPS (AUTH TLS, e.g. curl --ssl-reqd ftp://, lftp ftp:ssl-force) against this port, or point the implicit client at the server's implicit port."
                : "The server expects implicit FTPS while the client speaks plaintext FTP. Point the client at the server's explicit port, or configure it for implicit FTPS (ftps://).");
    }

    private void EmitPlaintextAfterAuth(DirectionState st, PlaintextFallback fallback, string lineText, ReadOnlySpan<byte> lineBytes, Timestamp time)
    {
        desyncReported = true;
        string who = st.Sender.WireName();
        string peer = Other(st).Sender.WireName();
        byte[] evidence = lineBytes.Length >= fallback.FirstBytes.Length ? lineBytes.ToArray() : fallback.FirstBytes;
        var sb = new StringBuilder();
        if (fallback.AfterHandshake)
        {
            sb.Append(CultureInfo.InvariantCulture, $"The TLS session on the control connection was established, then the {who} wrote plaintext FTP into it without closing TLS first: \"{lineText}\". ");
            if (st == server)
            {
                sb.Append("Servers do this when the session process fails behind the login and its error message bypasses TLS (vsftpd's \"500 OOPS: ...\" lines, e.g. a user whose home directory does not exist). "
                    + "If the client had just sent CCC, this is instead a CCC the client did not follow. ");
            }
        }
        else if (st == server)
        {
            sb.Append("After the server accepted AUTH with 234, ");
            sb.Append(clientHello is not null ? "the client started the TLS handshake, " : "TLS was required on the control connection, ");
            if (fallback.AlertBefore is { } a)
            {
                sb.Append(CultureInfo.InvariantCulture, $"the server sent a TLS alert {a} and then ");
            }
            else
            {
                sb.Append("but the server ");
            }
            sb.Append(CultureInfo.InvariantCulture, $"answered in plaintext FTP: \"{lineText}\". ");
        }
        else
        {
            sb.Append(CultureInfo.InvariantCulture, $"After the server accepted AUTH with 234, the client sent plaintext FTP (\"{lineText}\") instead of a TLS ClientHello: it never started TLS. ");
        }
        sb.Append(TlsDiagnosis.MisreadHeader(fallback.FirstBytes)).Append(' ');
        sb.Append(TlsDiagnosis.StackErrorsForPlaintext(fallback.FirstBytes)).Append(' ');
        if (st == server)
        {
            sb.Append(fallback.AfterHandshake
                ? "The server's own log holds the reason for the error message. "
                : "What it usually means: the server's TLS handshake failed and it fell back to a plaintext FTP reply, so the real cause is in the server's TLS log "
                + "(ProFTPD: TLSLog; vsftpd: debug_ssl=YES with log_ftp_protocol; pure-ftpd: syslog). ");
            if (!fallback.AfterHandshake && client.LastAlert is { IsFatal: true } clientAlert)
            {
                sb.Append(CultureInfo.InvariantCulture, $"But here the client aborted the handshake first, with a fatal {clientAlert.DescriptionName} alert ({TlsDiagnosis.AlertMeaning(clientAlert)}); ")
                  .Append("the server's plaintext reply is its reaction to that, not the cause. Fix the client's reason: for a certificate alert, add the server's CA to the client's trust store or give the server a certificate the client trusts.");
            }
            else if (!fallback.AfterHandshake)
            {
                if (clientHello is not null) sb.Append(clientHello.DescribeOffer()).Append(' ');
                List<string> causes = TlsDiagnosis.LikelyCauses(clientHello, fallback.AlertBefore, lineText);
                if (causes.Count > 0) sb.Append("Likely cause: ").Append(string.Join(" Also: ", causes));
            }
        }
        else
        {
            sb.Append("The client's FTPS setting does not match what it asked for: it sent AUTH but does not start TLS. Check its TLS configuration, or stop it sending AUTH.");
        }
        Finding(FindingCatalog.PlaintextAfterAuth, st.Sender, time, st.Direction, fallback.Offset, evidence,
            $"{who} sent plaintext \"{Shorten(lineText)}\" where TLS was required; the {peer}'s TLS stack reads it as content type {fallback.FirstBytes[0]} (0x{fallback.FirstBytes[0]:X2})",
            sb.ToString().TrimEnd());
    }

    private static bool LooksLikeText(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            if (b is not ((>= 0x20 and < 0x7F) or (byte)'\r' or (byte)'\n' or (byte)'\t')) return false;
        }
        return bytes.Length > 0;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    private byte[] RecordBytes(TlsRecord rec)
    {
        int keep = Math.Min(rec.Payload.Length, Math.Max(0, KeptBytes - 5));
        var bytes = new byte[rec.HeaderLength + keep];
        if (rec.ContentType == TlsRecordReader.SslV2ContentType)
        {
            bytes[0] = (byte)(0x80 | (rec.Length >> 8));
            bytes[1] = (byte)rec.Length;
        }
        else
        {
            bytes[0] = rec.ContentType;
            bytes[1] = (byte)(rec.Version >> 8);
            bytes[2] = (byte)rec.Version;
            bytes[3] = (byte)(rec.Length >> 8);
            bytes[4] = (byte)rec.Length;
        }
        rec.Payload.Span[..keep].CopyTo(bytes.AsSpan(rec.HeaderLength));
        return bytes;
    }

    /// <summary>A message's bytes, header first, as much as is kept, read in place from the reassembler.</summary>
    private ReadOnlySpan<byte> HandshakeBytes(HandshakeMessage msg) => msg.Wire.Span[..Math.Min(msg.Wire.Length, Math.Max(4, KeptBytes))];

    // A record's detail depends only on its header, and on a busy control channel the same few
    // headers repeat thousands of times: built once and shared (details are never changed after
    // they are emitted). Bounded, since a hostile stream can vary every header.
    private static readonly BoundedCache<long, DetailNode> RecordDetails = new(MaxRecordDetails);
    private const int MaxRecordDetails = 4096;

    private static DetailNode RecordDetail(TlsRecord rec) =>
        RecordDetails.Get(((long)rec.ContentType << 40) | ((long)rec.Version << 24) | (uint)rec.Length, rec, BuildRecordDetail);

    // The summary of an encrypted record on the control channel, the commonest event there, by the
    // same reasoning and bound as the details above.
    private static readonly BoundedCache<int, string> AppDataSummaries = new(MaxRecordDetails);

    private static string AppDataSummary(Side sender, int length) =>
        AppDataSummaries.Get((sender == Side.Client ? 1 << 24 : 0) | length, (sender, length),
            static s => $"TLS application data from the {s.sender.WireName()}, {s.length} bytes (encrypted)");

    private static DetailNode BuildRecordDetail(TlsRecord rec)
    {
        var d = DetailNode.Object("tls_record");
        d.Add("content_type", TlsDetails.ContentType(rec.ContentType));
        d.Add("version", TlsDetails.Version(rec.Version));
        d.Add("length", rec.Length);
        return d.MarkShared();
    }
}
