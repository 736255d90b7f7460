using System.Net;
using Inspector.Capture.Packets;
using Inspector.Capture.Tcp;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Streams;

namespace Inspector.Capture.Tests.Tcp;

public class TcpReassemblerTests
{
    private const TcpFlags Ack = TcpFlags.Ack, Psh = TcpFlags.Psh | TcpFlags.Ack, Syn = TcpFlags.Syn, SynAck = TcpFlags.Syn | TcpFlags.Ack;
    private const Direction C2S = Direction.ClientToServer, S2C = Direction.ServerToClient;

    private static SegmentScript Handshake(uint clientIsn = 1000, uint serverIsn = 5000, TcpReassemblyOptions? options = null)
    {
        var s = new SegmentScript(options);
        s.Add(s.Segment(true, clientIsn, 0, Syn)).Add(s.Segment(false, serverIsn, clientIsn + 1, SynAck)).Add(s.Segment(true, clientIsn + 1, serverIsn + 1, Ack));
        return s;
    }

    [Fact]
    public void In_order_segments_become_a_stream_with_offsets_from_zero()
    {
        SegmentScript s = Handshake();
        s.Add(s.Segment(false, 5001, 1001, Psh, "220 hi\r\n")).Add(s.Segment(true, 1001, 5009, Psh, "USER a\r\n"));

        Assert.Equal("220 hi\r\n", s.Stream(S2C));
        Assert.Equal("USER a\r\n", s.Stream(C2S));
        Assert.IsType<OpenEvent>(s.Events[0].Event);
        Assert.False(((OpenEvent)s.Events[0].Event).Midstream);
    }

    [Fact]
    public void Out_of_order_segments_are_put_back_in_order()
    {
        SegmentScript s = Handshake();
        s.Add(s.Segment(true, 1011, 5001, Psh, "KLMNO")).Add(s.Segment(true, 1006, 5001, Psh, "FGHIJ")).Add(s.Segment(true, 1001, 5001, Psh, "ABCDE"));

        Assert.Equal("ABCDEFGHIJKLMNO", s.Stream(C2S));
    }

    [Fact]
    public void Identical_retransmissions_are_dropped_silently()
    {
        SegmentScript s = Handshake();
        s.Add(s.Segment(true, 1001, 5001, Psh, "ABCDE")).Add(s.Segment(true, 1001, 5001, Psh, "ABCDE")).Add(s.Segment(true, 1003, 5001, Psh, "CDEFG"));

        Assert.Equal("ABCDEFG", s.Stream(C2S));
        Assert.DoesNotContain(s.Events, e => e.Event is AnomalyEvent);
    }

    [Fact]
    public void Overlapping_retransmission_with_other_bytes_is_reported_and_the_first_copy_kept()
    {
        SegmentScript s = Handshake();
        s.Add(s.Segment(true, 1001, 5001, Psh, "ABCDE")).Add(s.Segment(true, 1003, 5001, Psh, "XYZFG"));

        Assert.Equal("ABCDEFG", s.Stream(C2S));
        AnomalyEvent a = Assert.Single(s.Events.Select(e => e.Event).OfType<AnomalyEvent>());
        Assert.Equal(FindingCatalog.TcpOverlapMismatch, a.FindingName);
        Assert.Equal(2, a.Offset);
        Assert.Contains("first copy was used", a.Summary);
    }

    [Fact]
    public void Overlap_between_buffered_segments_keeps_the_first_copy()
    {
        SegmentScript s = Handshake();
        s.Add(s.Segment(true, 1006, 5001, Psh, "FGHIJ")).Add(s.Segment(true, 1008, 5001, Psh, "xxKLM")).Add(s.Segment(true, 1001, 5001, Psh, "ABCDE"));

        Assert.Equal("ABCDEFGHIJLM", s.Stream(C2S));
        Assert.Single(s.Events.Select(e => e.Event).OfType<AnomalyEvent>());
    }

    [Fact]
    public void A_hole_the_peer_acknowledged_becomes_a_gap_of_the_right_size()
    {
        SegmentScript s = Handshake();
        s.Add(s.Segment(false, 5001, 1001, Psh, "220 hi\r\n"))
         .Add(s.Segment(true, 1001, 5009, Psh, "USER a\r\n"))
         // "PASS b\r\n" (8 bytes at 1009) was lost to the capture; the server acknowledges it.
         .Add(s.Segment(false, 5009, 1017, Psh, "331 pw\r\n230 ok\r\n"));

        Assert.Equal("USER a\r\n########", s.Stream(C2S));
        GapEvent gap = Assert.Single(s.Events.Select(e => e.Event).OfType<GapEvent>());
        Assert.Equal(8, gap.Length);
        Assert.Equal(GapCause.Lost, gap.Cause);
    }

    [Fact]
    public void Holes_left_at_the_end_of_the_capture_become_gaps_and_later_bytes_are_delivered()
    {
        SegmentScript s = Handshake();
        s.Add(s.Segment(true, 1001, 5001, Psh, "ABC")).Add(s.Segment(true, 1010, 5001, Psh, "JKL"));
        s.Reassembler.Finish();

        Assert.Equal("ABC######JKL", s.Stream(C2S));
        Assert.Equal([(1L, EndKind.EndOfCapture)], s.Closed);
    }

    [Fact]
    public void Sequence_numbers_wrap_around()
    {
        SegmentScript s = Handshake(clientIsn: 0xFFFFFFF8);
        s.Add(s.Segment(true, 0xFFFFFFF9, 5001, Psh, "ABCDE")).Add(s.Segment(true, 0xFFFFFFFE, 5001, Psh, "FGHIJ")).Add(s.Segment(true, 3, 5001, Psh, "KLMNO"));

        Assert.Equal("ABCDEFGHIJKLMNO", s.Stream(C2S));
    }

    [Fact]
    public void Fin_from_both_sides_closes_after_all_data()
    {
        SegmentScript s = Handshake();
        s.Add(s.Segment(true, 1004, 5001, TcpFlags.Fin | Ack, "DEF")).Add(s.Segment(true, 1001, 5001, Psh, "ABC"));
        Assert.Contains(s.Events, e => e.Event is EndEvent { Kind: EndKind.Fin, Direction: C2S });
        Assert.Empty(s.Closed);
        s.Add(s.Segment(false, 5001, 1008, TcpFlags.Fin | Ack));

        Assert.Equal("ABCDEF", s.Stream(C2S));
        Assert.Equal([(1L, EndKind.Fin)], s.Closed);
        int dataIndex = s.Events.FindIndex(e => e.Event is DataEvent { Bytes.Length: 3 } d && d.Offset == 3);
        int finIndex = s.Events.FindIndex(e => e.Event is EndEvent);
        Assert.True(dataIndex < finIndex);
    }

    [Fact]
    public void Reset_ends_the_connection_and_late_packets_are_ignored()
    {
        SegmentScript s = Handshake();
        s.Add(s.Segment(false, 5001, 1001, TcpFlags.Rst | Ack)).Add(s.Segment(true, 1001, 5001, Psh, "late"));

        Assert.Equal([(1L, EndKind.Reset)], s.Closed);
        Assert.Equal("", s.Stream(C2S));
        Assert.Single(s.Events, e => e.Event is OpenEvent);
    }

    [Fact]
    public void Port_reuse_starts_a_new_connection()
    {
        SegmentScript s = Handshake();
        s.Add(s.Segment(true, 1001, 5001, TcpFlags.Rst));
        s.Add(s.Segment(true, 90000, 0, Syn)).Add(s.Segment(false, 70000, 90001, SynAck)).Add(s.Segment(true, 90001, 70001, Psh, "again"));

        Assert.Equal("again", s.Stream(C2S, connection: 2));
        Assert.Equal(2, s.Events.Count(e => e.Event is OpenEvent));
    }

    [Fact]
    public void Connection_seen_from_its_middle_takes_the_ftp_port_as_the_server()
    {
        var s = new SegmentScript();
        s.Add(s.Segment(false, 777, 888, Psh, "226 done\r\n")).Add(s.Segment(true, 888, 787, Psh, "QUIT\r\n"));

        OpenEvent open = Assert.IsType<OpenEvent>(s.Events[0].Event);
        Assert.True(open.Midstream);
        Assert.Equal("226 done\r\n", s.Stream(S2C));
        Assert.Equal("QUIT\r\n", s.Stream(C2S));
    }

    [Fact]
    public void Bytes_cut_by_the_snap_length_are_a_snaplen_gap_not_a_loss()
    {
        SegmentScript s = Handshake();
        s.Add(s.Segment(true, 1001, 5001, Psh, "ABCD", missing: 6)).Add(s.Segment(true, 1011, 5001, Psh, "KLM"));

        Assert.Equal("ABCD######KLM", s.Stream(C2S));
        GapEvent gap = Assert.Single(s.Events.Select(e => e.Event).OfType<GapEvent>());
        Assert.Equal(GapCause.Snaplen, gap.Cause);
    }

    [Fact]
    public void Out_of_order_limit_declares_the_hole_lost()
    {
        SegmentScript s = Handshake(options: new TcpReassemblyOptions { MaxOutOfOrderBytes = 10 });
        s.Add(s.Segment(true, 1006, 5001, Psh, "FGHIJ")).Add(s.Segment(true, 1011, 5001, Psh, "KLMNOP"));

        Assert.Equal("#####FGHIJKLMNOP", s.Stream(C2S));
        Assert.Contains(s.Events, e => e.Event is AnomalyEvent { FindingName: FindingCatalog.TcpBufferLimit });
    }

    [Fact]
    public void Idle_connections_are_ended_by_a_sweep()
    {
        SegmentScript s = Handshake(options: new TcpReassemblyOptions { IdleTimeout = TimeSpan.FromSeconds(5) });
        s.Reassembler.Sweep(new Timestamp(1_800_000_000_000_000_000L + TimeSpan.FromSeconds(60).Ticks * 100));

        Assert.Equal([(1L, EndKind.Timeout)], s.Closed);
    }
}

public class TcpConnectionLimitTests
{
    [Fact]
    public void A_syn_flood_beyond_the_connection_limit_ends_the_longest_idle_connections_and_stays_within_it()
    {
        var script = new SegmentScript(new TcpReassemblyOptions { MaxConnections = 1_000 });
        // The first connection carries a line, then 5,000 SYNs from other ports arrive.
        script.Add(script.Segment(true, 100, 0, TcpFlags.Syn));
        script.Add(script.Segment(false, 500, 101, TcpFlags.Syn | TcpFlags.Ack));
        script.Add(script.Segment(true, 101, 501, TcpFlags.Ack | TcpFlags.Psh, "USER a\r\n"));
        for (int i = 0; i < 5_000; i++)
        {
            TcpSegment syn = script.Segment(true, 1, 0, TcpFlags.Syn);
            script.Add(syn with { Source = FlowEndpoint.FromIPv4(IPAddress.Parse("203.0.113.7").GetAddressBytes(), (ushort)(1024 + i)) });
        }

        // The first (longest idle) connection was ended as idle, with what it had delivered.
        Assert.Contains(script.Closed, c => c.Connection == 1 && c.Kind == EndKind.Timeout);
        Assert.Equal("USER a\r\n", script.Stream(Direction.ClientToServer, 1));
        // Never more than the limit open: 5,001 opened, the rest ended in batches.
        int open = 5_001 - script.Closed.Count;
        Assert.InRange(open, 1, 1_000);
    }
}
