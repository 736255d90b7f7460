using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Text;
using Inspector.Capture.Files;
using Inspector.Capture.Packets;
using Inspector.Core.Model;
using PacketDotNet;

namespace Inspector.Capture.Tests.Packets;

/// <summary>
/// Frames built with PacketDotNet (an independent implementation) decode to the same TCP
/// segment through every link type the reader supports.
/// </summary>
public class FrameDecoderTests
{
    private static readonly IPAddress Client4 = IPAddress.Parse("192.0.2.10"), Server4 = IPAddress.Parse("198.51.100.20");
    private static readonly Timestamp T = Timestamp.FromUnixSeconds(1_800_000_000);

    private static byte[] Ipv4Tcp(string payload, ushort id = 7, IPAddress? src = null, IPAddress? dst = null)
    {
        var ip = new IPv4Packet(src ?? Client4, dst ?? Server4) { TimeToLive = 64, Id = id };
        var tcp = new TcpPacket(40001, 21) { SequenceNumber = 0xFFFFFFF0, AcknowledgmentNumber = 42, Acknowledgment = true, Push = true, WindowSize = 502 };
        ip.PayloadPacket = tcp;
        tcp.PayloadData = Encoding.ASCII.GetBytes(payload);
        _ = ip.Bytes;
        tcp.UpdateTcpChecksum();
        ip.UpdateIPChecksum();
        return ip.Bytes;
    }

    private static byte[] Ethernet(byte[] ipBytes, EthernetType type = EthernetType.IPv4)
    {
        var eth = new EthernetPacket(PhysicalAddress.Parse("02-00-00-00-00-01"), PhysicalAddress.Parse("02-00-00-00-00-02"), type);
        return [.. eth.Bytes.AsSpan(0, 14), .. ipBytes];
    }

    private static (FrameKind Kind, TcpSegment Segment) Decode(int linkType, byte[] frame, int? originalLength = null)
    {
        var decoder = new FrameDecoder(new CaptureStats());
        FrameKind kind = decoder.Decode(new CapturedPacket(linkType, T, frame, originalLength ?? frame.Length, 0, 0), out TcpSegment s);
        return (kind, s);
    }

    private static void AssertUser(FrameKind kind, TcpSegment s)
    {
        Assert.Equal(FrameKind.Tcp, kind);
        Assert.Equal("192.0.2.10:40001", s.Source.ToString());
        Assert.Equal("198.51.100.20:21", s.Destination.ToString());
        Assert.Equal(0xFFFFFFF0u, s.Sequence);
        Assert.Equal(42u, s.Acknowledgment);
        Assert.True(s.Has(TcpFlags.Ack | TcpFlags.Psh));
        Assert.Equal("USER anonymous\r\n", Encoding.ASCII.GetString(s.Payload.Span));
        Assert.Equal(0, s.MissingPayload);
    }

    [Fact]
    public void Ethernet_ipv4_tcp()
    {
        var (kind, s) = Decode(LinkTypes.Ethernet, Ethernet(Ipv4Tcp("USER anonymous\r\n")));
        AssertUser(kind, s);
    }

    [Fact]
    public void Ethernet_padding_is_not_payload()
    {
        byte[] frame = [.. Ethernet(Ipv4Tcp("")), 0, 0, 0, 0, 0, 0];
        var (kind, s) = Decode(LinkTypes.Ethernet, frame);
        Assert.Equal(FrameKind.Tcp, kind);
        Assert.Equal(0, s.Payload.Length);
    }

    [Theory]
    [InlineData(new ushort[] { 0x8100 })]
    [InlineData(new ushort[] { 0x88A8, 0x8100 })]
    [InlineData(new ushort[] { 0x9100, 0x8100 })]
    public void Vlan_and_qinq_tags_are_skipped(ushort[] tags)
    {
        byte[] plain = Ethernet(Ipv4Tcp("USER anonymous\r\n"));
        var frame = new List<byte>(plain[..12]);
        foreach (ushort tpid in tags)
        {
            frame.AddRange([(byte)(tpid >> 8), (byte)tpid, 0x00, 0x64]); // TPID then TCI (VLAN 100)
        }
        frame.AddRange(plain[12..]);
        var (kind, s) = Decode(LinkTypes.Ethernet, frame.ToArray());
        AssertUser(kind, s);
    }

    [Fact]
    public void Linux_sll_and_sll2()
    {
        byte[] ip = Ipv4Tcp("USER anonymous\r\n");
        var sll = new byte[16];
        BinaryPrimitives.WriteUInt16BigEndian(sll.AsSpan(14), 0x0800);
        var (k1, s1) = Decode(LinkTypes.LinuxSll, [.. sll, .. ip]);
        AssertUser(k1, s1);

        var sll2 = new byte[20];
        BinaryPrimitives.WriteUInt16BigEndian(sll2, 0x0800);
        var (k2, s2) = Decode(LinkTypes.LinuxSll2, [.. sll2, .. ip]);
        AssertUser(k2, s2);
    }

    [Fact]
    public void Raw_null_both_byte_orders_and_loop()
    {
        byte[] ip = Ipv4Tcp("USER anonymous\r\n");
        AssertUser(Decode(LinkTypes.Raw, ip).Kind, Decode(LinkTypes.Raw, ip).Segment);
        AssertUser(Decode(LinkTypes.Ipv4, ip).Kind, Decode(LinkTypes.Ipv4, ip).Segment);
        var (k1, s1) = Decode(LinkTypes.Null, [2, 0, 0, 0, .. ip]);
        AssertUser(k1, s1);
        var (k2, s2) = Decode(LinkTypes.Null, [0, 0, 0, 2, .. ip]);
        AssertUser(k2, s2);
        var (k3, s3) = Decode(LinkTypes.Loop, [0, 0, 0, 2, .. ip]);
        AssertUser(k3, s3);
    }

    [Fact]
    public void Ipv6_with_an_extension_header()
    {
        var ip6 = new IPv6Packet(IPAddress.Parse("2001:db8::10"), IPAddress.Parse("2001:db8::20")) { HopLimit = 64 };
        var tcp = new TcpPacket(40001, 21) { SequenceNumber = 1, Acknowledgment = true, AcknowledgmentNumber = 1 };
        ip6.PayloadPacket = tcp;
        tcp.PayloadData = "PASV\r\n"u8.ToArray();
        ip6.PayloadLength = (ushort)tcp.TotalPacketLength;
        byte[] plain = ip6.Bytes;
        // Insert an 8-byte destination-options header (next header 60) before TCP.
        byte[] ext = [6, 0, 1, 4, 0, 0, 0, 0];
        byte[] withExt = [.. plain[..40], .. ext, .. plain[40..]];
        withExt[6] = 60;
        BinaryPrimitives.WriteUInt16BigEndian(withExt.AsSpan(4), (ushort)(plain.Length - 40 + 8));

        var (kind, s) = Decode(LinkTypes.Ethernet, Ethernet(withExt, EthernetType.IPv6));
        Assert.Equal(FrameKind.Tcp, kind);
        Assert.Equal("[2001:db8::10]:40001", s.Source.ToString());
        Assert.Equal("PASV\r\n", Encoding.ASCII.GetString(s.Payload.Span));
    }

    [Fact]
    public void Ipv4_fragments_are_reassembled_in_any_order()
    {
        byte[] whole = Ipv4Tcp("RETR a-long-file-name-to-fragment.bin\r\n", id: 99);
        int headerLength = 20;
        byte[] transport = whole[headerLength..];
        byte[] Fragment(int offset, int length, bool more)
        {
            byte[] f = [.. whole[..headerLength], .. transport.AsSpan(offset, length)];
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(2), (ushort)f.Length);
            BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(6), (ushort)((more ? 0x2000 : 0) | offset / 8));
            return f;
        }
        var decoder = new FrameDecoder(new CaptureStats());
        byte[] second = Fragment(24, transport.Length - 24, more: false);
        byte[] first = Fragment(0, 24, more: true);
        Assert.Equal(FrameKind.FragmentHeld, decoder.Decode(new CapturedPacket(LinkTypes.Raw, T, second, second.Length, 0, 0), out _));
        Assert.Equal(FrameKind.Tcp, decoder.Decode(new CapturedPacket(LinkTypes.Raw, T, first, first.Length, 0, 0), out TcpSegment s));
        Assert.Equal("RETR a-long-file-name-to-fragment.bin\r\n", Encoding.ASCII.GetString(s.Payload.Span));
        Assert.Equal(1, decoder.Stats.Ipv4Reassembled);
    }

    [Fact]
    public void Snap_length_cut_reports_the_missing_payload()
    {
        byte[] frame = Ethernet(Ipv4Tcp("USER anonymous\r\n"));
        var (kind, s) = Decode(LinkTypes.Ethernet, frame[..(frame.Length - 10)], frame.Length);
        Assert.Equal(FrameKind.Tcp, kind);
        Assert.Equal("USER a", Encoding.ASCII.GetString(s.Payload.Span));
        Assert.Equal(10, s.MissingPayload);
    }

    [Fact]
    public void Cut_headers_unknown_link_types_and_non_tcp_are_counted_not_thrown()
    {
        byte[] frame = Ethernet(Ipv4Tcp("x"));
        for (int cut = 0; cut < 14 + 20 + 20; cut++)
        {
            Assert.Equal(FrameKind.Truncated, Decode(LinkTypes.Ethernet, frame[..cut]).Kind);
        }
        Assert.Equal(FrameKind.UnsupportedLinkType, Decode(147, frame).Kind);
        byte[] udp = Ethernet(Ipv4Tcp("x"));
        udp[14 + 9] = 17;
        Assert.Equal(FrameKind.NotTcp, Decode(LinkTypes.Ethernet, udp).Kind);
        var random = new Random(5);
        for (int i = 0; i < 2000; i++)
        {
            byte[] junk = new byte[random.Next(0, 120)];
            random.NextBytes(junk);
            _ = Decode(new[] { 0, 1, 101, 108, 113, 276 }[i % 6], junk);
        }
    }
}
