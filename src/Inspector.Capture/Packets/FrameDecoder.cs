using System.Buffers.Binary;
using Inspector.Capture.Files;

namespace Inspector.Capture.Packets;

/// <summary>What a frame turned out to be.</summary>
public enum FrameKind : byte
{
    Tcp,
    NotTcp,
    /// <summary>An IPv4 fragment held until its datagram is whole.</summary>
    FragmentHeld,
    /// <summary>Headers cut short (by the snap length or a broken frame) before the TCP header ends.</summary>
    Truncated,
    Malformed,
    UnsupportedLinkType,
}

/// <summary>
/// Finds the TCP segment in a captured frame: link layer (Ethernet with 802.1Q/802.1ad/QinQ
/// tags, Linux SLL and SLL2, raw IP, BSD NULL and LOOP), IPv4 (fragments reassembled) or IPv6
/// (extension headers skipped), then TCP. It reads headers straight from the captured bytes
/// without copying: the packet loop is the hot path, and a frame the snap length cut is still
/// decoded as far as its bytes go.
/// </summary>
public sealed class FrameDecoder
{
    private readonly Ipv4Defragmenter defragmenter;

    public FrameDecoder(CaptureStats stats)
    {
        Stats = stats;
        defragmenter = new Ipv4Defragmenter(stats);
    }

    public CaptureStats Stats { get; }

    public FrameKind Decode(in CapturedPacket packet, out TcpSegment segment)
    {
        segment = default;
        Stats.Packets++;
        ReadOnlyMemory<byte> frame = packet.Data;
        FrameKind kind = FindIp(packet.LinkType, frame.Span, out int ipStart, out int ipVersion);
        if (kind != FrameKind.Tcp) return Count(kind);
        kind = ipVersion == 4
            ? DecodeIpv4(packet, frame[ipStart..], out segment)
            : DecodeIpv6(packet, frame[ipStart..], out segment);
        return Count(kind);
    }

    private FrameKind Count(FrameKind kind)
    {
        switch (kind)
        {
            case FrameKind.Tcp: Stats.TcpSegments++; break;
            case FrameKind.NotTcp: Stats.NotTcp++; break;
            case FrameKind.Truncated: Stats.TruncatedHeaders++; break;
            case FrameKind.Malformed: Stats.Malformed++; break;
        }
        return kind;
    }

    /// <summary>Locates the IP header behind the link layer.</summary>
    private FrameKind FindIp(int linkType, ReadOnlySpan<byte> f, out int start, out int version)
    {
        start = 0;
        version = 0;
        int etherType;
        switch (linkType)
        {
            case LinkTypes.Ethernet:
                if (f.Length < 14) return FrameKind.Truncated;
                etherType = BinaryPrimitives.ReadUInt16BigEndian(f[12..]);
                start = 14;
                // IEEE 802.1Q (0x8100), 802.1ad (0x88A8) and the older QinQ types stack 4-byte tags.
                while (etherType is 0x8100 or 0x88A8 or 0x9100 or 0x9200)
                {
                    if (f.Length < start + 4) return FrameKind.Truncated;
                    etherType = BinaryPrimitives.ReadUInt16BigEndian(f[(start + 2)..]);
                    start += 4;
                }
                break;
            case LinkTypes.LinuxSll:
                // https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html: protocol at 14, header 16.
                if (f.Length < 16) return FrameKind.Truncated;
                etherType = BinaryPrimitives.ReadUInt16BigEndian(f[14..]);
                start = 16;
                break;
            case LinkTypes.LinuxSll2:
                // https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html: protocol at 0, header 20.
                if (f.Length < 20) return FrameKind.Truncated;
                etherType = BinaryPrimitives.ReadUInt16BigEndian(f);
                start = 20;
                break;
            case LinkTypes.Null:
            case LinkTypes.Loop:
                if (f.Length < 4) return FrameKind.Truncated;
                // NULL stores the address family in the capturing host's byte order, LOOP in network order.
                uint family = linkType == LinkTypes.Loop ? BinaryPrimitives.ReadUInt32BigEndian(f) : BinaryPrimitives.ReadUInt32LittleEndian(f);
                if (family > 0xFFFF) family = BinaryPrimitives.ReverseEndianness(family);
                start = 4;
                etherType = family switch
                {
                    2 => 0x0800,
                    10 or 24 or 28 or 30 => 0x86DD, // AF_INET6 on Linux, NetBSD/OpenBSD, FreeBSD, macOS
                    _ => -1,
                };
                break;
            case LinkTypes.Raw:
            case LinkTypes.RawBsd:
            case LinkTypes.RawOpenBsd:
                if (f.Length < 1) return FrameKind.Truncated;
                etherType = (f[0] >> 4) switch { 4 => 0x0800, 6 => 0x86DD, _ => -1 };
                break;
            case LinkTypes.Ipv4:
                etherType = 0x0800;
                break;
            case LinkTypes.Ipv6:
                etherType = 0x86DD;
                break;
            default:
                Stats.UnsupportedLinkTypes.Add(linkType);
                return FrameKind.UnsupportedLinkType;
        }
        version = etherType switch { 0x0800 => 4, 0x86DD => 6, _ => 0 };
        return version == 0 ? FrameKind.NotTcp : FrameKind.Tcp;
    }

    /// <summary>RFC 791 §3.1.</summary>
    private FrameKind DecodeIpv4(in CapturedPacket packet, ReadOnlyMemory<byte> ipMem, out TcpSegment segment)
    {
        segment = default;
        ReadOnlySpan<byte> ip = ipMem.Span;
        if (ip.Length < 20) return FrameKind.Truncated;
        if (ip[0] >> 4 != 4) return FrameKind.Malformed;
        int headerLength = (ip[0] & 0x0F) * 4;
        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        if (headerLength < 20 || totalLength < headerLength) return FrameKind.Malformed;
        if (ip.Length < headerLength) return FrameKind.Truncated;
        if (ip[9] != 6) return FrameKind.NotTcp;

        // Ethernet pads short frames: the IP total length says where the datagram ends.
        int captured = Math.Min(ip.Length, totalLength);
        int missing = totalLength - captured;
        ushort flagsOffset = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]);
        bool moreFragments = (flagsOffset & 0x2000) != 0;
        int fragmentOffset = (flagsOffset & 0x1FFF) * 8;
        uint src = BinaryPrimitives.ReadUInt32BigEndian(ip[12..]);
        uint dst = BinaryPrimitives.ReadUInt32BigEndian(ip[16..]);
        ReadOnlyMemory<byte> payload = ipMem[headerLength..captured];
        if (moreFragments || fragmentOffset > 0)
        {
            if (missing > 0)
            {
                Stats.FragmentsDropped++;
                return FrameKind.Truncated;
            }
            byte[]? whole = defragmenter.Add(src, dst, BinaryPrimitives.ReadUInt16BigEndian(ip[4..]), 6, fragmentOffset, moreFragments, payload.Span, packet.Time);
            if (whole is null) return FrameKind.FragmentHeld;
            payload = whole;
        }
        return DecodeTcp(packet, FlowEndpointV4(src), FlowEndpointV4(dst), payload, missing, out segment);
    }

    private static (bool V6, ulong High, ulong Low) FlowEndpointV4(uint address) => (false, 0, address);

    /// <summary>RFC 8200 §3-§4: fixed header, then extension headers until TCP.</summary>
    private FrameKind DecodeIpv6(in CapturedPacket packet, ReadOnlyMemory<byte> ipMem, out TcpSegment segment)
    {
        segment = default;
        ReadOnlySpan<byte> ip = ipMem.Span;
        if (ip.Length < 40) return FrameKind.Truncated;
        if (ip[0] >> 4 != 6) return FrameKind.Malformed;
        int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
        int end = 40 + payloadLength;
        int captured = Math.Min(ip.Length, end);
        int missing = end - captured;
        byte next = ip[6];
        int pos = 40;
        while (next != 6)
        {
            switch (next)
            {
                case 0:   // hop-by-hop options
                case 43:  // routing
                case 60:  // destination options
                    if (captured < pos + 8) return FrameKind.Truncated;
                    next = ip[pos];
                    pos += (ip[pos + 1] + 1) * 8;
                    break;
                case 51:  // authentication header (RFC 4302 §2.2)
                    if (captured < pos + 8) return FrameKind.Truncated;
                    next = ip[pos];
                    pos += (ip[pos + 1] + 2) * 4;
                    break;
                case 44:  // fragment (RFC 8200 §4.5)
                    if (captured < pos + 8) return FrameKind.Truncated;
                    ushort offsetFlags = BinaryPrimitives.ReadUInt16BigEndian(ip[(pos + 2)..]);
                    if ((offsetFlags & 0xFFF9) != 0)
                    {
                        // A real fragment: IPv6 fragments are rare on FTP paths and are counted, not reassembled.
                        Stats.Ipv6Fragments++;
                        return FrameKind.NotTcp;
                    }
                    next = ip[pos];
                    pos += 8;
                    break;
                default:
                    return FrameKind.NotTcp;
            }
            if (pos > captured) return FrameKind.Truncated;
        }
        var src = FlowEndpoint.FromIPv6(ip[8..24], 0);
        var dst = FlowEndpoint.FromIPv6(ip[24..40], 0);
        return DecodeTcp(packet, (true, src.High, src.Low), (true, dst.High, dst.Low), ipMem[pos..captured], missing, out segment);
    }

    /// <summary>RFC 9293 §3.1.</summary>
    private FrameKind DecodeTcp(in CapturedPacket packet, (bool V6, ulong High, ulong Low) src, (bool V6, ulong High, ulong Low) dst,
        ReadOnlyMemory<byte> tcpMem, int missing, out TcpSegment segment)
    {
        segment = default;
        ReadOnlySpan<byte> tcp = tcpMem.Span;
        if (tcp.Length < 20) return FrameKind.Truncated;
        int dataOffset = (tcp[12] >> 4) * 4;
        if (dataOffset < 20) return FrameKind.Malformed;
        if (tcp.Length < dataOffset) return FrameKind.Truncated;
        if (missing > 0) Stats.SnaplenCut++;
        segment = new TcpSegment(
            new FlowEndpoint(src.High, src.Low, src.V6, BinaryPrimitives.ReadUInt16BigEndian(tcp)),
            new FlowEndpoint(dst.High, dst.Low, dst.V6, BinaryPrimitives.ReadUInt16BigEndian(tcp[2..])),
            BinaryPrimitives.ReadUInt32BigEndian(tcp[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(tcp[8..]),
            (TcpFlags)(tcp[13] & 0x3F),
            tcpMem[dataOffset..],
            missing,
            packet.Time);
        return FrameKind.Tcp;
    }
}
