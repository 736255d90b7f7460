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

    public byte[] History { get; set; } = [];

    public long Offset(long absolute) => absolute - Base;

    /// <summary>Maps a 32-bit sequence number to the absolute number nearest <see cref="Next"/>.</summary>
    public long Unwrap(uint seq) => Next + (int)(seq - (uint)Next);

    public void Remember(ReadOnlySpan<byte> delivered, int limit)
    {
        if (limit <= 0) return;
        if (delivered.Length >= limit)
        {
            History = delivered[^limit..].ToArray();
            return;
        }
        int keep = Math.Min(History.Length, limit - delivered.Length);
        History = [.. History.AsSpan(History.Length - keep), .. delivered];
    }

    public readonly record struct Chunk(byte[]? Bytes, int Length, Core.Model.Timestamp Time);
}
