using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Inspector.Capture.Files;
using Inspector.Capture.Packets;
using Inspector.Core.Model;
using PacketDotNet;

namespace Inspector.Capture.Recording;

/// <summary>
/// Turns one connection's byte streams back into TCP packets for a capture file: a three-way
/// handshake (RFC 9293 §3.5), data segments with running sequence and acknowledgement numbers,
/// FIN or RST at the end, with valid IP and TCP checksums, as Ethernet frames. Bytes the caller
/// never saw (an overflow gap) advance the sequence number without a packet, which is exactly how
/// a capture that dropped them looks, so a reader reports the same gap.
/// </summary>
public sealed class SyntheticTcpConnection
{
    /// <summary>Payload per segment: the Linux loopback MSS (MTU 65536 less 40 bytes of headers and 12 of timestamps).</summary>
    public const int MaxSegmentPayload = 65_483;

    private static readonly PhysicalAddress ClientMac = PhysicalAddress.Parse("02-00-00-00-00-01");
    private static readonly PhysicalAddress ServerMac = PhysicalAddress.Parse("02-00-00-00-00-02");

    private readonly PcapngWriter writer;
    private readonly int interfaceId;
    private readonly IPEndPoint client;
    private readonly IPEndPoint server;
    private readonly uint[] next = new uint[2];
    private readonly bool[] closed = new bool[2];
    private bool opened;
    private bool reset;
    private ushort ipId;

    /// <param name="initialSequence">The two initial sequence numbers (client, server); any values.</param>
    public SyntheticTcpConnection(PcapngWriter writer, int interfaceId, IPEndPoint client, IPEndPoint server, (uint Client, uint Server) initialSequence)
    {
        if (client.AddressFamily != server.AddressFamily) throw new ArgumentException("both ends must be IPv4 or both IPv6");
        this.writer = writer;
        this.interfaceId = interfaceId;
        this.client = client;
        this.server = server;
        next[0] = initialSequence.Client;
        next[1] = initialSequence.Server;
    }

    /// <summary>SYN, SYN-ACK, ACK.</summary>
    public void Open(Timestamp time, string? comment = null)
    {
        if (opened) return;
        opened = true;
        Write(Direction.ClientToServer, time, syn: true, ack: false, fin: false, rst: false, [], comment);
        next[0]++;
        Write(Direction.ServerToClient, time, syn: true, ack: true, fin: false, rst: false, []);
        next[1]++;
        Write(Direction.ClientToServer, time, syn: false, ack: true, fin: false, rst: false, []);
    }

    public void Data(Direction d, Timestamp time, ReadOnlySpan<byte> bytes, string? comment = null)
    {
        if (!CanSend(d)) return;
        while (!bytes.IsEmpty)
        {
            int n = Math.Min(bytes.Length, MaxSegmentPayload);
            Write(d, time, syn: false, ack: true, fin: false, rst: false, bytes[..n], comment);
            comment = null;
            next[(int)d] += (uint)n;
            bytes = bytes[n..];
        }
    }

    /// <summary>Bytes that went through but were not seen: the sequence moves on, no packet is written.</summary>
    public void Skip(Direction d, long count)
    {
        if (!CanSend(d)) return;
        next[(int)d] += (uint)count;
    }

    public void Fin(Direction d, Timestamp time, string? comment = null)
    {
        if (!CanSend(d)) return;
        Write(d, time, syn: false, ack: true, fin: true, rst: false, [], comment);
        next[(int)d]++;
        closed[(int)d] = true;
    }

    public void Reset(Direction d, Timestamp time, string? comment = null)
    {
        if (!opened || reset) return;
        Write(d, time, syn: false, ack: true, fin: false, rst: true, [], comment);
        reset = true;
    }

    private bool CanSend(Direction d) => opened && !reset && !closed[(int)d];

    private void Write(Direction d, Timestamp time, bool syn, bool ack, bool fin, bool rst, ReadOnlySpan<byte> payload, string? comment = null)
    {
        bool fromClient = d == Direction.ClientToServer;
        IPEndPoint src = fromClient ? client : server;
        IPEndPoint dst = fromClient ? server : client;
        var tcp = new TcpPacket((ushort)src.Port, (ushort)dst.Port)
        {
            SequenceNumber = next[(int)d],
            AcknowledgmentNumber = ack ? next[1 - (int)d] : 0,
            Synchronize = syn,
            Acknowledgment = ack,
            Finished = fin,
            Reset = rst,
            Push = !payload.IsEmpty,
            WindowSize = 65535,
        };
        tcp.PayloadData = payload.ToArray();
        var eth = new EthernetPacket(fromClient ? ClientMac : ServerMac, fromClient ? ServerMac : ClientMac,
            src.AddressFamily == AddressFamily.InterNetworkV6 ? EthernetType.IPv6 : EthernetType.IPv4);
        if (src.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var ip6 = new IPv6Packet(src.Address, dst.Address) { HopLimit = 64 };
            eth.PayloadPacket = ip6;
            ip6.PayloadPacket = tcp;
            _ = eth.Bytes;
            // PacketDotNet 1.4.8 leaves the IPv6 payload length stale (see docs/libraries.md §3).
            ip6.PayloadLength = (ushort)tcp.TotalPacketLength;
            tcp.UpdateTcpChecksum();
        }
        else
        {
            var ip = new IPv4Packet(src.Address, dst.Address) { TimeToLive = 64, Id = ipId++, FragmentFlags = 2 };
            eth.PayloadPacket = ip;
            ip.PayloadPacket = tcp;
            _ = eth.Bytes; // fixes TotalLength; the checksums need it first
            tcp.UpdateTcpChecksum();
            ip.UpdateIPChecksum();
        }
        byte[] frame = eth.Bytes;
        writer.WritePacket(interfaceId, time, frame, frame.Length, comment);
    }

    /// <summary>The link type of the frames this writes.</summary>
    public const int LinkType = LinkTypes.Ethernet;
}
