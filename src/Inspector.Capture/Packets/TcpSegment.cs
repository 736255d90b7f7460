using Inspector.Core.Model;

namespace Inspector.Capture.Packets;

/// <summary>TCP header flags (RFC 9293 §3.1).</summary>
[Flags]
public enum TcpFlags : byte
{
    None = 0,
    Fin = 0x01,
    Syn = 0x02,
    Rst = 0x04,
    Psh = 0x08,
    Ack = 0x10,
    Urg = 0x20,
}

/// <summary>One TCP segment pulled out of a frame.</summary>
/// <param name="Payload">The captured payload (memory may belong to the reader: copy what you keep).</param>
/// <param name="MissingPayload">Payload bytes the snap length cut off (on the wire, not in the capture).</param>
public readonly record struct TcpSegment(
    FlowEndpoint Source,
    FlowEndpoint Destination,
    uint Sequence,
    uint Acknowledgment,
    TcpFlags Flags,
    ReadOnlyMemory<byte> Payload,
    int MissingPayload,
    Timestamp Time)
{
    public bool Has(TcpFlags f) => (Flags & f) == f;
}
