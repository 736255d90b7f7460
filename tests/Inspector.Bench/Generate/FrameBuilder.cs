using System.Buffers.Binary;
using Inspector.Capture.Packets;

namespace Inspector.Bench.Generate;

/// <summary>
/// Builds Ethernet II + IPv4 + TCP frames by hand with correct IPv4 and TCP checksums
/// (RFC 791 §3.1, RFC 793 §3.1 pseudo header): PacketDotNet allocates too much for gigabytes.
/// SYN and SYN/ACK carry an MSS option (RFC 9293 §3.7.1); other segments have no options.
/// </summary>
internal sealed class FrameBuilder
{
    public const int HeaderLength = 14 + 20 + 20;
    private readonly byte[] frame = new byte[HeaderLength + 4 + 65536];

    public ReadOnlySpan<byte> Build(uint srcIp, uint dstIp, ushort srcPort, ushort dstPort, ushort ipId,
        uint seq, uint ack, TcpFlags flags, ReadOnlySpan<byte> payload, bool srcIsClient)
    {
        Span<byte> f = frame;
        // Ethernet: 02:00:00:00:00:01 is every client, 02:00:00:00:00:02 every server.
        f[..12].Clear();
        f[0] = 2; f[5] = srcIsClient ? (byte)2 : (byte)1;
        f[6] = 2; f[11] = srcIsClient ? (byte)1 : (byte)2;
        BinaryPrimitives.WriteUInt16BigEndian(f[12..], 0x0800);
        bool mss = (flags & TcpFlags.Syn) != 0;
        int tcpLength = (mss ? 24 : 20) + payload.Length;
        Span<byte> ip = f.Slice(14, 20);
        ip[0] = 0x45;
        ip[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + tcpLength));
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], ipId);
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000); // DF
        ip[8] = 64;
        ip[9] = 6;
        ip[10] = 0; ip[11] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], srcIp);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], dstIp);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Fold(Sum(ip, 0)));

        Span<byte> tcp = f.Slice(34, tcpLength);
        BinaryPrimitives.WriteUInt16BigEndian(tcp, srcPort);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], dstPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], seq);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], (flags & TcpFlags.Ack) != 0 ? ack : 0);
        tcp[12] = (byte)((mss ? 6 : 5) << 4);
        tcp[13] = (byte)flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 65535);
        tcp[16] = 0; tcp[17] = 0; tcp[18] = 0; tcp[19] = 0;
        int p = 20;
        if (mss)
        {
            tcp[20] = 2; tcp[21] = 4;
            BinaryPrimitives.WriteUInt16BigEndian(tcp[22..], 1460);
            p = 24;
        }
        payload.CopyTo(tcp[p..]);
        ulong sum = (srcIp >> 16) + (srcIp & 0xFFFF) + (dstIp >> 16) + (dstIp & 0xFFFF) + 6 + (ulong)tcpLength;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], Fold(Sum(tcp, sum)));
        return f[..(34 + tcpLength)];
    }

    /// <summary>One's complement sum of big-endian 16-bit words (RFC 1071), eight bytes at a time.</summary>
    private static ulong Sum(ReadOnlySpan<byte> data, ulong sum)
    {
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            ulong w = BinaryPrimitives.ReadUInt64BigEndian(data[i..]);
            sum += (w >> 48) + ((w >> 32) & 0xFFFF) + ((w >> 16) & 0xFFFF) + (w & 0xFFFF);
        }
        for (; i + 2 <= data.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if (i < data.Length) sum += (ulong)data[i] << 8;
        return sum;
    }

    private static ushort Fold(ulong sum)
    {
        while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}
