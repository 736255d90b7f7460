using System.Buffers;

namespace Inspector.Capture.Tcp;

/// <summary>
/// One direction of a connection: where the stream is, what waits out of order, and a short
/// history of delivered bytes for comparing retransmissions. Sequence numbers are unwrapped
/// into 64 bits (RFC 9293 §3.4 arithmetic is modulo 2^32), so wraparound is invisible above.
/// </summary>
internal sealed class TcpHalf
{
    /// <summary>Absolute sequence number of stream offset 0.</summary>
    public long Base { get; set; }

    /// <summary>Next absolute sequence number to deliver.</summary>
    public long Next { get; set; }

    public bool Started { get; set; }

    /// <summary>Absolute sequence number of this direction's FIN, once seen.</summary>
    public long? Fin { get; set; }

    /// <summary>When the FIN segment was captured (its end event carries this time however segments were ordered).</summary>
    public Core.Model.Timestamp FinTime { get; set; }

    public bool FinDelivered { get; set; }

    public bool OverlapReported { get; set; }

    /// <summary>Segments beyond <see cref="Next"/>; a null Bytes marks bytes the snap length cut.</summary>
    public SortedList<long, Chunk> Pending { get; } = [];

    public long PendingBytes { get; set; }

    /// <summary>Highest absolute sequence number seen in a segment (end of its data).</summary>
    public long HighestSeen { get; set; }

    // Recently delivered bytes, a ring of fixed size: remembering costs one copy of the new
    // bytes, never a copy of the whole history (this runs for every delivered segment). The
    // ring is rented from the shared pool and returned when it grows or the connection closes:
    // a control-heavy capture's thousands of short connections otherwise allocated a ring
    // apiece, about a tenth of what `read` allocated (issue #8). A rented array can be longer
    // than asked, so the ring's size is kept apart from its length.
    private byte[] ring = [];
    private int ringSize;
    private const int MinimumRing = 1024;
    private int ringStart;
    private int ringCount;

    public long Offset(long absolute) => absolute - Base;

    /// <summary>Maps a 32-bit sequence number to the absolute number nearest <see cref="Next"/>.</summary>
    public long Unwrap(uint seq) => Next + (int)(seq - (uint)Next);

    /// <summary>How many of the last delivered bytes are remembered (they end at <see cref="Next"/>).</summary>
    public int HistoryLength => ringCount;

    public void Remember(ReadOnlySpan<byte> delivered, int limit)
    {
        if (limit <= 0 || delivered.IsEmpty) return;
        if (ringSize < limit && ringCount + delivered.Length > ringSize)
        {
            // Grow by doubling up to the limit, so short control connections stay small.
            // A pooled array's old contents never show: every byte read back was written first.
            int biggerSize = Math.Min(limit, Math.Max(Math.Max(ringCount + delivered.Length, MinimumRing), ringSize * 2));
            byte[] bigger = ArrayPool<byte>.Shared.Rent(biggerSize);
            CopyHistory(0, bigger.AsSpan(0, ringCount));
            ReturnRing();
            ring = bigger;
            ringSize = biggerSize;
            ringStart = 0;
        }
        int size = ringSize;
        if (delivered.Length >= size)
        {
            delivered[^size..].CopyTo(ring);
            ringStart = 0;
            ringCount = size;
            return;
        }
        int writeAt = (ringStart + ringCount) % size;
        int first = Math.Min(delivered.Length, size - writeAt);
        delivered[..first].CopyTo(ring.AsSpan(writeAt));
        delivered[first..].CopyTo(ring);
        int overflow = ringCount + delivered.Length - size;
        if (overflow > 0)
        {
            ringStart = (ringStart + overflow) % size;
            ringCount = size;
        }
        else
        {
            ringCount += delivered.Length;
        }
    }

    /// <summary>Copies remembered bytes, <paramref name="from"/> counted from the oldest (retransmissions, and the ring's growth).</summary>
    public void CopyHistory(int from, Span<byte> destination)
    {
        if (destination.IsEmpty) return;
        int start = (ringStart + from) % ringSize;
        int first = Math.Min(destination.Length, ringSize - start);
        ring.AsSpan(start, first).CopyTo(destination);
        ring.AsSpan(0, destination.Length - first).CopyTo(destination[first..]);
    }

    /// <summary>Drops the history and gives its ring back to the pool (the connection closed).</summary>
    public void ForgetHistory()
    {
        ReturnRing();
        ring = [];
        ringSize = ringStart = ringCount = 0;
    }

    private void ReturnRing()
    {
        if (ring.Length > 0) ArrayPool<byte>.Shared.Return(ring);
    }

    public readonly record struct Chunk(byte[]? Bytes, int Length, Core.Model.Timestamp Time);
}
