using System.Buffers;

namespace Inspector.Core.Tls;

/// <summary>What <see cref="TlsRecordReader.Feed"/> found.</summary>
public enum RecordStatus : byte
{
    NeedMoreData,
    /// <summary>A whole record: see <see cref="TlsRecordReader.Current"/>.</summary>
    Record,
    /// <summary>The five bytes where a header should be are not a TLS record header: see <see cref="TlsRecordReader.InvalidHeader"/>.</summary>
    InvalidHeader,
    /// <summary>After a gap no record boundary could be found again.</summary>
    LostSync,
}

/// <summary>One TLS record as framed on the wire (RFC 8446 §5.1, RFC 5246 §6.2.1).</summary>
/// <param name="ContentType">20..24, or <see cref="TlsRecordReader.SslV2ContentType"/> for an SSLv2-format hello.</param>
/// <param name="Payload">The fragment for handshake, alert, CCS and heartbeat records; empty for application data (encrypted, never kept).
/// A view of the reader's buffer, valid until the reader is next fed: copy what must outlive that.</param>
public readonly record struct TlsRecord(byte ContentType, ushort Version, int Length, long Offset, ReadOnlyMemory<byte> Payload)
{
    public int HeaderLength => ContentType == TlsRecordReader.SslV2ContentType ? 2 : 5;
}

/// <summary>
/// Frames one direction's bytes into TLS records, across any chunk boundaries. Application
/// data is counted, not buffered; other records are gathered in a buffer rented from the shared
/// pool for as long as the record is being read and used, so a connection past its handshake
/// holds none (a reader per direction of every connection each kept one: 14 MB of a 100 MB
/// control-heavy read). An SSLv2-format ClientHello is accepted as the first record.
/// After a gap it looks for the next record boundary and only trusts one that is followed by
/// a second valid header, so a chance match in ciphertext does not fool it.
/// </summary>
public sealed class TlsRecordReader
{
    /// <summary>Pseudo content type for an SSLv2-format ClientHello record.</summary>
    public const byte SslV2ContentType = 0x80;

    /// <summary>RFC 5246 §6.2.3: a TLSCiphertext fragment is at most 2^14 + 2048 bytes.</summary>
    public const int MaxRecordLength = 16384 + 2048;

    /// <summary>How far past a gap to look for a record boundary before giving up.</summary>
    public const int MaxResyncScan = 4 * (MaxRecordLength + 5);

    private readonly byte[] header = new byte[5];
    private int headerLength;
    private byte[]? payload;
    private int payloadLength;
    private int recordLength;
    private bool inPayload;
    private bool keepPayload;
    private long recordOffset;
    private readonly bool allowSslV2;
    private bool firstRecord = true;
    private bool sslV2;
    private List<byte>? resync;
    private long resyncStart;

    /// <param name="allowSslV2">Accept an SSLv2-format ClientHello as the first record (client direction only).</param>
    public TlsRecordReader(bool allowSslV2 = false) => this.allowSslV2 = allowSslV2;

    public TlsRecord Current { get; private set; }

    /// <summary>The header bytes that were not a TLS record header (1 to 5 of them).</summary>
    public ReadOnlySpan<byte> InvalidHeader => header.AsSpan(0, headerLength);

    /// <summary>Stream offset of <see cref="InvalidHeader"/>.</summary>
    public long InvalidHeaderOffset => recordOffset;

    /// <summary>Bytes of an unfinished record held or counted so far (for end-of-stream reports).</summary>
    public int PendingBytes => inPayload ? headerLength + payloadLength : headerLength;

    /// <summary>Length of the unfinished record's fragment, when its header has been read.</summary>
    public int? PendingRecordLength => inPayload ? recordLength : null;

    public RecordStatus Feed(ReadOnlySpan<byte> data, long offset, out int consumed)
    {
        // The record handed out last is done with: its buffer goes back to the pool.
        if (!inPayload) ReturnPayload();
        if (resync is not null) return FeedResync(data, offset, out consumed);

        int i = 0;
        while (i < data.Length)
        {
            if (!inPayload)
            {
                if (headerLength == 0) recordOffset = offset + i;
                header[headerLength++] = data[i++];
                if (headerLength == 1 && firstRecord && allowSslV2 && (header[0] & 0x80) != 0)
                {
                    sslV2 = true;
                }
                int need = sslV2 ? 2 : 5;
                if (headerLength < need) continue;
                if (!StartRecord())
                {
                    consumed = i;
                    return RecordStatus.InvalidHeader;
                }
                if (recordLength == 0)
                {
                    consumed = i;
                    return Complete();
                }
                continue;
            }

            int take = Math.Min(recordLength - payloadLength, data.Length - i);
            if (keepPayload) data.Slice(i, take).CopyTo(payload.AsSpan(payloadLength));
            payloadLength += take;
            i += take;
            if (payloadLength == recordLength)
            {
                consumed = i;
                return Complete();
            }
        }
        consumed = data.Length;
        return RecordStatus.NeedMoreData;
    }

    /// <summary>Bytes went missing: drop the partial record and look for the next boundary.</summary>
    public void ResyncAfterGap(long nextOffset)
    {
        ReturnPayload();
        headerLength = 0;
        inPayload = false;
        payloadLength = 0;
        sslV2 = false;
        firstRecord = false;
        resync = [];
        resyncStart = nextOffset;
    }

    /// <summary>A handshake record header followed by handshake type 1: the start of a ClientHello (RFC 8446 §5.1, §4).</summary>
    public static bool IsClientHelloStart(ReadOnlySpan<byte> b) => b.Length >= 6 && b[0] == 22 && b[1] == 3 && b[5] == 1;

    /// <summary>RFC 6101 Appendix E: a two-byte header with the high bit set, then msg_type 1 (client_hello) and major version 0, 2 or 3.</summary>
    public static bool IsSslV2ClientHelloStart(ReadOnlySpan<byte> b) => b.Length >= 4 && (b[0] & 0x80) != 0 && b[0] != 0xFF && b[2] == 1 && b[3] is 0 or 2 or 3;

    /// <summary>True when the five bytes could start a TLS record (RFC 5246 §6.2.1).</summary>
    public static bool IsPlausibleHeader(ReadOnlySpan<byte> h) =>
        h.Length >= 5 && h[0] is >= 20 and <= 24 && h[1] == 3 && h[2] <= 4 && ((h[3] << 8) | h[4]) <= MaxRecordLength;

    private bool StartRecord()
    {
        if (sslV2)
        {
            // RFC 6101 Appendix E: two-byte header, high bit set, 15-bit length.
            recordLength = ((header[0] & 0x7F) << 8) | header[1];
            keepPayload = true;
        }
        else
        {
            if (!IsPlausibleHeader(header)) return false;
            recordLength = (header[3] << 8) | header[4];
            keepPayload = header[0] != 23; // application data is encrypted: count it only
        }
        if (keepPayload && (payload is null || payload.Length < recordLength))
        {
            ReturnPayload();
            payload = ArrayPool<byte>.Shared.Rent(recordLength);
        }
        payloadLength = 0;
        inPayload = true;
        return true;
    }

    private RecordStatus Complete()
    {
        byte type = sslV2 ? SslV2ContentType : header[0];
        ushort version = sslV2 ? (ushort)0x0002 : (ushort)((header[1] << 8) | header[2]);
        ReadOnlyMemory<byte> body = keepPayload ? payload.AsMemory(0, recordLength) : ReadOnlyMemory<byte>.Empty;
        Current = new TlsRecord(type, version, recordLength, recordOffset, body);
        headerLength = 0;
        inPayload = false;
        payloadLength = 0;
        sslV2 = false;
        firstRecord = false;
        return RecordStatus.Record;
    }

    private RecordStatus FeedResync(ReadOnlySpan<byte> data, long offset, out int consumed)
    {
        List<byte> buf = resync!;
        // Bytes are appended, then the earliest plausible header is judged. A candidate is
        // accepted only when the next header after its record is plausible too; while that
        // next header is not buffered yet the decision waits, so chunking cannot change it.
        int appended = 0;
        while (appended < data.Length && buf.Count < MaxResyncScan)
        {
            buf.Add(data[appended++]);
        }
        Span<byte> h = stackalloc byte[5];
        for (int p = 0; p + 5 <= buf.Count; p++)
        {
            for (int k = 0; k < 5; k++) h[k] = buf[p + k];
            if (!IsPlausibleHeader(h)) continue;
            int next = p + 5 + ((h[3] << 8) | h[4]);
            if (next + 5 > buf.Count)
            {
                consumed = appended;
                return buf.Count >= MaxResyncScan ? GiveUp() : RecordStatus.NeedMoreData;
            }
            for (int k = 0; k < 5; k++) h[k] = buf[next + k];
            if (!IsPlausibleHeader(h)) continue;

            // Found: everything before p is skipped; bytes from p are framed normally. The
            // bytes from p that were buffered here are consumed by re-feeding them.
            byte[] tail = buf.GetRange(p, buf.Count - p).ToArray();
            long tailOffset = resyncStart + p;
            resync = null;
            RecordStatus status = Feed(tail, tailOffset, out int used);
            if (used < tail.Length)
            {
                // A record completed inside the re-fed bytes; keep the rest for the next call.
                resync = null;
                pendingReplay = tail.AsMemory(used);
                pendingReplayOffset = tailOffset + used;
            }
            consumed = appended;
            return status;
        }
        consumed = appended;
        return buf.Count >= MaxResyncScan ? GiveUp() : RecordStatus.NeedMoreData;
    }

    private ReadOnlyMemory<byte> pendingReplay;
    private long pendingReplayOffset;

    /// <summary>
    /// Bytes already taken from the caller during resynchronisation that still have to be
    /// framed. The caller drains them with <see cref="Feed"/> before feeding new bytes.
    /// </summary>
    public bool TakeReplay(out ReadOnlyMemory<byte> bytes, out long offset)
    {
        bytes = pendingReplay;
        offset = pendingReplayOffset;
        pendingReplay = ReadOnlyMemory<byte>.Empty;
        return !bytes.IsEmpty;
    }

    private void ReturnPayload()
    {
        if (payload is { Length: > 0 }) ArrayPool<byte>.Shared.Return(payload);
        payload = null;
    }

    private RecordStatus GiveUp()
    {
        resync = null;
        return RecordStatus.LostSync;
    }
}
