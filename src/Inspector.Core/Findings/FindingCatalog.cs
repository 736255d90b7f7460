using System.Collections.Frozen;

namespace Inspector.Core.Findings;

/// <summary>
/// Every finding name Inspector can emit. The names are a public contract, like Zeek's weird
/// names or Suricata's event names: add new ones, never rename or reuse one.
/// </summary>
public static class FindingCatalog
{
    // FTPS: the control channel's switch to TLS (RFC 4217) and back (CCC, RFC 4217 §6).
    public const string PlaintextAfterAuth = "ftps.plaintext_after_auth";
    public const string ImplicitExplicitMismatch = "ftps.implicit_explicit_mismatch";
    public const string TlsWithoutAuth = "ftps.tls_without_auth";
    public const string AuthRefused = "ftps.auth_refused";
    public const string TlsAfterAuthRefused = "ftps.tls_after_auth_refused";
    public const string HandshakeNotStarted = "ftps.handshake_not_started";
    public const string ProtWithoutPbsz = "ftps.prot_without_pbsz";
    public const string CccDesync = "ftps.ccc_desync";
    public const string CccInferred = "ftps.ccc_inferred";
    public const string CredentialsInClear = "ftps.credentials_in_clear";

    // FTP data connections (RFC 959 §3.2-3.3, RFC 2428, RFC 4217 §7-§10).
    public const string DataProtectionMismatch = "ftps.data_protection_mismatch";
    public const string DataTlsFailed = "ftps.data_tls_failed";
    public const string SessionReuseRequired = "ftps.session_reuse_required";
    public const string DataConnectionMissing = "ftp.data_connection_missing";
    public const string PasvAddressMismatch = "ftp.pasv_address_mismatch";
    public const string TransferSizeMismatch = "ftp.transfer_size_mismatch";

    // TLS (RFC 5246, RFC 8446, RFC 6101).
    public const string TlsAlert = "tls.alert";
    public const string TlsLegacyVersionOnly = "tls.legacy_version_only";
    public const string TlsMalformedRecord = "tls.malformed_record";
    public const string TlsMalformedHandshake = "tls.malformed_handshake";
    public const string TlsHandshakeIncomplete = "tls.handshake_incomplete";
    public const string TlsSslv2Hello = "tls.sslv2_hello";
    public const string TlsDowngradeSignal = "tls.downgrade_signal";
    public const string TlsLostSync = "tls.lost_sync";

    // FTP control channel (RFC 959).
    public const string FtpMalformedReply = "ftp.malformed_reply";
    public const string FtpMalformedCommand = "ftp.malformed_command";
    public const string FtpNotFtp = "ftp.not_ftp";
    public const string FtpMalformedEndpoint = "ftp.malformed_endpoint";
    public const string FtpReplyWithoutCommand = "ftp.reply_without_command";
    public const string FtpLineTooLong = "ftp.line_too_long";
    public const string FtpReplyTooLong = "ftp.reply_too_long";
    public const string FtpBareLf = "ftp.bare_lf";
    public const string FtpUnterminatedLine = "ftp.unterminated_line";
    public const string FtpPendingLimit = "ftp.pending_limit";
    public const string FtpStalled = "ftp.stalled";

    // TCP, emitted by the stream sources (capture reassembly, proxy).
    public const string TcpGap = "tcp.gap";
    public const string TcpMidstream = "tcp.midstream";
    public const string TcpOverlapMismatch = "tcp.overlap_mismatch";
    public const string TcpSnaplenTruncated = "tcp.snaplen_truncated";
    public const string TcpBufferLimit = "tcp.buffer_limit";

    // Inspector itself, and the relay.
    public const string AnalysisOverflow = "inspector.analysis_overflow";
    public const string ProxyUpstreamFailed = "proxy.upstream_failed";
    public const string ProxySessionLimit = "proxy.session_limit";
    public const string ProxyIdleTimeout = "proxy.idle_timeout";
    public const string ProxyStopped = "proxy.stopped";
    public const string ProxyDataNotRelayed = "proxy.data_not_relayed";
    public const string ProxyDataRefused = "proxy.data_refused";
    public const string ProxyDataMissing = "proxy.data_missing";
    public const string ProxyDataConnectFailed = "proxy.data_connect_failed";
    public const string ProxyNotRedirected = "proxy.not_redirected";
    public const string ProxyRedirectLoop = "proxy.redirect_loop";

    public static IReadOnlyList<FindingDefinition> All { get; } =
    [
        new(PlaintextAfterAuth, Severity.Error, "Plaintext where TLS was required",
            "After AUTH was accepted (234), one side sent bytes that are not a TLS record. The peer's TLS stack reads the first five bytes as a record header and fails with a confusing error (for \"550 T\": content type 53). Usually the server's TLS handshake failed and it fell back to a plaintext FTP reply: the server's TLS log holds the real cause."),
        new(ImplicitExplicitMismatch, Severity.Error, "Implicit and explicit FTPS mixed",
            "One side speaks TLS from the first byte (implicit FTPS, usually port 990) while the other speaks plaintext FTP (explicit FTPS or plain FTP, usually port 21). Configure both for the same mode."),
        new(TlsWithoutAuth, Severity.Error, "TLS without AUTH",
            "A side sent TLS records on the control connection where plaintext FTP was expected and no AUTH had been accepted (RFC 4217 §4 requires AUTH TLS and a 234 reply first)."),
        new(AuthRefused, Severity.Warning, "AUTH refused",
            "The server refused AUTH TLS/SSL with a 4xx/5xx reply: TLS is not enabled or not offered on this server or for this mechanism name."),
        new(TlsAfterAuthRefused, Severity.Error, "TLS after AUTH was refused",
            "The client started TLS although the server refused AUTH: the server reads the ClientHello as an FTP command and answers with errors."),
        new(HandshakeNotStarted, Severity.Error, "234 but no TLS handshake",
            "The server accepted AUTH (234) but the client never sent a ClientHello: it fell silent or closed the connection. The client's TLS setup failed locally (key ring, certificate store, cipher or protocol settings)."),
        new(ProtWithoutPbsz, Severity.Warning, "PROT without PBSZ",
            "The client sent PROT before PBSZ. RFC 4217 §9 and RFC 2228 require PBSZ first; strict servers (pyftpdlib) answer 503."),
        new(CccDesync, Severity.Error, "CCC out of step",
            "One side returned the control connection to plaintext (Clear Command Channel, RFC 4217 §6) while the other kept sending TLS records."),
        new(CccInferred, Severity.Info, "Control channel returned to plaintext (likely CCC)",
            "Both sides closed TLS on the control connection with alert records and continued in plaintext FTP: this is what a successful CCC looks like when the TLS phase cannot be read."),
        new(CredentialsInClear, Severity.Warning, "Credentials sent in plaintext",
            "USER/PASS crossed the network unencrypted although the server offered or demanded TLS, or after AUTH was accepted."),
        new(DataProtectionMismatch, Severity.Error, "Data connection protection differs from PROT",
            "The data connection was plaintext although PROT P was accepted, or TLS although the protection level was C (RFC 4217 §9). The peer expecting the other kind fails the transfer."),
        new(DataTlsFailed, Severity.Error, "TLS failed on the data connection",
            "The TLS handshake on a data connection did not complete: an alert, a close, or a plaintext answer to the ClientHello. The control connection may be fine while every transfer fails."),
        new(SessionReuseRequired, Severity.Warning, "Server requires TLS session reuse on data connections",
            "The server closed a data connection whose ClientHello offered no resumption of the control connection's TLS session, as vsftpd (require_ssl_reuse) and ProFTPD (without NoSessionReuseRequired) do (RFC 4217 §10 allows servers to demand it)."),
        new(DataConnectionMissing, Severity.Warning, "Data connection not seen",
            "A transfer was started (150/125) or a data endpoint announced (PASV/EPSV/PORT/EPRT) but no matching data connection was seen: it never came (firewall, NAT, wrong address), or the capture does not include it."),
        new(PasvAddressMismatch, Severity.Warning, "Passive address differs from the server's address",
            "The PASV reply names an address other than the one the client reached the server at: typically a private address of a server behind NAT that has no external address configured."),
        new(TransferSizeMismatch, Severity.Warning, "Transfer size differs from the announced size",
            "The bytes on a plaintext binary data connection differ from the size the server announced (SIZE reply or the 150 reply): the transfer was cut short or the file changed."),
        new(TlsAlert, Severity.Error, "TLS alert",
            "A TLS alert record (RFC 8446 §6, RFC 5246 §7.2). Fatal alerts end the connection and name the reason; warning alerts (such as close_notify) are informational."),
        new(TlsLegacyVersionOnly, Severity.Warning, "Client offers only TLS 1.1 or older",
            "The client's best TLS version is below TLS 1.2. RFC 8996 deprecates TLS 1.0 and 1.1; servers on OpenSSL 3 and current defaults refuse them."),
        new(TlsMalformedRecord, Severity.Error, "Malformed TLS record",
            "Bytes where a TLS record was expected are neither a valid record header nor plaintext FTP."),
        new(TlsMalformedHandshake, Severity.Error, "Malformed TLS handshake message",
            "A handshake message's fields do not add up (lengths run past their end, or a required field is missing)."),
        new(TlsHandshakeIncomplete, Severity.Warning, "TLS handshake did not complete",
            "A TLS handshake started but the connection ended or fell silent before both sides finished it."),
        new(TlsSslv2Hello, Severity.Warning, "SSLv2-format ClientHello",
            "The client sent an SSL 2.0 compatible ClientHello (RFC 6101 Appendix E, RFC 5246 Appendix E.2). Current TLS stacks (OpenSSL 1.1 and later) reject it."),
        new(TlsDowngradeSignal, Severity.Info, "Server signals a TLS downgrade",
            "The ServerHello random ends with the RFC 8446 §4.1.3 downgrade sentinel: the server supports a newer TLS version than it negotiated because the client offered no newer one."),
        new(TlsLostSync, Severity.Warning, "TLS record boundaries lost",
            "After missing bytes the TLS record boundaries could not be found again; the rest of this direction is counted, not decoded."),
        new(FtpMalformedReply, Severity.Warning, "Malformed FTP reply",
            "A server line is not an FTP reply (RFC 959 §4.2: three digits then a space or hyphen)."),
        new(FtpMalformedCommand, Severity.Warning, "Malformed FTP command",
            "A client line is not an FTP command (RFC 959 §5.3: an alphabetic verb, optionally a space and an argument)."),
        new(FtpNotFtp, Severity.Warning, "Not FTP",
            "Many lines in a row from one side were not FTP commands or replies; the rest of that direction is counted, not decoded."),
        new(FtpMalformedEndpoint, Severity.Warning, "Malformed data-connection address",
            "A PASV/EPSV reply or PORT/EPRT command whose address cannot be parsed (RFC 959 §4.1.2, RFC 2428)."),
        new(FtpReplyWithoutCommand, Severity.Warning, "Reply without a command",
            "The server sent a final reply when no command was waiting for one: the two sides disagree on where they are in the conversation."),
        new(FtpLineTooLong, Severity.Warning, "Line too long",
            "A control-channel line exceeded the line length limit; the rest of it was skipped to the next line end."),
        new(FtpReplyTooLong, Severity.Warning, "Reply too long",
            "A multi-line reply exceeded the reply line limit; it was closed early."),
        new(FtpBareLf, Severity.Info, "Line ended by LF alone",
            "RFC 959 §4.1 and §4.2 end every line with CRLF. A peer that waits for CR may hang."),
        new(FtpUnterminatedLine, Severity.Info, "Unterminated line at close",
            "The sender closed its side with a partial line that never got its line end."),
        new(FtpPendingLimit, Severity.Warning, "Too many unanswered commands",
            "More commands were waiting for replies than the pending-command limit; the oldest were dropped from pairing."),
        new(FtpStalled, Severity.Warning, "Both sides silent",
            "Neither side sent anything for longer than the stall timeout while the protocol was waiting on one of them."),
        new(TcpGap, Severity.Warning, "Bytes missing from the stream",
            "Part of a TCP stream was not captured (loss, capture drops, or the analysis queue overflowed); decoders resynchronise where they can."),
        new(TcpMidstream, Severity.Info, "Connection seen from its middle",
            "The capture started after the connection opened, so its start (and maybe who is client and server) was inferred."),
        new(TcpOverlapMismatch, Severity.Warning, "Retransmission with different bytes",
            "Two copies of the same TCP sequence range carried different bytes; one copy was used and the other reported."),
        new(TcpSnaplenTruncated, Severity.Info, "Packets cut by the snap length",
            "The capture kept only the first bytes of some packets (tcpdump -s). The peers sent them whole; the missing bytes cannot be decoded."),
        new(TcpBufferLimit, Severity.Warning, "Out-of-order buffer limit reached",
            "More out-of-order bytes waited for a missing segment than the per-connection limit allows; the hole was declared a gap so decoding could go on."),
        new(AnalysisOverflow, Severity.Warning, "Analysis fell behind",
            "The analysis queue overflowed and skipped bytes; the relayed bytes themselves are intact."),
        new(ProxyUpstreamFailed, Severity.Error, "Upstream server unreachable",
            "The relay could not connect to the upstream server (refused, reset, name not found, or no answer within the connect timeout); the client's connection was closed."),
        new(ProxySessionLimit, Severity.Warning, "Relay session limit reached",
            "The relay already carried its maximum number of sessions, so it closed this client's connection at once (raise --max-sessions if the load is expected)."),
        new(ProxyIdleTimeout, Severity.Info, "Relay closed an idle session",
            "Neither side sent anything for the idle timeout, so the relay closed both connections."),
        new(ProxyStopped, Severity.Warning, "Relay stopped during a session",
            "The relay was stopped (Ctrl-C or SIGTERM) while this session was still open. It reset both connections, so neither client nor server can mistake the cut for a normal end; a transfer in progress is incomplete."),
        new(ProxyDataNotRelayed, Severity.Info, "Data connections not relayed",
            "With --data relay the relay rewrites PASV/EPSV replies and PORT/EPRT commands so data connections run through it, which needs a plaintext control channel. Here it could not (the control channel is encrypted, or the announcement could not name the relay), so these data connections go directly between client and server and are not analysed. Use plain FTP to see them through the relay, or capture with `inspector live`."),
        new(ProxyDataRefused, Severity.Warning, "Unexpected peer on a data listener",
            "A connection reached a data listener the relay had opened for this session from an address other than the peer that should use it (the client for PASV/EPSV, the server for PORT/EPRT); the relay reset it and kept waiting for the expected peer (RFC 2577: data port theft)."),
        new(ProxyDataMissing, Severity.Info, "Announced data connection never came",
            "The relay listened for a data connection announced on the control channel, but no connection came within the accept timeout, so it closed the listener. Usually the client changed its mind (another PASV, an aborted command)."),
        new(ProxyDataConnectFailed, Severity.Error, "Relay could not open a data connection",
            "A peer connected to the relay's data listener, but the relay could not connect onward to the endpoint the other peer announced (refused or no answer within the connect timeout), so it reset the data connection. Check that the announced address is reachable from the relay (a server behind NAT may announce a private address)."),
        new(ProxyNotRedirected, Severity.Warning, "Client not redirected to the transparent relay",
            "In transparent mode (--transparent) the relay sends each connection to the destination the client originally asked for, which the kernel's NAT table remembers after a REDIRECT rule (SO_ORIGINAL_DST). This client connected to the relay's listen address directly, or the kernel had no NAT entry for it, so there was nowhere to relay it and it was closed. Let clients connect to the real server and redirect their traffic at the gateway (nftables `redirect to :PORT` in nat prerouting, see the README), or run the relay with --upstream instead of --transparent."),
        new(ProxyRedirectLoop, Severity.Error, "Redirect loop to the transparent relay",
            "The original destination of this connection is the relay itself, or the connection is the relay's own upstream connection redirected back to it. Relaying it would connect the relay to itself without end, so it was closed. Redirect only traffic arriving from other hosts (nat prerouting, not output), exclude the relay's own traffic and its listen port from the rule."),
    ];

    private static readonly FrozenDictionary<string, FindingDefinition> ByName =
        All.ToFrozenDictionary(d => d.Name, StringComparer.Ordinal);

    public static FindingDefinition Get(string name) =>
        ByName.TryGetValue(name, out FindingDefinition? d)
            ? d
            : throw new KeyNotFoundException($"finding '{name}' is not in the catalogue");

    public static bool Contains(string name) => ByName.ContainsKey(name);
}
