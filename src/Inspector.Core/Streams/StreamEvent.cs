using Inspector.Core.Model;

namespace Inspector.Core.Streams;

/// <summary>How a connection, or one direction of it, came to an end.</summary>
public enum EndKind : byte
{
    /// <summary>The sender half-closed its direction (TCP FIN).</summary>
    Fin,
    /// <summary>The sender reset the connection (TCP RST): both directions end.</summary>
    Reset,
    /// <summary>The source stopped waiting for more bytes (idle timeout).</summary>
    Timeout,
    /// <summary>The capture (or the proxy session) ended before the connection did.</summary>
    EndOfCapture,
}

/// <summary>
/// The only thing a decoder sees. A proxy, a capture file and a live capture all produce these,
/// and nothing downstream knows which one did.
/// </summary>
public abstract record StreamEvent(Direction Direction, Timestamp Time);

/// <summary>The connection is open (handshake seen, proxy accepted, or first packet of a mid-stream capture).</summary>
public sealed record OpenEvent(Timestamp Time, bool Midstream) : StreamEvent(Direction.ClientToServer, Time);

/// <summary>In-order bytes of one direction, starting at <paramref name="Offset"/> in that direction's stream.</summary>
public sealed record DataEvent(Direction Direction, long Offset, Timestamp Time, ReadOnlyMemory<byte> Bytes)
    : StreamEvent(Direction, Time);

/// <summary>Why bytes are missing.</summary>
public enum GapCause : byte
{
    /// <summary>Segments never seen (loss before the capture point, capture drops).</summary>
    Lost,
    /// <summary>The packets were seen but cut short by the capture's snap length.</summary>
    Snaplen,
    /// <summary>The analysis fell behind and skipped bytes (the relayed bytes are intact).</summary>
    AnalysisOverflow,
}

/// <summary>Bytes known to be missing (lost segments, capture drops, snap length, analysis overflow).</summary>
public sealed record GapEvent(Direction Direction, long Offset, long Length, Timestamp Time, string Reason, GapCause Cause = GapCause.Lost)
    : StreamEvent(Direction, Time);

/// <summary>A FIN or RST from the sender of <paramref name="Direction"/>, or the end of the source.</summary>
public sealed record EndEvent(Direction Direction, EndKind Kind, Timestamp Time) : StreamEvent(Direction, Time);

/// <summary>
/// Something the stream source noticed about the bytes themselves (retransmissions that
/// disagree, a buffer limit): the analyzer reports it as the named finding.
/// </summary>
/// <param name="FindingName">A name from the findings catalogue (tcp.*).</param>
/// <param name="Side">Who the finding blames (the network, for what a capture or path did).</param>
public sealed record AnomalyEvent(Direction Direction, long Offset, Timestamp Time, string FindingName, string Summary, string Explanation, ReadOnlyMemory<byte> Evidence, Side Side = Side.Network)
    : StreamEvent(Direction, Time);

/// <summary>Role swaps for data connections that the FTP server opened (active mode).</summary>
public static class StreamEventRoles
{
    /// <summary>The same event seen from the other end: directions and blamed sides swapped.</summary>
    public static StreamEvent Swap(StreamEvent e) => e switch
    {
        DataEvent d => d with { Direction = d.Direction.Opposite() },
        GapEvent g => g with { Direction = g.Direction.Opposite() },
        EndEvent x => x with { Direction = x.Direction.Opposite() },
        AnomalyEvent a => a with
        {
            Direction = a.Direction.Opposite(),
            Side = a.Side switch { Side.Client => Side.Server, Side.Server => Side.Client, _ => a.Side },
        },
        _ => e,
    };
}
