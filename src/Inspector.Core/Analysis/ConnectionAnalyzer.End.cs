using Inspector.Core.Findings;
using Inspector.Core.Ftp;
using Inspector.Core.Model;
using Inspector.Core.Streams;
using Inspector.Core.Timeline;
using Inspector.Core.Tls;

namespace Inspector.Core.Analysis;

// The end of a direction or of the connection: partial lines and records, and the checks that
// need to know nothing more will come (handshake never started or never finished, stalls).
public sealed partial class ConnectionAnalyzer
{
    private bool handshakeNotStartedReported;
    private bool stallReported;

    /// <summary>The source is done with this connection: flush everything and run the end checks.</summary>
    public void Finish(Timestamp time, EndKind kind = EndKind.EndOfCapture)
    {
        if (finished) return;
        MarkOpen(time);
        if (dataRole)
        {
            bool cut = kind is EndKind.EndOfCapture or EndKind.Timeout
                && time - Timestamp.Max(client.LastActivity, server.LastActivity) < options.StallTimeout;
            FinishData(time, cut);
            ReportSuppressedFindings(time);
            if (kind is EndKind.EndOfCapture or EndKind.Timeout)
            {
                Event(time, null, 0, 0, Layer.Tcp, EventKinds.TcpEnd,
                    kind == EndKind.Timeout ? "connection idle: analysis stopped waiting" : "capture ended with the connection still open", null, default);
            }
            finished = true;
            return;
        }
        FlushDirection(client, time);
        FlushDirection(server, time);
        FlushDeferredRefusal();
        CheckSilentClientAgainstTls(time);
        CheckSilence(time);
        CheckHandshakeNotStarted(time, atEnd: true);
        // A capture (or file) that simply stops mid-handshake proves nothing about the peers;
        // long silence before the end is reported by the stall check instead.
        bool cutByCapture = kind is EndKind.EndOfCapture or EndKind.Timeout
            && time - Timestamp.Max(client.LastActivity, server.LastActivity) < options.StallTimeout;
        if (!cutByCapture) CheckHandshakeIncomplete(time);
        ReportSuppressedFindings(time);
        if (kind is EndKind.EndOfCapture or EndKind.Timeout)
        {
            Event(time, null, 0, 0, Layer.Tcp, EventKinds.TcpEnd,
                kind == EndKind.Timeout ? "connection idle: analysis stopped waiting" : "capture ended with the connection still open", null, default);
        }
        finished = true;
    }

    /// <summary>Whatever a direction holds when its sender stops: a partial line, record or reply.</summary>
    private void FlushDirection(DirectionState st, Timestamp time)
    {
        if (st.Mode == DecodeMode.HoldForAuthReply)
        {
            // The reply to AUTH never came: read the held bytes for what they are.
            ReleaseHeld(st, DecodeMode.Ftp);
        }
        if (st.Mode == DecodeMode.Tls && st.Records.PendingBytes > 0)
        {
            if (st.Records.PendingRecordLength is null && st.Records.PendingBytes < 5)
            {
                // Fewer than five bytes: not even a record header. If they are text, it was
                // plaintext cut short ("550" then close).
                byte[] partialHeader = st.Records.InvalidHeader.ToArray();
                if (partialHeader.Length > 0 && LooksLikeText(partialHeader))
                {
                    NotTls(st, partialHeader, st.Records.InvalidHeaderOffset, time);
                }
            }
            else
            {
                Event(time, st.Direction, st.Records.InvalidHeaderOffset, st.Records.PendingBytes, Layer.Tls, EventKinds.TlsRecord,
                    $"TLS record cut off by the end of the stream: {st.Records.PendingBytes} bytes of {(st.Records.PendingRecordLength ?? 0) + 5}", null, default);
            }
        }
        if (st.Mode == DecodeMode.Ftp && st.Lines.Pending > 0 && !st.Lines.Skipping)
        {
            byte[] raw = st.Lines.Line.ToArray();
            long start = st.Lines.LineStart;
            st.Lines.Clear();
            FtpLine line = FtpLine.Parse(raw);
            if (st.PendingFallback is { } fallback)
            {
                st.PendingFallback = null;
                Event(time, st.Direction, start, raw.Length, Layer.Ftp, EventKinds.FtpPartialLine, $"(unterminated) {line.Text}", null, raw);
                EmitPlaintextAfterAuth(st, fallback, line.Text, raw, time);
            }
            else
            {
                bool isPass = st == client && FtpCommand.Parse(line.Text, options.ShowPasswords) is { Redacted: true };
                byte[] shown = isPass ? System.Text.Encoding.ASCII.GetBytes($"PASS {FtpCommand.RedactedText}") : raw;
                string text = isPass ? $"PASS {FtpCommand.RedactedText}" : line.Text;
                Event(time, st.Direction, start, raw.Length, Layer.Ftp, EventKinds.FtpPartialLine, $"(unterminated) {text}", null, shown);
                Finding(FindingCatalog.FtpUnterminatedLine, st.Sender, time, st.Direction, start, shown,
                    $"{st.Sender.WireName()} stopped in the middle of a line: \"{text}\"",
                    $"The {st.Sender.WireName()} sent {raw.Length} bytes without a line end and then closed or the capture ended. "
                    + "A peer waiting for CRLF never saw a complete command or reply.");
            }
        }
        if (st == server && st.Mode == DecodeMode.Ftp && st.Replies.TakeUnfinished() is { } partial)
        {
            EmitReply(partial, st.ReplyStart, time, note: "unfinished multi-line reply");
        }
        if (st.PendingFallback is { } pendingFallback)
        {
            st.PendingFallback = null;
            EmitPlaintextAfterAuth(st, pendingFallback, TlsDiagnosis.Printable(pendingFallback.FirstBytes), pendingFallback.FirstBytes, time);
        }
    }

    /// <summary>234 was sent, then the client never started TLS.</summary>
    private void CheckHandshakeNotStarted(Timestamp now, bool atEnd)
    {
        if (!authAccepted || clientSpokeAfterAuth || handshakeNotStartedReported) return;
        if (!atEnd && now - authAcceptedAt < options.StallTimeout) return;
        handshakeNotStartedReported = true;
        desyncReported = true;
        double waited = (now - authAcceptedAt).TotalSeconds;
        Finding(FindingCatalog.HandshakeNotStarted, Side.Client, now, Direction.ClientToServer, client.Received, default,
            $"server accepted AUTH but the client sent no ClientHello ({waited:0.###} s)",
            "After the 234 reply the client must start the TLS handshake with a ClientHello (RFC 4217 §4). It sent nothing and "
            + (atEnd ? "the connection ended. " : "is still silent. ")
            + "The client's TLS setup failed before it could send anything: a missing or unreadable key ring or certificate store, no usable cipher suites or protocol versions "
            + "in its configuration, or a TLS library that failed to load. The client's own log (z/OS: the FTP client trace and GSK trace) names the reason.");
    }

    /// <summary>A handshake that started and never finished, unless something already explained why.</summary>
    private void CheckHandshakeIncomplete(Timestamp time)
    {
        if (clientHello is null || HandshakeComplete || fatalAlertSeen || malformedTlsSeen
            || client.FellBackToPlaintext || server.FellBackToPlaintext || desyncReported)
        {
            return;
        }
        Side next;
        string waitingFor;
        if (serverHello is null)
        {
            next = Side.Server;
            waitingFor = "the server never answered the ClientHello";
        }
        else if (!client.Encrypted || client.EncryptedRecords == 0)
        {
            next = Side.Client;
            waitingFor = "the client never finished its part after the server's hello (it may have rejected the server's certificate without an alert)";
        }
        else
        {
            next = Side.Server;
            waitingFor = "the server never sent its Finished";
        }
        Finding(FindingCatalog.TlsHandshakeIncomplete, next, time, null, 0, default,
            $"TLS handshake did not complete: {waitingFor}",
            $"The TLS handshake on the control connection started but the connection ended or went silent before it completed: {waitingFor}. "
            + "Without an alert the peer gave no reason; look at its TLS log. A silent close right after the ClientHello often means the server's TLS library "
            + "rejected the offer without sending an alert (old OpenSSL, or a server that closes on any handshake error).");
    }

    /// <summary>
    /// The client never spoke: either nobody did (each side waiting for the other), or the
    /// server's only bytes were TLS, the mark of an implicit-FTPS server that waits for a
    /// ClientHello while the client waits for a 220 greeting.
    /// </summary>
    private void CheckSilentClientAgainstTls(Timestamp end)
    {
        if (client.Active) return;
        TimeSpan lasted = end - openedAt;
        if (server.First == FirstBytes.Tls && !implicitChecked)
        {
            implicitChecked = true;
            desyncReported = true;
            Finding(FindingCatalog.ImplicitExplicitMismatch, Side.Both, end, Direction.ServerToClient, 0, default,
                $"client waited {lasted.TotalSeconds:0.#} s for a greeting; the server speaks TLS first (implicit FTPS)",
                "The client sent nothing: it expected a plaintext 220 greeting (explicit FTPS or plain FTP), while the server only ever sent TLS records, "
                + "the behaviour of an implicit-FTPS server (usually port 990) that waits for the client's ClientHello. Both waited until one gave up. "
                + "Use implicit FTPS (ftps://) against this port, or point the client at the server's explicit port (usually 21).");
            return;
        }
        if (!server.Active && lasted >= TimeSpan.FromSeconds(2) && !stallReported)
        {
            stallReported = true;
            Finding(FindingCatalog.FtpStalled, Side.Server, end, null, 0, default,
                $"neither side sent a byte in {lasted.TotalSeconds:0.#} s: the server never sent its 220 greeting",
                "The connection opened and closed without a single byte. An FTP server greets first (RFC 959 §5.4); an implicit-FTPS server (port 990) instead waits "
                + "for the client's TLS ClientHello, and a plain or explicit-FTPS client waits for the greeting: both wait until one gives up. "
                + "Use ftps:// (implicit) against this port, or the server's explicit port. A server that accepts connections and never answers may also be overloaded or blocked by a filter.");
        }
    }

    /// <summary>Both sides silent for the stall timeout while the protocol waits on one of them.</summary>
    private void CheckSilence(Timestamp now)
    {
        CheckHandshakeNotStarted(now, atEnd: false);
        if (stallReported) return;
        Timestamp last = Timestamp.Max(openedAt, Timestamp.Max(client.LastActivity, server.LastActivity));
        TimeSpan silent = now - last;
        if (silent < options.StallTimeout) return;
        (Side waitingOn, string what)? wait = WaitingOn();
        if (wait is not { } w) return;
        stallReported = true;
        Finding(FindingCatalog.FtpStalled, w.waitingOn, now, null, 0, default,
            $"both sides silent for {silent.TotalSeconds:0.#} s while waiting on the {w.waitingOn.WireName()}: {w.what}",
            $"Nothing crossed the connection for {silent.TotalSeconds:0.#} s, longer than the stall timeout of {options.StallTimeout.TotalSeconds:0.#} s, "
            + $"while the protocol was waiting on the {w.waitingOn.WireName()}: {w.what}.");
    }

    private (Side, string)? WaitingOn()
    {
        if (authAccepted && !clientSpokeAfterAuth) return null; // reported as ftps.handshake_not_started
        if (!client.Active && !server.Active)
        {
            return (Side.Server, "the server never sent its 220 greeting. An implicit-FTPS server (port 990) waits for the client's ClientHello and sends nothing first, "
                + "while a plain or explicit-FTPS client waits for the greeting: both wait forever. Use ftps:// (implicit) against this port, or the server's explicit port");
        }
        if (!bannerSeen && server.First == FirstBytes.Unknown && client.First == FirstBytes.Ftp)
        {
            return (Side.Server, "the server has not sent its 220 greeting");
        }
        if (client.Mode == DecodeMode.HoldForAuthReply) return (Side.Server, "the server has not answered AUTH");
        if (client.Mode == DecodeMode.Ftp && server.Mode == DecodeMode.Ftp && pending.Count > 0)
        {
            return (Side.Server, $"no reply to {pending.Peek().Label}");
        }
        if (clientHello is not null && !HandshakeComplete && !fatalAlertSeen && !server.FellBackToPlaintext)
        {
            if (serverHello is null) return (Side.Server, "the server has not answered the ClientHello");
            if (client.EncryptedRecords == 0) return (Side.Client, "the client has not answered the server's hello");
            return (Side.Server, "the server has not sent its Finished");
        }
        return null;
    }
}
