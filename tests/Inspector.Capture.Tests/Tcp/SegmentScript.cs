using System.Net;
using Inspector.Capture.Packets;
using Inspector.Capture.Tcp;
using Inspector.Core.Model;
using Inspector.Core.Streams;

namespace Inspector.Capture.Tests.Tcp;

/// <summary>Builds TCP segments between one client and one server, and records what the reassembler makes of them.</summary>
internal sealed class SegmentScript : ITcpStreamSink
{
    public static readonly FlowEndpoint ClientEp = FlowEndpoint.FromIPv4(IPAddress.Parse("192.0.2.10").GetAddressBytes(), 40000);
    public static readonly FlowEndpoint ServerEp = FlowEndpoint.FromIPv4(IPAddress.Parse("198.51.100.20").GetAddressBytes(), 21);

    private long nanos = 1_800_000_000_000_000_000L;

    public SegmentScript(TcpReassemblyOptions? options = null) => Reassembler = new TcpReassembler(this, options, p => p == 21);

    public TcpReassembler Reassembler { get; }

    public List<(long Connection, StreamEvent Event)> Events { get; } = [];

    public List<(long Connection, EndKind Kind)> Closed { get; } = [];

    public TcpSegment Segment(bool fromClient, uint seq, uint ack, TcpFlags flags, string payload = "", int missing = 0) =>
        Segment(fromClient, seq, ack, flags, System.Text.Encoding.ASCII.GetBytes(payload), missing);

    public TcpSegment Segment(bool fromClient, uint seq, uint ack, TcpFlags flags, byte[] payload, int missing = 0)
    {
        nanos += 1_000_000;
        return new TcpSegment(fromClient ? ClientEp : ServerEp, fromClient ? ServerEp : ClientEp, seq, ack, flags, payload, missing, new Timestamp(nanos));
    }

    public SegmentScript Add(TcpSegment s)
    {
        Reassembler.Add(s);
        return this;
    }

    /// <summary>The delivered bytes of one direction, with gaps shown as '#'.</summary>
    public string Stream(Direction d, long connection = 1)
    {
        var sb = new System.Text.StringBuilder();
        foreach ((long c, StreamEvent e) in Events)
        {
            if (c != connection || e.Direction != d) continue;
            if (e is DataEvent data)
            {
                Assert.Equal(sb.Length, data.Offset);
                sb.Append(System.Text.Encoding.ASCII.GetString(data.Bytes.Span));
            }
            if (e is GapEvent gap)
            {
                Assert.Equal(sb.Length, gap.Offset);
                sb.Append('#', (int)gap.Length);
            }
        }
        return sb.ToString();
    }

    public void OnConnection(TcpConnection connection) { }

    public void OnEvent(TcpConnection connection, StreamEvent e)
    {
        // Copy data: the reassembler's memory is only valid during the call.
        Events.Add((connection.Id, e is DataEvent d ? d with { Bytes = d.Bytes.ToArray() } : e));
    }

    public void OnClosed(TcpConnection connection, Timestamp time, EndKind kind) => Closed.Add((connection.Id, kind));
}
