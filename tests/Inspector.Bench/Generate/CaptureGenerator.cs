using System.Globalization;
using System.Text;
using System.Text.Json;
using Inspector.Capture.Files;
using Inspector.Capture.Packets;
using Inspector.Core.Model;

namespace Inspector.Bench.Generate;

/// <summary>bulk: few sessions moving megabytes in 16 KB records; control: many sessions of small command/reply packets.</summary>
internal enum CaptureKind
{
    Bulk,
    Control,
}

/// <summary>What a generated file holds; written beside it as FILE.json for the read benchmark.</summary>
internal sealed record GeneratedCapture(
    string Path, string Kind, int Seed, long Bytes, long Packets, int ControlSessions, int FtpsSessions, int PlainSessions,
    int DataConnections, long DataBytes, int Retransmissions, int Reordered)
{
    public static GeneratedCapture? ReadSidecar(string path)
    {
        string sidecar = path + ".json";
        return File.Exists(sidecar) ? JsonSerializer.Deserialize<GeneratedCapture>(File.ReadAllText(sidecar)) : null;
    }

    public void WriteSidecar() => File.WriteAllText(Path + ".json", JsonSerializer.Serialize(this) + "\n");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Path}: {Kind}, seed {Seed}, {Bytes / 1048576.0:0.0} MB, {Packets} packets, {ControlSessions} control sessions ({FtpsSessions} FTPS, {PlainSessions} plain), {DataConnections} data connections ({DataBytes / 1048576.0:0.0} MB), {Retransmissions} retransmitted and {Reordered} reordered segments");
}

/// <summary>A TCP segment a flow wants on the wire.</summary>
internal readonly record struct Seg(Flow Flow, bool FromClient, TcpFlags Flags, uint Seq, uint Ack, byte[]? Data, int Offset, int Length);

/// <summary>One TCP connection's addresses and next sequence numbers.</summary>
internal sealed class Flow(uint clientIp, ushort clientPort, uint serverIp, ushort serverPort, uint clientIsn, uint serverIsn)
{
    private readonly uint[] next = [clientIsn, serverIsn];
    private readonly ushort[] ipId = [(ushort)clientIsn, (ushort)serverIsn];

    public uint ClientIp { get; } = clientIp;
    public ushort ClientPort { get; } = clientPort;
    public uint ServerIp { get; } = serverIp;
    public ushort ServerPort { get; } = serverPort;

    public ushort NextIpId(bool fromClient) => ipId[fromClient ? 0 : 1]++;

    public Seg Syn() => Control(true, TcpFlags.Syn);

    public Seg SynAck() => Control(false, TcpFlags.Syn | TcpFlags.Ack);

    public Seg Ack(bool fromClient) => new(this, fromClient, TcpFlags.Ack, next[fromClient ? 0 : 1], next[fromClient ? 1 : 0], null, 0, 0);

    public Seg Fin(bool fromClient) => Control(fromClient, TcpFlags.Fin | TcpFlags.Ack);

    public Seg Data(bool fromClient, byte[] data, int offset, int length, bool push)
    {
        int d = fromClient ? 0 : 1;
        var s = new Seg(this, fromClient, TcpFlags.Ack | (push ? TcpFlags.Psh : 0), next[d], next[1 - d], data, offset, length);
        next[d] += (uint)length;
        return s;
    }

    /// <summary>SYN and FIN take one sequence number (RFC 9293 §3.4).</summary>
    private Seg Control(bool fromClient, TcpFlags flags)
    {
        int d = fromClient ? 0 : 1;
        var s = new Seg(this, fromClient, flags, next[d], next[1 - d], null, 0, 0);
        next[d]++;
        return s;
    }
}

/// <summary>
/// Writes a realistic capture of a given size from a seed (same seed, same file): many
/// concurrent FTP and explicit FTPS control sessions replayed from real captures (see
/// <see cref="SeedTemplates"/>) with new addresses, ports and sequence numbers, and their data
/// connections (TLS 1.3 or 1.2 handshake then 16 KB application_data records, or plain bytes)
/// cut at MSS 1448, all interleaved segment by segment, ACKs from the receiver every second
/// segment, about 0.5% of data segments retransmitted and 0.3% swapped with the next one.
/// </summary>
internal sealed class CaptureGenerator
{
    public const int Mss = 1448;
    private const int RecordPlaintext = 16384;
    private const double RetransmitRate = 0.005;
    private const double ReorderRate = 0.003;

    private static readonly (string Command, string Reply)[] ExtraCommands =
    [
        ("PWD", "257 \"/pub\" is the current directory"),
        ("CWD pub", "250 Directory successfully changed."),
        ("NOOP", "200 NOOP ok."),
        ("SIZE index.html", "213 1048576"), // not the file RETR fetches: its size would have to match the data (ftp.transfer_size_mismatch)
        ("MDTM file.bin", "213 20260101120000"),
        ("TYPE I", "200 Switching to Binary mode."),
        ("CDUP", "250 Directory successfully changed."),
        ("STAT", "211 FTP server status: ok"),
    ];

    private readonly CaptureKind kind;
    private readonly long targetBytes;
    private readonly int seed;
    private readonly Random rng;
    private readonly byte[] pool = new byte[4 << 20];
    private readonly List<IEnumerator<Seg?>> active = [];
    private readonly FrameBuilder frames = new();
    private int controlActive;
    private int sessions, ftps, plain, dataConnections, retransmissions, reordered;
    private long dataBytes;
    private long planned;

    public CaptureGenerator(CaptureKind kind, long targetBytes, int seed)
    {
        this.kind = kind;
        this.targetBytes = targetBytes;
        this.seed = seed;
        rng = new Random(seed);
        rng.NextBytes(pool);
    }

    public static CaptureKind ParseKind(string s) => s switch
    {
        "bulk" => CaptureKind.Bulk,
        "control" => CaptureKind.Control,
        _ => throw new ArgumentException($"--kind is bulk or control, not {s}"),
    };

    public GeneratedCapture Write(string path)
    {
        _ = SeedTemplates.Tls13; // load the seeds before the clock starts
        int concurrency = kind == CaptureKind.Bulk ? 32 : 256;
        long clock = new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc).Subtract(DateTime.UnixEpoch).Ticks * 100 + seed % 1000 * 1_000_000L;
        long packets = 0;
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20))
        using (var writer = new PcapngWriter(file, "inspector-bench generate"))
        {
            int iface = writer.AddInterface(LinkTypes.Ethernet, 262144, "gen0", $"inspector-bench generate --kind {kind.ToString().ToLowerInvariant()} --seed {seed}");
            while (true)
            {
                // Sessions start while the bytes planned for them (written or still to come) fall short of the target.
                while (controlActive < concurrency && planned < targetBytes) StartSession();
                if (active.Count == 0) break;
                int i = rng.Next(active.Count);
                IEnumerator<Seg?> e = active[i];
                if (!e.MoveNext())
                {
                    active[i] = active[^1];
                    active.RemoveAt(active.Count - 1);
                    e.Dispose();
                    continue;
                }
                if (e.Current is not { } s) continue;
                Flow f = s.Flow;
                ReadOnlySpan<byte> frame = frames.Build(
                    s.FromClient ? f.ClientIp : f.ServerIp, s.FromClient ? f.ServerIp : f.ClientIp,
                    s.FromClient ? f.ClientPort : f.ServerPort, s.FromClient ? f.ServerPort : f.ClientPort,
                    f.NextIpId(s.FromClient), s.Seq, s.Ack, s.Flags, s.Data.AsSpan(s.Offset, s.Length), s.FromClient);
                clock += 200 + frame.Length * 8; // about a gigabit per second
                writer.WritePacket(iface, new Timestamp(clock), frame, frame.Length);
                packets++;
            }
        }
        var result = new GeneratedCapture(Path.GetFullPath(path), kind.ToString().ToLowerInvariant(), seed, new FileInfo(path).Length, packets,
            sessions, ftps, plain, dataConnections, dataBytes, retransmissions, reordered);
        result.WriteSidecar();
        return result;
    }

    private void StartSession()
    {
        int n = sessions++;
        uint clientIp = 0x0A000000u | (uint)(n / 250 % 65536) << 8 | (uint)(n % 250 + 1);
        uint serverIp = 0xC0A8000Au | (uint)(n % 4) << 8;
        var flow = new Flow(clientIp, (ushort)(32768 + rng.Next(28000)), serverIp, 21, (uint)rng.NextInt64(), (uint)rng.NextInt64());
        double pick = rng.NextDouble();
        SessionTemplate template = pick < 0.4 ? SeedTemplates.Tls13 : pick < 0.7 ? SeedTemplates.Tls12 : PlainTemplate(serverIp);
        if (template.TlsRecordOverhead > 0) ftps++;
        else plain++;
        long bulk = kind == CaptureKind.Bulk ? BulkSize() : 0;
        // File bytes: each 1448-byte segment costs 54 bytes of headers and a 32-byte pcapng block, and an ACK (86) every second one.
        planned += (long)(bulk * (1 + (86 + 43) / 1448.0)) + (kind == CaptureKind.Control ? 28 << 10 : 12 << 10);
        controlActive++;
        Spawn(ControlSession(template, flow, bulk));
    }

    private void Spawn(IEnumerable<Seg?> flow) => active.Add(flow.GetEnumerator());

    /// <summary>A plain FTP session: login, extra commands, PASV, RETR over a data connection, QUIT.</summary>
    private SessionTemplate PlainTemplate(uint serverIp)
    {
        int dataPort = 40000 + rng.Next(10000);
        var turns = new List<Turn>();
        void Pair(string c, string r)
        {
            turns.Add(new Turn(true, Encoding.ASCII.GetBytes(c + "\r\n")));
            turns.Add(new Turn(false, Encoding.ASCII.GetBytes(r + "\r\n")));
        }
        turns.Add(new Turn(false, "220 (vsFTPd 3.0.3)\r\n"u8.ToArray()));
        Pair("USER bench", "331 Please specify the password.");
        Pair("PASS bench-pw", "230 Login successful.");
        Pair("SYST", "215 UNIX Type: L8");
        Pair("TYPE I", "200 Switching to Binary mode.");
        Pair("PASV", string.Create(CultureInfo.InvariantCulture,
            $"227 Entering Passive Mode ({serverIp >> 24},{(serverIp >> 16) & 255},{(serverIp >> 8) & 255},{serverIp & 255},{dataPort >> 8},{dataPort & 255})."));
        int start = turns.Count;
        Pair("RETR file.bin", "150 Opening BINARY mode data connection for file.bin.");
        int end = turns.Count;
        turns.Add(new Turn(false, "226 Transfer complete.\r\n"u8.ToArray()));
        Pair("QUIT", "221 Goodbye.");
        return new SessionTemplate("ftp", turns, [new DataSpan(start, end, (ushort)dataPort)], [], 0);
    }

    private IEnumerable<Seg?> ControlSession(SessionTemplate t, Flow f, long bulkSize)
    {
        try
        {
            yield return f.Syn();
            yield return f.SynAck();
            yield return f.Ack(true);
            int extra = kind == CaptureKind.Control ? 20 + rng.Next(40) : rng.Next(4);
            int extraAt = t.Data.Count > 0 ? t.Data[0].Start : t.Turns.Count / 2;
            var pending = new List<Box>();
            for (int i = 0; i <= t.Turns.Count; i++)
            {
                if (i == extraAt)
                {
                    for (int k = 0; k < extra; k++)
                    {
                        foreach (Turn turn in ExtraPair(t, k))
                            foreach (Seg s in SendTurn(f, turn)) yield return s;
                    }
                }
                for (int d = 0; d < t.Data.Count; d++)
                {
                    if (t.Data[d].Start == i)
                    {
                        long size = bulkSize > 0 && d == t.Data.Count - 1 ? bulkSize : 200 + rng.Next(3000);
                        var done = new Box();
                        pending.Add(done);
                        // The data connection goes where the 227 said (Inspector links it by that endpoint).
                        var randomPort = (ushort)(40000 + rng.Next(10000));
                        var dataFlow = new Flow(f.ClientIp, (ushort)(f.ClientPort + 1 + d), f.ServerIp, t.Data[d].Port ?? randomPort, (uint)rng.NextInt64(), (uint)rng.NextInt64());
                        Spawn(DataConnection(dataFlow, t, size, done));
                    }
                    if (t.Data[d].End == i)
                    {
                        while (pending.Any(b => !b.Done)) yield return null;
                    }
                }
                if (i == t.Turns.Count) break;
                foreach (Seg s in SendTurn(f, t.Turns[i])) yield return s;
            }
            while (pending.Any(b => !b.Done)) yield return null;
            yield return f.Fin(false);
            yield return f.Fin(true);
            yield return f.Ack(false);
        }
        finally
        {
            controlActive--;
        }
    }

    private long BulkSize()
    {
        long mean = Math.Clamp(targetBytes / 48, 64 * 1024, 16L << 20);
        return (long)(mean * (0.5 + rng.NextDouble()));
    }

    /// <summary>An extra command and its reply: in clear for FTP, as application_data records of the same size for FTPS.</summary>
    private IEnumerable<Turn> ExtraPair(SessionTemplate t, int k)
    {
        (string c, string r) = ExtraCommands[(k + rng.Next(ExtraCommands.Length)) % ExtraCommands.Length];
        if (t.TlsRecordOverhead == 0)
        {
            yield return new Turn(true, Encoding.ASCII.GetBytes(c + "\r\n"));
            yield return new Turn(false, Encoding.ASCII.GetBytes(r + "\r\n"));
        }
        else
        {
            yield return new Turn(true, RandomRecord(c.Length + 2 + t.TlsRecordOverhead));
            yield return new Turn(false, RandomRecord(r.Length + 2 + t.TlsRecordOverhead));
        }
    }

    private byte[] RandomRecord(int body)
    {
        byte[] b = new byte[body];
        rng.NextBytes(b);
        return SeedTemplates.Record(0x17, b);
    }

    /// <summary>A write cut at the MSS, PSH on its last segment; the receiver acknowledges it at once or with its next write.</summary>
    private IEnumerable<Seg> SendTurn(Flow f, Turn turn)
    {
        for (int p = 0; p < turn.Bytes.Length; p += Mss)
        {
            int n = Math.Min(Mss, turn.Bytes.Length - p);
            yield return f.Data(turn.FromClient, turn.Bytes, p, n, p + n == turn.Bytes.Length);
        }
        if (rng.NextDouble() < 0.6) yield return f.Ack(!turn.FromClient);
    }

    /// <summary>Passive-mode download: handshake (FTPS), the file from the server, close_notify both ways (FTPS), FINs.</summary>
    private IEnumerable<Seg?> DataConnection(Flow f, SessionTemplate t, long size, Box done)
    {
        dataConnections++;
        dataBytes += size;
        yield return f.Syn();
        yield return f.SynAck();
        yield return f.Ack(true);
        bool tls = t.TlsRecordOverhead > 0;
        if (tls)
        {
            foreach (Turn turn in t.DataHandshake)
                foreach (Seg s in SendTurn(f, turn)) yield return s;
        }
        foreach (Seg s in Bulk(f, new StreamLayout(size, tls ? t.TlsRecordOverhead : -1, rng.Next(pool.Length)))) yield return s;
        if (tls)
        {
            // close_notify: TLS 1.3 hides the alert in application_data (RFC 8446 §5.2), TLS 1.2 sends an encrypted alert record.
            byte type = t.TlsRecordOverhead == 17 ? (byte)0x17 : (byte)0x15;
            foreach (Seg s in SendTurn(f, new Turn(false, RandomRecordOfType(type, 2 + t.TlsRecordOverhead)))) yield return s;
            foreach (Seg s in SendTurn(f, new Turn(true, RandomRecordOfType(type, 2 + t.TlsRecordOverhead)))) yield return s;
        }
        yield return f.Fin(false);
        yield return f.Fin(true);
        yield return f.Ack(false);
        done.Done = true;
    }

    private byte[] RandomRecordOfType(byte type, int body)
    {
        byte[] b = new byte[body];
        rng.NextBytes(b);
        return SeedTemplates.Record(type, b);
    }

    /// <summary>The server's stream in MSS segments, an ACK every second one, some retransmitted or swapped.</summary>
    private IEnumerable<Seg> Bulk(Flow f, StreamLayout layout)
    {
        const int BlockSegments = 45;
        Seg? held = null;
        var again = new Queue<(long Due, Seg Seg)>();
        long sent = 0, n = 0;
        byte[] block = [];
        int blockPos = 0;
        while (sent < layout.Length)
        {
            if (blockPos == block.Length)
            {
                block = new byte[(int)Math.Min(BlockSegments * Mss, layout.Length - sent)];
                layout.Fill(block, sent, pool);
                blockPos = 0;
            }
            int len = Math.Min(Mss, block.Length - blockPos);
            Seg s = f.Data(false, block, blockPos, len, sent + len == layout.Length);
            blockPos += len;
            sent += len;
            n++;
            if (held is null && sent < layout.Length && rng.NextDouble() < ReorderRate)
            {
                held = s;
                reordered++;
                continue;
            }
            yield return s;
            if (held is { } h)
            {
                yield return h;
                held = null;
            }
            if (rng.NextDouble() < RetransmitRate)
            {
                again.Enqueue((n + 3, s));
                retransmissions++;
            }
            while (again.Count > 0 && again.Peek().Due <= n) yield return again.Dequeue().Seg;
            if (n % 2 == 0) yield return f.Ack(true);
        }
        while (again.Count > 0) yield return again.Dequeue().Seg;
        yield return f.Ack(true);
    }

    private sealed class Box
    {
        public bool Done { get; set; }
    }

    /// <summary>
    /// A stream of <c>plaintext</c> bytes: plain (overhead &lt; 0) or as TLS application_data
    /// records of 16 KB plaintext each (header 17 03 03 + length, then opaque bytes).
    /// </summary>
    private readonly struct StreamLayout(long plaintext, int overhead, int poolStart)
    {
        private long RecordLength => 5 + RecordPlaintext + overhead;
        private long Records => (plaintext + RecordPlaintext - 1) / RecordPlaintext;
        private long LastRecordLength => 5 + (plaintext - (Records - 1) * RecordPlaintext) + overhead;

        public long Length => overhead < 0 ? plaintext : (Records - 1) * RecordLength + LastRecordLength;

        public void Fill(Span<byte> dst, long pos, byte[] pool)
        {
            Span<byte> header = stackalloc byte[5];
            while (!dst.IsEmpty)
            {
                int take;
                if (overhead >= 0)
                {
                    long k = pos / RecordLength, within = pos % RecordLength;
                    long recLen = k == Records - 1 ? LastRecordLength : RecordLength;
                    if (within < 5)
                    {
                        int body = (int)(recLen - 5);
                        header[0] = 0x17; header[1] = 3; header[2] = 3; header[3] = (byte)(body >> 8); header[4] = (byte)body;
                        take = Math.Min(dst.Length, 5 - (int)within);
                        header.Slice((int)within, take).CopyTo(dst);
                        dst = dst[take..];
                        pos += take;
                        continue;
                    }
                    take = (int)Math.Min(dst.Length, recLen - within);
                }
                else
                {
                    take = dst.Length;
                }
                int at = (int)((poolStart + pos) % pool.Length);
                take = Math.Min(take, pool.Length - at);
                pool.AsSpan(at, take).CopyTo(dst);
                dst = dst[take..];
                pos += take;
            }
        }
    }
}
