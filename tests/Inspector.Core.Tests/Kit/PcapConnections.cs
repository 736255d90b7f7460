using System.Buffers.Binary;
using System.Net;
using Inspector.Core.Model;
using Inspector.Core.Streams;

namespace Inspector.Core.Tests.Kit;

/// <summary>
/// A deliberately small reader for the test captures (classic pcap, Ethernet, IPv4/IPv6, TCP,
/// in-order loopback traffic), so the core's tests do not need libpcap. It turns one TCP
/// connection into the stream events the core consumes, keeping each segment as its own chunk.
/// The product's reader (with real reassembly) lives in Inspector.Capture.
/// </summary>
public static class PcapConnections
{
    public sealed record Connection(ConnectionInfo Info, List<StreamEvent> Events);

    public static string CapturePath(string name) => Path.Combine(AppContext.BaseDirectory, "captures", name);

    /// <summary>The bundled captures this kit reads: classic pcap over Ethernet (the others need the capture project's readers).</summary>
    public static IEnumerable<string> ReadableCaptures() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "captures"), "*.pcap").Where(path =>
        {
            byte[] header = new byte[24];
            using (FileStream f = File.OpenRead(path)) f.ReadExactly(header);
            uint magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
            return magic is 0xa1b2c3d4 or 0xa1b23c4d && BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(20)) == 1;
        }).Select(path => Path.GetFileName(path)).Order();

    /// <summary>Every TCP connection in the file, in the order their first packets appear.</summary>
    public static List<Connection> Read(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(file);
        bool nanos = magic == 0xa1b23c4d;
        if (magic != 0xa1b2c3d4 && !nanos) throw new InvalidDataException($"{path}: not a little-endian classic pcap");
        uint linkType = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(20));
        if (linkType != 1) throw new InvalidDataException($"{path}: link type {linkType}, the test kit reads Ethernet only");

        var conns = new Dictionary<string, Builder>();
        var order = new List<Builder>();
        int pos = 24;
        while (pos + 16 <= file.Length)
        {
            uint sec = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos));
            uint frac = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos + 4));
            int caplen = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos + 8));
            pos += 16;
            if (pos + caplen > file.Length) break;
            var time = Timestamp.FromUnixSeconds(sec, nanos ? frac : frac * 1000L);
            ParseFrame(file.AsSpan(pos, caplen), time, conns, order);
            pos += caplen;
        }
        return order.Select(b => b.Finish()).ToList();
    }

    /// <summary>The one connection whose server port is <paramref name="serverPort"/> (the control connection).</summary>
    public static Connection Control(string captureName, int serverPort) =>
        Read(CapturePath(captureName)).First(c => c.Info.Server.Port == serverPort);

    private static void ParseFrame(ReadOnlySpan<byte> f, Timestamp time, Dictionary<string, Builder> conns, List<Builder> order)
    {
        if (f.Length < 14) return;
        ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(f[12..]);
        ReadOnlySpan<byte> ip = f[14..];
        IPAddress src, dst;
        ReadOnlySpan<byte> tcp;
        if (etherType == 0x0800)
        {
            int ihl = (ip[0] & 0x0F) * 4;
            int total = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
            if (ip[9] != 6) return;
            src = new IPAddress(ip.Slice(12, 4));
            dst = new IPAddress(ip.Slice(16, 4));
            tcp = ip[ihl..Math.Min(total, ip.Length)];
        }
        else if (etherType == 0x86DD)
        {
            if (ip[6] != 6) return;
            int plen = BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
            src = new IPAddress(ip.Slice(8, 16));
            dst = new IPAddress(ip.Slice(24, 16));
            tcp = ip.Slice(40, Math.Min(plen, ip.Length - 40));
        }
        else
        {
            return;
        }
        int sport = BinaryPrimitives.ReadUInt16BigEndian(tcp);
        int dport = BinaryPrimitives.ReadUInt16BigEndian(tcp[2..]);
        uint seq = BinaryPrimitives.ReadUInt32BigEndian(tcp[4..]);
        int doff = (tcp[12] >> 4) * 4;
        byte flags = tcp[13];
        ReadOnlySpan<byte> payload = tcp[doff..];
        var a = new IPEndPoint(src, sport);
        var b = new IPEndPoint(dst, dport);
        string key = string.CompareOrdinal(a.ToString(), b.ToString()) < 0 ? $"{a}|{b}" : $"{b}|{a}";
        bool syn = (flags & 0x02) != 0, ack = (flags & 0x10) != 0, fin = (flags & 0x01) != 0, rst = (flags & 0x04) != 0;
        if (!conns.TryGetValue(key, out Builder? c) || c.Done && syn && !ack)
        {
            // The SYN sender is the client; without a SYN, the lower port is taken as the server.
            bool aIsClient = syn && !ack || !syn && sport > dport;
            c = new Builder(aIsClient ? a : b, aIsClient ? b : a, midstream: !syn);
            conns[key] = c;
            order.Add(c);
        }
        c.Add(a.Equals(c.Client) ? Direction.ClientToServer : Direction.ServerToClient, seq, syn, fin, rst, payload, time);
    }

    private sealed class Builder(IPEndPoint client, IPEndPoint server, bool midstream)
    {
        private static long nextId = 1;
        private readonly List<StreamEvent> events = [];
        private readonly uint?[] next = new uint?[2];
        private readonly long[] offset = new long[2];
        public IPEndPoint Client { get; } = client;
        public bool Done { get; private set; }

        public void Add(Direction d, uint seq, bool syn, bool fin, bool rst, ReadOnlySpan<byte> payload, Timestamp time)
        {
            if (events.Count == 0) events.Add(new OpenEvent(time, midstream));
            int i = (int)d;
            if (syn) { next[i] = seq + 1; return; }
            next[i] ??= seq;
            if (payload.Length > 0)
            {
                int skip = (int)(next[i]!.Value - seq);
                if (skip < payload.Length && skip >= 0)
                {
                    ReadOnlySpan<byte> fresh = payload[skip..];
                    events.Add(new DataEvent(d, offset[i], time, fresh.ToArray()));
                    offset[i] += fresh.Length;
                    next[i] = seq + (uint)payload.Length;
                }
            }
            if (fin) { events.Add(new EndEvent(d, EndKind.Fin, time)); next[i] = next[i] + 1; }
            if (rst) { events.Add(new EndEvent(d, EndKind.Reset, time)); Done = true; }
        }

        public Connection Finish() =>
            new(new ConnectionInfo(Interlocked.Increment(ref nextId), Client, server), events);
    }
}
