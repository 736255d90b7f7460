using System.Net;
using Inspector.Core.Tls;
using System.Runtime.InteropServices;
using System.Text;
using Inspector.Core.Findings;
using Inspector.Core.Ftp;
using Inspector.Core.Model;
using Inspector.Core.Timeline;

namespace Inspector.Core.Analysis;

/// <summary>A command waiting for its reply (RFC 959 §4.2: zero or more 1xx, then one final reply).</summary>
internal sealed record PendingCommand(FtpCommand? Command, string Label, long Offset, long End, Timestamp Time)
{
    public string Verb => Command?.Verb ?? "";
    public IPEndPoint? Endpoint { get; set; }
}

// The FTP control channel: commands, replies, pairing, and the AUTH / PBSZ / PROT state (RFC 959,
// RFC 2228, RFC 4217).
public sealed partial class ConnectionAnalyzer
{
    private readonly Queue<PendingCommand> pending = new();
    private bool bannerSeen;
    private bool authAccepted;
    private bool clientSpokeAfterAuth;
    private Timestamp authAcceptedAt;
    private bool lastAuthRefused;
    private (FtpReply Reply, PendingCommand Command, long Offset, Timestamp Time)? deferredRefusal;
    private bool serverOffersTls;
    private bool tlsDemanded;
    private bool credentialsReported;
    private bool pbszSent;
    private const char UnknownProtection = '?';
    private char protLevel = 'C';
    private bool desyncReported;
    private bool pendingLimitReported;
    private bool implicitChecked;
    private char transferType = 'A';
    private bool pasvMismatchReported;
    private (string Path, long Size)? lastSize;

    private int StepFtp(DirectionState st, ReadOnlySpan<byte> data, long offset, Timestamp time)
    {
        // While the reader skips the rest of an over-long line, each further MaxLineLength bytes
        // without a line end count as one more line that is not FTP: a stream with no line ends
        // at all (binary, or a hostile peer's endless line) is given up as not FTP, as one of
        // short malformed lines is, instead of being scanned for an LF for ever. The bytes are
        // fed up to the next such boundary, so where that happens does not depend on chunking.
        long boundary = st.SkippedCountedTo + options.MaxLineLength;
        if (st.Lines.Skipping && offset + data.Length > boundary) data = data[..(int)(boundary - offset)];
        LineStatus status = st.Lines.Feed(data, offset, out int used);
        if (status == LineStatus.NeedMoreData && st.Lines.Skipping && offset + used == boundary)
        {
            st.SkippedCountedTo = offset + used;
            MalformedLine(st, offset + used, time);
        }
        switch (status)
        {
            case LineStatus.Line:
                // The line is read where the reader holds it, not copied: clearing only resets
                // the reader's length, and nothing feeds this direction's reader again before
                // the line is handled (a direction's bytes are processed in order, here).
                ReadOnlySpan<byte> raw = st.Lines.Line;
                long start = st.Lines.LineStart;
                st.Lines.Clear();
                HandleLine(st, raw, start, time);
                break;
            case LineStatus.TooLong:
                Finding(FindingCatalog.FtpLineTooLong, st.Sender, time, st.Direction, st.Lines.LineStart, st.Lines.Line,
                    $"{st.Sender.WireName()} line longer than {options.MaxLineLength} bytes",
                    $"A control-channel line from the {st.Sender.WireName()} exceeded the limit of {options.MaxLineLength} bytes without a line end. "
                    + "Either the peer is not speaking FTP here (another protocol, or TLS the decoder did not expect), or it is hostile. "
                    + "The rest of the line is skipped up to the next LF.");
                st.Lines.Clear();
                st.SkippedCountedTo = offset + used;
                MalformedLine(st, offset + used, time);
                break;
            case LineStatus.TlsDetected:
                byte[] prefix = st.Lines.Line.ToArray();
                long at = st.Lines.LineStart;
                st.Lines.Clear();
                TlsFoundWhereFtpExpected(st, at, time);
                st.Mode = DecodeMode.Tls;
                Process(st, prefix, at, time);
                break;
        }
        return used;
    }

    private void HandleLine(DirectionState st, ReadOnlySpan<byte> raw, long start, Timestamp time)
    {
        FtpLine line = FtpLine.Parse(raw);
        if (line.Terminator == LineTerminator.BareLf && !st.BareLfReported)
        {
            st.BareLfReported = true;
            Finding(FindingCatalog.FtpBareLf, st.Sender, time, st.Direction, start, raw,
                $"{st.Sender.WireName()} ends lines with LF alone",
                $"RFC 959 §4.1.1 and §4.2 end each control-channel line with CRLF, but the {st.Sender.WireName()} sent a bare LF. "
                + "Most servers accept it; a strict peer waits for the CR and the session hangs. Reported once per direction.");
        }
        if (start == 0 && st.First == FirstBytes.Unknown)
        {
            st.First = FirstBytes.Ftp;
            CheckImplicitMode(time);
        }
        int malformedBefore = st.MalformedRun;
        if (st == client) HandleCommandLine(line, raw, start, time);
        else HandleReplyLine(line, raw, start, time);
        if (st.MalformedRun == malformedBefore) st.MalformedRun = 0;
        else CheckNotFtp(st, start + raw.Length, time);

        if (st.PendingFallback is { } fallback)
        {
            st.PendingFallback = null;
            EmitPlaintextAfterAuth(st, fallback, line.Text, raw, time);
        }
    }

    /// <summary>A line that is not FTP (or MaxLineLength bytes of one too long) ended at <paramref name="offset"/>.</summary>
    private void MalformedLine(DirectionState st, long offset, Timestamp time)
    {
        st.MalformedRun++;
        CheckNotFtp(st, offset, time);
    }

    private void CheckNotFtp(DirectionState st, long offset, Timestamp time)
    {
        if (st.MalformedRun >= options.MaxMalformedLinesInARow && st.Mode == DecodeMode.Ftp) NotFtp(st, offset, time);
    }

    /// <summary>Too many lines in a row were not FTP: the rest of this direction is counted, not decoded.</summary>
    private void NotFtp(DirectionState st, long offset, Timestamp time)
    {
        st.Mode = DecodeMode.Opaque;
        string what = st == client ? "FTP commands" : "FTP replies";
        Finding(FindingCatalog.FtpNotFtp, st.Sender, time, st.Direction, offset, default,
            $"the {st.Sender.WireName()}'s stream is not FTP: {st.MalformedRun} lines in a row were not {what}",
            $"{st.MalformedRun} lines in a row from the {st.Sender.WireName()} were not {what} (RFC 959 §4.2, §5.3). "
            + "Another protocol is using this port, the two sides disagree about whether this connection is FTP or TLS, or the peer is hostile. "
            + "The rest of this direction is counted, not decoded.");
    }

    private void HandleCommandLine(FtpLine line, ReadOnlySpan<byte> raw, long start, Timestamp time)
    {
        CommandShape? shape = FtpEventShapes.Shared.Command(line, options.ShowPasswords);
        string telnet = line.TelnetCommands.Count > 0 ? $" [telnet {string.Join(", ", line.TelnetCommands)}]" : "";
        if (shape is null)
        {
            Event(time, Direction.ClientToServer, start, raw.Length, Layer.Ftp, EventKinds.FtpCommand,
                $"(not a command) {line.Text}{telnet}", null, raw);
            client.MalformedRun++;
            Finding(FindingCatalog.FtpMalformedCommand, Side.Client, time, Direction.ClientToServer, start, raw,
                "client sent a line that is not an FTP command",
                "RFC 959 §5.3 commands start with an alphabetic verb. This line does not, so the server will answer 500. "
                + "If this follows AUTH or comes where the client should speak TLS, the two sides disagree about the protocol in use.");
            AddPending(new PendingCommand(null, "(malformed line)", start, start + raw.Length, time), time);
            return;
        }

        FtpCommand cmd = shape.Command;
        ReadOnlySpan<byte> shown = cmd.Redacted ? RedactedLine(cmd, line.Terminator) : raw;
        Event(time, Direction.ClientToServer, start, raw.Length, Layer.Ftp, EventKinds.FtpCommand,
            telnet.Length == 0 ? shape.Summary : shape.Summary + telnet, shape.Detail, shown);

        // A new command means an earlier AUTH refusal was final (curl tries AUTH SSL, then AUTH TLS).
        if (cmd.Verb != "AUTH") FlushDeferredRefusal();

        var p = new PendingCommand(cmd, shape.Label, start, start + raw.Length, time);
        switch (cmd.Verb)
        {
            case "AUTH":
                deferredRefusal = null;
                lastAuthRefused = false;
                // RFC 4217 §4: the client's next bytes are TLS only if the reply is 234. Hold them until then.
                client.Mode = DecodeMode.HoldForAuthReply;
                break;
            case "PBSZ":
                pbszSent = true;
                break;
            case "PROT":
                if (!pbszSent)
                {
                    Finding(FindingCatalog.ProtWithoutPbsz, Side.Client, time, Direction.ClientToServer, start, shown,
                        "client sent PROT without PBSZ first",
                        "RFC 4217 §9 (and RFC 2228) require PBSZ before PROT (\"PBSZ 0\" then \"PROT P\"). "
                        + "Lenient servers (ProFTPD) accept PROT anyway; strict ones (pyftpdlib) answer 503 and data stays unprotected.");
                }
                break;
            case "USER":
            case "PASS":
                CheckCredentials(cmd, start, shown, time);
                break;
            case "PORT":
                p.Endpoint = cmd.Argument is null ? null : DataEndpoint.ParsePort(cmd.Argument);
                if (p.Endpoint is null) MalformedEndpoint(cmd, start, shown, time);
                break;
            case "EPRT":
                p.Endpoint = cmd.Argument is null ? null : DataEndpoint.ParseEprt(cmd.Argument);
                if (p.Endpoint is null) MalformedEndpoint(cmd, start, shown, time);
                break;
        }
        AddPending(p, time);
    }

    private void HandleReplyLine(FtpLine line, ReadOnlySpan<byte> raw, long start, Timestamp time)
    {
        if (!server.Replies.InMultiline)
        {
            server.ReplyStart = start;
            server.ReplyBytes.Clear();
        }
        server.ReplyEnd = start + raw.Length;
        int room = KeptBytes - server.ReplyBytes.Count;
        if (room > 0) server.ReplyBytes.AddRange(raw[..Math.Min(room, raw.Length)]);

        switch (server.Replies.Add(line.Text))
        {
            case ReplyLineResult.Continued:
                return;
            case ReplyLineResult.Malformed:
                server.MalformedRun++;
                Event(time, Direction.ServerToClient, start, raw.Length, Layer.Ftp, EventKinds.FtpReply,
                    $"(not a reply) {line.Text}", null, raw);
                if (server.PendingFallback is null)
                {
                    Finding(FindingCatalog.FtpMalformedReply, Side.Server, time, Direction.ServerToClient, start, raw,
                        "server sent a line that is not an FTP reply",
                        "RFC 959 §4.2 replies start with three digits and a space or hyphen. "
                        + "The server may not be an FTP server on this port, or the two sides are out of step.");
                }
                return;
            case ReplyLineResult.CompletedTooLong:
                Finding(FindingCatalog.FtpReplyTooLong, Side.Server, time, Direction.ServerToClient, server.ReplyStart, raw,
                    $"multi-line reply longer than {options.MaxReplyLines} lines",
                    $"The reply was closed after {options.MaxReplyLines} lines without its final \"ddd \" line (RFC 959 §4.2). Later lines are read as new replies.");
                break;
        }
        EmitReply(server.Replies.Completed!, server.ReplyStart, time, note: null);
    }

    /// <summary>Pairs a complete reply with its command and applies what it means.</summary>
    private void EmitReply(FtpReply reply, long start, Timestamp time, string? note)
    {
        // The reply's kept bytes, for its event and any finding: read in place (nothing changes
        // them until the next reply line), not copied for every reply.
        ReadOnlySpan<byte> bytes = CollectionsMarshal.AsSpan(server.ReplyBytes);
        long length = server.ReplyEnd - start;
        PendingCommand? cmd = null;
        bool greeting = false;
        if (!bannerSeen && pending.Count == 0 || !bannerSeen && reply.Code is 120 or 220 or 421)
        {
            greeting = true;
            if (reply.Code != 120) bannerSeen = true;
        }
        else if (pending.Count > 0)
        {
            cmd = reply.IsPreliminary ? pending.Peek() : pending.Dequeue();
        }

        (string summary, DetailNode detail) = FtpEventShapes.Shared.Reply(reply, greeting, cmd?.Label, note);
        Event(time, Direction.ServerToClient, start, length, Layer.Ftp, EventKinds.FtpReply, summary, detail, bytes);

        if (cmd is null && !greeting)
        {
            if (reply.Code == 234)
            {
                // RFC 2228 §3: 234 only answers AUTH. The AUTH itself was not seen (capture
                // started late): switch anyway.
                AuthAccepted(time);
            }
            else if (reply.Code != 421 && !desyncReported && server.PendingFallback is null && !server.FellBackToPlaintext)
            {
                Finding(FindingCatalog.FtpReplyWithoutCommand, Side.Server, time, Direction.ServerToClient, start, bytes,
                    $"server sent \"{reply.Code} {reply.FirstText}\" with no command waiting",
                    "Every final reply answers one command (RFC 959 §4.2). This one answers nothing the client sent, "
                    + "so client and server no longer agree where they are: a reply was duplicated, a command was not seen, "
                    + "or one side is reading bytes the other meant for another layer.");
            }
            return;
        }
        if (cmd?.Command is { } transferCommand && DataTransferReply.IsTransferVerb(cmd.Verb)) EmitTransferReply(transferCommand, reply, time);
        if (cmd is null || reply.IsPreliminary) return;
        ApplyReply(cmd, reply, start, bytes, time);
    }

    private void ApplyReply(PendingCommand cmd, FtpReply reply, long start, ReadOnlySpan<byte> bytes, Timestamp time)
    {
        switch (cmd.Verb)
        {
            case "AUTH":
                if (reply.Code is 234 or 334)
                {
                    AuthAccepted(time);
                }
                else
                {
                    lastAuthRefused = true;
                    deferredRefusal = (reply, cmd, start, time);
                    if (client.Mode == DecodeMode.HoldForAuthReply) ReleaseHeld(client, DecodeMode.Ftp);
                }
                break;
            case "FEAT":
                if (reply.Code == 211 && reply.Lines.Any(IsAuthTlsFeature)) serverOffersTls = true;
                break;
            case "PROT":
                if (reply.Class == 2 && cmd.Command?.Argument is { Length: > 0 } level) protLevel = char.ToUpperInvariant(level.Trim()[0]);
                break;
            case "PASV":
                if (reply.Code == 227)
                {
                    if (DataEndpoint.ParsePasvReply(reply.AllText) is { } ep)
                    {
                        CheckPasvAddress(ep, start, bytes, time);
                        ExpectData(Side.Server, ep, "PASV", time);
                    }
                    else MalformedEndpointReply(reply, start, bytes, time);
                }
                break;
            case "TYPE":
                // RFC 959 §3.1.1: A (ASCII) is the default; I and L 8 are binary.
                if (reply.Class == 2 && cmd.Command?.Argument?.Trim() is { Length: > 0 } type)
                {
                    char t = char.ToUpperInvariant(type[0]);
                    transferType = t == 'L' ? 'I' : t;
                }
                break;
            case "SIZE":
                // RFC 3659 §4: "213 <size>" in octets of the current TYPE.
                if (reply.Code == 213 && cmd.Command?.Argument is { } path
                    && long.TryParse(reply.FirstText.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long size))
                {
                    lastSize = (path, size);
                }
                break;
            case "EPSV":
                if (reply.Code == 229)
                {
                    if (DataEndpoint.ParseEpsvReply(reply.AllText) is int port) ExpectData(Side.Server, new IPEndPoint(info.Server.Address, port), "EPSV", time);
                    else MalformedEndpointReply(reply, start, bytes, time);
                }
                break;
            case "PORT":
            case "EPRT":
                if (reply.Class == 2 && cmd.Endpoint is { } active) ExpectData(Side.Client, active, cmd.Verb, time);
                break;
            case "USER":
            case "PASS":
                if (reply.IsNegative && DemandsTls(reply.AllText)) tlsDemanded = true;
                break;
            case "REIN":
                if (reply.Class == 2)
                {
                    // RFC 959 §4.1.1: REIN flushes all state except a transfer in progress.
                    pbszSent = false;
                    protLevel = 'C';
                }
                break;
        }
        if (reply.Code == 534) tlsDemanded = true; // RFC 2228: request denied for policy reasons
    }

    private void AuthAccepted(Timestamp time)
    {
        authAccepted = true;
        authAcceptedAt = time;
        // PBSZ and PROT now travel encrypted: the level in force can no longer be read.
        protLevel = UnknownProtection;
        lastAuthRefused = false;
        clientSpokeAfterAuth = client.HeldBytes > 0;
        Event(time, Direction.ServerToClient, server.ReplyEnd, 0, Layer.Session, EventKinds.SessionMode,
            "AUTH accepted: the control connection must speak TLS from here on", null, default);
        // RFC 4217 §4: TLS starts with the byte after the 234 reply's CRLF.
        server.Mode = DecodeMode.Tls;
        server.Records = new TlsRecordReader();
        if (client.Mode == DecodeMode.HoldForAuthReply) ReleaseHeld(client, DecodeMode.Tls);
        else if (client.Mode == DecodeMode.Ftp)
        {
            client.Lines.Clear();
            client.Mode = DecodeMode.Tls;
        }
    }

    private void FlushDeferredRefusal()
    {
        if (deferredRefusal is not { } r) return;
        deferredRefusal = null;
        Finding(FindingCatalog.AuthRefused, Side.Server, r.Time, Direction.ServerToClient, r.Offset, Encoding.Latin1.GetBytes(r.Reply.Lines[0]),
            $"server refused {r.Command.Label} with \"{r.Reply.Code} {r.Reply.FirstText}\"",
            "The server answered AUTH with a negative reply (RFC 4217 §4), so the control connection stays in plaintext. "
            + "TLS is not enabled on this server (ProFTPD: TLSEngine on; vsftpd: ssl_enable=YES; pure-ftpd: -Y 1), or it does not know this mechanism name. "
            + "A client that requires TLS should now close; one that goes on sends credentials in the clear.");
    }

    private void CheckCredentials(FtpCommand cmd, long start, ReadOnlySpan<byte> shown, Timestamp time)
    {
        if (credentialsReported) return;
        string? why = authAccepted ? "after the server accepted AUTH (234)"
            : tlsDemanded ? "after the server demanded TLS"
            : serverOffersTls ? "although the server offered AUTH TLS in its FEAT reply"
            : null;
        if (why is null) return;
        credentialsReported = true;
        Finding(FindingCatalog.CredentialsInClear, Side.Client, time, Direction.ClientToServer, start, shown,
            $"client sent {cmd.Verb} in plaintext {why}",
            $"The {cmd.Verb} command crossed the network unencrypted {why}. Anyone on the path can read the user name and password. "
            + "Configure the client for explicit FTPS (AUTH TLS before USER), e.g. curl --ssl-reqd, lftp set ftp:ssl-force true, ftplib FTP_TLS.login().");
    }

    private void AddPending(PendingCommand p, Timestamp time)
    {
        if (pending.Count >= options.MaxPendingCommands)
        {
            pending.Dequeue();
            if (!pendingLimitReported)
            {
                pendingLimitReported = true;
                Finding(FindingCatalog.FtpPendingLimit, Side.Client, time, Direction.ClientToServer, p.Offset, default,
                    $"more than {options.MaxPendingCommands} commands without replies",
                    "The client keeps sending commands the server does not answer. The oldest were dropped from reply pairing, so later pairings may be off. "
                    + "Either the server is stalled, or the client's bytes are not FTP commands to it.");
            }
        }
        pending.Enqueue(p);
    }

    /// <summary>Tells the data-connection tracker how the server answered a transfer command.</summary>
    private void EmitTransferReply(FtpCommand cmd, FtpReply reply, Timestamp time)
    {
        long? announced = null;
        if (cmd.Verb == "RETR")
        {
            // vsftpd and ProFTPD: "150 Opening BINARY mode data connection for f (38 bytes)".
            System.Text.RegularExpressions.Match m = AnnouncedBytes().Match(reply.FirstText);
            if (m.Success && long.TryParse(m.Groups[1].ValueSpan, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long n)) announced = n;
            else if (lastSize is { } s && s.Path == cmd.Argument) announced = s.Size;
        }
        Emit(new DataTransferReply(time, cmd.Verb, cmd.Argument, reply.Code, reply.FirstText, announced, transferType));
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\((\d{1,19}) bytes\)")]
    private static partial System.Text.RegularExpressions.Regex AnnouncedBytes();

    /// <summary>
    /// RFC 959 §4.1.2: the 227 reply names the address to connect to. One other than the address
    /// the client reached the server at is usually the private address of a server behind NAT.
    /// </summary>
    private void CheckPasvAddress(IPEndPoint announced, long start, ReadOnlySpan<byte> bytes, Timestamp time)
    {
        IPAddress control = info.Server.Address.IsIPv4MappedToIPv6 ? info.Server.Address.MapToIPv4() : info.Server.Address;
        if (pasvMismatchReported || announced.Address.Equals(control) || control.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork) return;
        pasvMismatchReported = true; // once per session: every later 227 says the same
        string kind = announced.Address.Equals(IPAddress.Any) ? "0.0.0.0 (no address)"
            : IsPrivate(announced.Address) ? $"the private address {announced.Address}" : announced.Address.ToString();
        Finding(FindingCatalog.PasvAddressMismatch, Side.Server, time, Direction.ServerToClient, start, bytes,
            $"PASV reply names {kind}, but the client reached the server at {control}",
            $"The server told the client to open the data connection to {ConnectionInfo.Format(announced)}, while the control connection goes to {control}. "
            + "A client that uses the announced address cannot reach it from outside the server's network, so transfers hang or fail with \"425\" or a connect timeout. "
            + "Configure the server's external address (vsftpd pasv_address, ProFTPD MasqueradeAddress, pure-ftpd -P) or make the client ignore it "
            + "(curl does by default, --ftp-skip-pasv-ip; lftp set ftp:ignore-pasv-address true) or use EPSV, which carries no address (RFC 2428 §3).");
    }

    /// <summary>RFC 1918 private and RFC 6598 shared address space.</summary>
    private static bool IsPrivate(IPAddress a)
    {
        if (a.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork) return false;
        byte[] b = a.GetAddressBytes();
        return b[0] == 10 || b[0] == 172 && (b[1] & 0xF0) == 16 || b[0] == 192 && b[1] == 168 || b[0] == 100 && (b[1] & 0xC0) == 64;
    }

    private void ExpectData(Side listener, IPEndPoint endpoint, string via, Timestamp time)
    {
        Emit(new ExpectedDataConnection(time, listener, endpoint, via, protLevel));
    }

    private void MalformedEndpoint(FtpCommand cmd, long start, ReadOnlySpan<byte> shown, Timestamp time) =>
        Finding(FindingCatalog.FtpMalformedEndpoint, Side.Client, time, Direction.ClientToServer, start, shown,
            $"client's {cmd.Verb} address cannot be parsed",
            cmd.Verb == "PORT"
                ? "PORT takes h1,h2,h3,h4,p1,p2 (RFC 959 §4.1.2). The server will refuse it and no data connection can be made."
                : "EPRT takes |proto|address|port| (RFC 2428 §2). The server will refuse it and no data connection can be made.");

    private void MalformedEndpointReply(FtpReply reply, long start, ReadOnlySpan<byte> bytes, Timestamp time) =>
        Finding(FindingCatalog.FtpMalformedEndpoint, Side.Server, time, Direction.ServerToClient, start, bytes,
            $"server's {reply.Code} reply has no usable address",
            "A 227 reply must carry h1,h2,h3,h4,p1,p2 (RFC 959 §4.1.2, RFC 1123 §4.1.2.6) and a 229 reply (|||port|) (RFC 2428 §3). "
            + "The client cannot open the data connection.");

    /// <summary>RFC 2389 §3.2 feature lines are indented by one space; RFC 4217 §6 lists "AUTH TLS".</summary>
    private static bool IsAuthTlsFeature(string line)
    {
        string t = line.Trim();
        return t.StartsWith("AUTH", StringComparison.OrdinalIgnoreCase)
            && (t.Contains("TLS", StringComparison.OrdinalIgnoreCase) || t.Contains("SSL", StringComparison.OrdinalIgnoreCase));
    }

    private static bool DemandsTls(string text) =>
        text.Contains("TLS", StringComparison.OrdinalIgnoreCase) || text.Contains("SSL", StringComparison.OrdinalIgnoreCase)
        || text.Contains("encrypt", StringComparison.OrdinalIgnoreCase) || text.Contains("secure", StringComparison.OrdinalIgnoreCase)
        || text.Contains("AUTH", StringComparison.Ordinal);

    private static byte[] RedactedLine(FtpCommand cmd, LineTerminator terminator)
    {
        string end = terminator switch
        {
            LineTerminator.CrLf => "\r\n",
            LineTerminator.BareLf => "\n",
            _ => "",
        };
        return Encoding.ASCII.GetBytes($"{cmd.Verb} {FtpCommand.RedactedText}{end}");
    }
}
