using System.Buffers;

namespace Inspector.Core.Tls;

/// <summary>One handshake message (RFC 8446 §4: type, 24-bit length, body).</summary>
/// <param name="Wire">Header and body as sent: a view of the reassembler's buffer, valid until its next call (copy what must outlive that).</param>
public readonly record struct HandshakeMessage(byte Type, ReadOnlyMemory<byte> Wire, long Offset)
{
    /// <summary>The body, after the four-byte header (empty for a message skipped as too large).</summary>
    public ReadOnlyMemory<byte> Body => Wire.Length > 4 ? Wire[4..] : ReadOnlyMemory<byte>.Empty;

    public int WireLength => 4 + Body.Length;
}

/// <summary>What <see cref="HandshakeReassembler.TryNext"/> found.</summary>
public enum HandshakeStatus : byte
{
    NeedMoreData,
    Message,
    /// <summary>The next message declares a length over the limit; it is skipped.</summary>
    TooLarge,
}

/// <summary>
/// Joins handshake records into messages: several messages may share a record and one message
/// may span records (RFC 8446 §5.1, RFC 5246 §6.2.1). Remembers where each byte came from in
/// the stream, so a message's offset is exact even when record headers cut it. The buffer is
/// rented from the shared pool while messages are under way and given back once they are all
/// taken, so a connection past its handshake holds none.
/// </summary>
public sealed class HandshakeReassembler(int maxMessageLength)
{
    private byte[] buffer = [];
    private int start;
    private int end;
    private readonly List<(int Position, long Offset)> origins = [];
    private long skipRemaining;

    /// <summary>Declared length of the oversized message just reported.</summary>
    public int LastDeclaredLength { get; private set; }

    /// <summary>Bytes of an unfinished message held now.</summary>
    public int Pending => end - start;

    public void Append(ReadOnlySpan<byte> fragment, long streamOffset)
    {
        if (skipRemaining > 0)
        {
            int skip = (int)Math.Min(skipRemaining, fragment.Length);
            skipRemaining -= skip;
            fragment = fragment[skip..];
            streamOffset += skip;
            if (fragment.IsEmpty) return;
        }
        if (start == end)
        {
            start = end = 0;
            origins.Clear();
        }
        if (end + fragment.Length > buffer.Length)
        {
            int live = end - start;
            byte[] bigger = buffer.Length >= live + fragment.Length ? buffer : ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, live + fragment.Length));
            Buffer.BlockCopy(buffer, start, bigger, 0, live);
            for (int k = 0; k < origins.Count; k++) origins[k] = (origins[k].Position - start, origins[k].Offset);
            if (bigger != buffer) ReturnBuffer();
            buffer = bigger;
            end = live;
            start = 0;
        }
        origins.Add((end, streamOffset));
        fragment.CopyTo(buffer.AsSpan(end));
        end += fragment.Length;
    }

    public HandshakeStatus TryNext(out HandshakeMessage message)
    {
        message = default;
        if (start == end)
        {
            // Every message is taken (and the last one handed out is done with).
            ReturnBuffer();
            start = end = 0;
            origins.Clear();
        }
        if (end - start < 4) return HandshakeStatus.NeedMoreData;
        int length = (buffer[start + 1] << 16) | (buffer[start + 2] << 8) | buffer[start + 3];
        if (length > maxMessageLength)
        {
            LastDeclaredLength = length;
            long total = 4L + length;
            int here = (int)Math.Min(total, end - start);
            message = new HandshakeMessage(buffer[start], buffer.AsMemory(start, 4), OffsetOf(start)); // the header only
            start += here;
            skipRemaining = total - here;
            return HandshakeStatus.TooLarge;
        }
        if (end - start < 4 + length) return HandshakeStatus.NeedMoreData;
        message = new HandshakeMessage(buffer[start], buffer.AsMemory(start, 4 + length), OffsetOf(start));
        start += 4 + length;
        return HandshakeStatus.Message;
    }

    /// <summary>Drop everything (after a gap, or when the direction turns encrypted).</summary>
    public void Reset()
    {
        ReturnBuffer();
        start = end = 0;
        origins.Clear();
        skipRemaining = 0;
    }

    private void ReturnBuffer()
    {
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
    }

    private long OffsetOf(int position)
    {
        long offset = 0;
        foreach ((int pos, long off) in origins)
        {
            if (pos > position) break;
            offset = off + (position - pos);
        }
        return offset;
    }
}
