using System.Net;
using System.Runtime.CompilerServices;
using Inspector.Capture.Packets;
using Inspector.Capture.Tcp;
using Inspector.Core.Model;
using Inspector.Core.Streams;

namespace Inspector.Capture.Tests.Tcp;

/// <summary>
/// A closed connection's tuple is remembered for <see cref="TcpReassemblyOptions.ClosedLinger"/>
/// so its late packets are dropped, but the connection itself is let go at once.
/// </summary>
public class ClosedConnectionTests
{
    private const TcpFlags Ack = TcpFlags.Ack, Psh = TcpFlags.Psh | TcpFlags.Ack, Syn = TcpFlags.Syn, SynAck = TcpFlags.Syn | TcpFlags.Ack;

    [Fact]
    public void Late_packets_are_dropped_while_the_tuple_lingers_and_start_a_midstream_connection_after()
    {
        var s = new SegmentScript(new TcpReassemblyOptions { ClosedLinger = TimeSpan.FromSeconds(5) });
        s.Add(s.Segment(true, 1000, 0, Syn)).Add(s.Segment(false, 5000, 1001, SynAck)).Add(s.Segment(true, 1001, 5001, Ack));
        s.Add(s.Segment(false, 5001, 1001, TcpFlags.Rst | Ack));
        s.Add(s.Segment(true, 1001, 5001, Psh, "late"));
        Assert.Single(s.Events, e => e.Event is OpenEvent);

        // Still lingering a second later: a sweep keeps it.
        s.Reassembler.Sweep(Later(s, TimeSpan.FromSeconds(1)));
        s.Add(s.Segment(true, 1001, 5001, Psh, "late"));
        Assert.Single(s.Events, e => e.Event is OpenEvent);

        // Past the linger the tuple is forgotten, and a packet on it is a connection seen from its middle.
        s.Reassembler.Sweep(Later(s, TimeSpan.FromSeconds(60)));
        s.Add(s.Segment(true, 1001, 5001, Psh, "QUIT\r\n"));
        Assert.Equal(2, s.Events.Count(e => e.Event is OpenEvent));
        Assert.True(((OpenEvent)s.Events.Last(e => e.Event is OpenEvent).Event).Midstream);
        Assert.Equal("QUIT\r\n", s.Stream(Direction.ClientToServer, connection: 2));
    }

    [Fact]
    public void A_syn_on_a_lingering_tuple_starts_a_new_connection_at_once()
    {
        var s = new SegmentScript();
        s.Add(s.Segment(true, 1000, 0, Syn)).Add(s.Segment(false, 5000, 1001, SynAck)).Add(s.Segment(true, 1001, 5001, TcpFlags.Rst));
        s.Add(s.Segment(true, 1001, 5001, Psh, "late")); // dropped
        s.Add(s.Segment(true, 90000, 0, Syn)).Add(s.Segment(false, 70000, 90001, SynAck)).Add(s.Segment(true, 90001, 70001, Psh, "again"));

        Assert.Equal("", s.Stream(Direction.ClientToServer, connection: 1));
        Assert.Equal("again", s.Stream(Direction.ClientToServer, connection: 2));
        Assert.False(((OpenEvent)s.Events.Last(e => e.Event is OpenEvent).Event).Midstream);
    }

    [Fact]
    public void Closed_connections_are_not_held_while_their_tuples_linger()
    {
        var sink = new WeakSink();
        var reassembler = new TcpReassembler(sink, null, p => p == 21);
        AddConnections(reassembler, 2_000);
        Assert.Equal(2_000, sink.Closed.Count);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        int alive = sink.Closed.Count(w => w.TryGetTarget(out _));
        Assert.True(alive == 0, $"{alive} of 2,000 closed connections still held");
        GC.KeepAlive(reassembler);
    }

    // Not inlined, so no local of this frame keeps a connection reachable.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddConnections(TcpReassembler reassembler, int count)
    {
        FlowEndpoint server = FlowEndpoint.FromIPv4(IPAddress.Parse("198.51.100.20").GetAddressBytes(), 21);
        long nanos = 1_800_000_000_000_000_000L;
        for (int i = 0; i < count; i++)
        {
            FlowEndpoint client = FlowEndpoint.FromIPv4(IPAddress.Parse("192.0.2.10").GetAddressBytes(), (ushort)(20000 + i));
            reassembler.Add(new TcpSegment(client, server, 1000, 0, Syn, ReadOnlyMemory<byte>.Empty, 0, new Timestamp(nanos += 1000)));
            reassembler.Add(new TcpSegment(server, client, 5000, 1001, SynAck, ReadOnlyMemory<byte>.Empty, 0, new Timestamp(nanos += 1000)));
            reassembler.Add(new TcpSegment(client, server, 1001, 5001, TcpFlags.Rst, ReadOnlyMemory<byte>.Empty, 0, new Timestamp(nanos += 1000)));
        }
    }

    private static Timestamp Later(SegmentScript s, TimeSpan by) =>
        new(s.Events[^1].Event.Time.UnixNanoseconds + by.Ticks * 100);

    private sealed class WeakSink : ITcpStreamSink
    {
        public List<WeakReference<TcpConnection>> Closed { get; } = [];

        public void OnConnection(TcpConnection connection) { }

        public void OnEvent(TcpConnection connection, StreamEvent e) { }

        public void OnClosed(TcpConnection connection, Timestamp time, EndKind kind) => Closed.Add(new WeakReference<TcpConnection>(connection));
    }
}

public class ClosedTupleLimitTests
{
    [Fact]
    public void A_flood_of_short_connections_keeps_the_remembered_tuples_within_the_limit_and_the_newest_are_kept()
    {
        var script = new SegmentScript(new TcpReassemblyOptions { MaxClosedTuples = 100 });
        var server = FlowEndpoint.FromIPv4(IPAddress.Parse("198.51.100.20").GetAddressBytes(), 21);
        long nanos = 1_800_000_000_000_000_000L;
        FlowEndpoint Client(int i) => FlowEndpoint.FromIPv4(IPAddress.Parse("192.0.2.10").GetAddressBytes(), (ushort)(20000 + i));
        for (int i = 0; i < 1_000; i++)
        {
            script.Reassembler.Add(new TcpSegment(Client(i), server, 1000, 0, TcpFlags.Syn, ReadOnlyMemory<byte>.Empty, 0, new Timestamp(nanos += 1000)));
            script.Reassembler.Add(new TcpSegment(Client(i), server, 1001, 0, TcpFlags.Rst, ReadOnlyMemory<byte>.Empty, 0, new Timestamp(nanos += 1000)));
            Assert.InRange(script.Reassembler.ClosedTupleCount, 1, 100);
        }
        int opens = script.Events.Count(e => e.Event is OpenEvent);
        Assert.Equal(1_000, opens);

        // The latest connection's tuple is still remembered: its late packet is dropped.
        script.Reassembler.Add(new TcpSegment(Client(999), server, 1001, 0, TcpFlags.Ack, "late"u8.ToArray(), 0, new Timestamp(nanos += 1000)));
        Assert.Equal(opens, script.Events.Count(e => e.Event is OpenEvent));
        // The first one's was forgotten: its late packet starts a connection seen from its middle.
        script.Reassembler.Add(new TcpSegment(Client(0), server, 1001, 0, TcpFlags.Ack, "late"u8.ToArray(), 0, new Timestamp(nanos += 1000)));
        Assert.Equal(opens + 1, script.Events.Count(e => e.Event is OpenEvent));
    }
}
