using System.Globalization;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Timeline;
using Inspector.Core.Tls;

namespace Inspector.Core.Analysis;

// FTP data connections (RFC 959 §3.2): a file or listing, either in plaintext or inside TLS
// (RFC 4217 §7-§9). Client and server are the FTP roles: the FTP client is the TLS client even
// when the server opened the connection (active mode), so the source hands directions over in
// those roles. No FTP lines are parsed here; the bytes are counted, TLS handshakes decoded.
public sealed partial class ConnectionAnalyzer
{
    /// <summary>Bytes needed to tell a TLS record header from plaintext (RFC 8446 §5.1).</summary>
    private const int DataSniffLength = 5;

    /// <summary>Length of a TLS application-data record that holds only an encrypted close_notify (2 bytes, content type, 16-byte AEAD tag).</summary>
    private const int CloseNotifyRecordLength = 19;

    // Extension code points (IANA TLS ExtensionType registry).
    private const ushort SessionTicketExtension = 35, PreSharedKeyExtension = 41, SupportedVersionsExtension = 43;

    private readonly bool dataRole;
    private bool dataTlsFailedReported;

    /// <summary>Holds a direction's first bytes until there are enough to tell TLS from plaintext.</summary>
    private int StepDataStart(DirectionState st, ReadOnlySpan<byte> data, long offset, Timestamp time)
    {
        int take = (int)Math.Min(DataSniffLength - st.HeldBytes, data.Length);
        st.Held.Add((offset, time, data[..take].ToArray(), take));
        st.HeldBytes += take;
        if (st.HeldBytes >= DataSniffLength) DecideDataStart(st);
        return take;
    }

    /// <summary>Reads the held first bytes as TLS or plaintext and replays them in that mode.</summary>
    private void DecideDataStart(DirectionState st)
    {
        if (st.Mode != DecodeMode.DataStart) return;
        byte[] first = HeldPrefix(st);
        bool tls = TlsRecordReader.IsPlausibleHeader(first) || st == client && TlsRecordReader.IsSslV2ClientHelloStart(first);
        st.First = tls ? FirstBytes.Tls : FirstBytes.Ftp;
        if (tls) st.Records = new TlsRecordReader(allowSslV2: st == client);
        ReleaseHeld(st, tls ? DecodeMode.Tls : DecodeMode.DataPlain);
    }

    private static byte[] HeldPrefix(DirectionState st)
    {
        var bytes = new List<byte>(DataSniffLength);
        foreach ((_, _, byte[]? b, _) in st.Held)
        {
            if (b is null) break;
            bytes.AddRange(b);
        }
        return [.. bytes];
    }

    /// <summary>Plaintext data: the first chunk of each direction is shown, the rest counted.</summary>
    private int StepDataPlain(DirectionState st, ReadOnlySpan<byte> data, long offset, Timestamp time)
    {
        st.Payload += data.Length;
        if (!st.PayloadShown && st.Opening.Count >= PreviewLength) ShowPreview(st);
        return data.Length;
    }

    /// <summary>Bytes of plaintext data shown when it begins.</summary>
    private const int PreviewLength = 48;

    /// <summary>
    /// The first bytes of plaintext data, once there are enough of them (or at the end): the same
    /// however the segments were cut.
    /// </summary>
    private void ShowPreview(DirectionState st)
    {
        st.PayloadShown = true;
        byte[] first = [.. st.Opening.Take(PreviewLength)];
        Event(st.FirstTime, st.Direction, 0, first.Length, Layer.Session, EventKinds.DataBytes,
            $"plaintext data from the {st.Sender.WireName()} begins: {TlsDiagnosis.Printable(first)}", null, first);
    }

    /// <summary>An application-data record on a data connection: the first is shown, the rest counted.</summary>
    private void HandleDataRecord(DirectionState st, TlsRecord rec, Timestamp time)
    {
        if (st.Encrypted) st.EncryptedRecords++;
        if (!CountDataRecord(st, rec, time)) return;
        EventOwning(time, st.Direction, rec.Offset, rec.HeaderLength + rec.Length, Layer.Tls, EventKinds.TlsApplicationData,
            $"TLS application data from the {st.Sender.WireName()} begins, {rec.Length} bytes (encrypted; further records are counted)", RecordDetail(rec), RecordBytes(rec));
    }

    private bool CountDataRecord(DirectionState st, TlsRecord rec, Timestamp time)
    {
        if (st.EncryptedRecords == 1) st.FirstEncryptedTime = time;
        // TLS 1.3 (RFC 8446 §5.2) wraps the rest of the handshake in application-data records
        // too: the server's flight comes before the client's first encrypted record, the client's
        // flight arrives together. Only later records carry data (or session tickets).
        bool handshakeFlight = tls13 && (st == server ? client.EncryptedRecords == 0 : time == st.FirstEncryptedTime);
        if (!handshakeFlight)
        {
            st.Payload += rec.Length;
            if (rec.Length > CloseNotifyRecordLength) st.PayloadRecords++;
        }
        if (st.PayloadShown) return false;
        st.PayloadShown = true;
        return true;
    }

    /// <summary>A direction that should have continued in TLS sent something else.</summary>
    private void DataNotTls(DirectionState st, byte[] prefix, long at, Timestamp time)
    {
        st.Mode = DecodeMode.DataPlain;
        st.FellBackToPlaintext = true;
        if (!HandshakeComplete && clientHello is not null && st == server)
        {
            DataTlsFailed(time, st.Direction, at, prefix,
                $"server answered the data connection's ClientHello with plaintext: {TlsDiagnosis.Printable(prefix)}",
                "The client started TLS on the data connection (PROT P), but the server sent plaintext instead of a ServerHello. "
                + "The server does not expect TLS on this data connection: its protection level is C (PROT P was not accepted, or REIN/CCC reset it), "
                + "or its TLS setup for data connections failed.");
        }
        else
        {
            malformedTlsSeen = true;
            Finding(FindingCatalog.TlsMalformedRecord, st.Sender, time, st.Direction, at, prefix,
                $"{st.Sender.WireName()} sent bytes that are not a TLS record on a TLS data connection: {TlsDiagnosis.Hex(prefix)}",
                TlsDiagnosis.MisreadHeader(prefix) + " The data connection started in TLS, then these bytes broke the record stream. The rest of this direction is counted, not decoded.");
        }
        Process(st, prefix, at, time);
    }

    /// <summary>The end of a data connection: undecided first bytes, an unfinished handshake, and the facts for the tracker.</summary>
    private void FinishData(Timestamp time, bool cutByCapture)
    {
        foreach (DirectionState st in (ReadOnlySpan<DirectionState>)[client, server])
        {
            if (st.Mode == DecodeMode.DataStart && st.HeldBytes > 0) DecideDataStart(st);
        }
        FlushDirection(client, time);
        FlushDirection(server, time);
        if (clientHello is not null && !HandshakeComplete && !dataTlsFailedReported && !malformedTlsSeen && !cutByCapture && !MixedProtection)
        {
            string what = serverHello is null ? "the server never answered the ClientHello" : "the handshake stopped before both sides sent Finished";
            DataTlsFailed(time, null, 0, default, $"TLS handshake on the data connection did not complete: {what}",
                $"The client started TLS on the data connection and {what}; the connection ended without an alert. "
                + "The server's TLS log names the reason; a server that requires session reuse (vsftpd require_ssl_reuse, ProFTPD without NoSessionReuseRequired) "
                + "may also drop a data handshake that does not resume the control session.");
        }
        foreach (DirectionState st in (ReadOnlySpan<DirectionState>)[client, server])
        {
            if (st.Mode == DecodeMode.DataPlain && !st.PayloadShown && st.Payload > 0) ShowPreview(st);
            if (st.Payload > 0 || st.First != FirstBytes.Unknown)
            {
                string unit = st.First == FirstBytes.Tls ? " in TLS records" : "";
                Event(time, st.Direction, st.Received, 0, Layer.Session, EventKinds.DataBytes,
                    $"{st.Payload.ToString("N0", CultureInfo.InvariantCulture)} bytes of data from the {st.Sender.WireName()}{unit}", null, default);
            }
        }
        DirectionState first = client.Active && (!server.Active || client.FirstTime <= server.FirstTime) ? client : server;
        DataProtection protection = client.First == FirstBytes.Tls || server.First == FirstBytes.Tls ? DataProtection.Tls
            : client.First == FirstBytes.Ftp || server.First == FirstBytes.Ftp ? DataProtection.Plaintext
            : DataProtection.None;
        Emit(new DataConnectionFacts(time, protection, client.Payload, server.Payload, [.. first.Opening], first.Direction,
            ResumptionOffered(clientHello), serverHello is not null && Resumed(clientHello, serverHello), HandshakeComplete, tls13,
            dataTlsFailedReported, client.PayloadRecords, server.PayloadRecords)
        {
            Mixed = MixedProtection,
            TlsSide = client.First == FirstBytes.Tls ? Side.Client : Side.Server,
        });
    }

    private void DataTlsFailed(Timestamp time, Direction? direction, long offset, ReadOnlySpan<byte> evidence, string summary, string explanation, Side? side = null)
    {
        if (dataTlsFailedReported) return;
        dataTlsFailedReported = true;
        Finding(FindingCatalog.DataTlsFailed, side ?? direction?.Sender() ?? Side.Server, time, direction, offset, evidence, summary, explanation);
    }

    /// <summary>One side spoke TLS and the other plaintext: they disagree on the protection level (the tracker reports it).</summary>
    private bool MixedProtection =>
        client.First == FirstBytes.Tls && server.First == FirstBytes.Ftp || client.First == FirstBytes.Ftp && server.First == FirstBytes.Tls;

    /// <summary>RFC 5246 §7.4.1.2 (session ID), RFC 5077 §3.1 (a non-empty ticket), RFC 8446 §4.2.11 (pre_shared_key).</summary>
    private static bool ResumptionOffered(ClientHelloInfo? hello) =>
        hello is not null && (hello.HasExtension(PreSharedKeyExtension)
            || hello.Extensions.Any(e => e.Type == SessionTicketExtension && e.Length > 0)
            || hello.SessionId.Length > 0 && !hello.HasExtension(SupportedVersionsExtension));

    /// <summary>The server took the offer: pre_shared_key in its hello, or the client's session ID echoed.</summary>
    private static bool Resumed(ClientHelloInfo? hello, ServerHelloInfo sh) =>
        sh.Extensions.Any(e => e.Type == PreSharedKeyExtension)
        || hello is { SessionId.Length: > 0 } && sh.SelectedVersion is null && sh.SessionId.AsSpan().SequenceEqual(hello.SessionId);
}
