using System.Reflection;
using System.Text;
using Inspector.Capture.Files;
using Inspector.Capture.Packets;

namespace Inspector.Bench.Generate;

/// <summary>One application write: who sent it and the bytes, as they crossed the wire.</summary>
internal sealed record Turn(bool FromClient, byte[] Bytes);

/// <summary>
/// A control connection to replay: its writes in order, and before which write each data
/// connection opened and by which it had closed (indexes of control turns).
/// </summary>
internal sealed record SessionTemplate(string Name, IReadOnlyList<Turn> Turns, IReadOnlyList<DataSpan> Data, IReadOnlyList<Turn> DataHandshake, int TlsRecordOverhead);

/// <summary>A data connection opens before control turn <see cref="Start"/> and has closed before turn <see cref="End"/>.</summary>
/// <param name="Port">The server port the control channel announced (PASV), when it is readable; else any.</param>
internal readonly record struct DataSpan(int Start, int End, ushort? Port = null);

/// <summary>
/// Session templates taken from real captures in captures/ (embedded in this assembly): the
/// payload of every TCP segment per connection, in capture order, retransmissions dropped.
/// TLS 1.3: lftp against vsftpd (AUTH TLS, TLS 1.3, two data connections with their own
/// handshakes). TLS 1.2: curl against proftpd with --tls-max 1.2, whose real ClientHello and
/// server flight (ServerHello, Certificate, ServerKeyExchange, ServerHelloDone) are completed
/// with a synthetic ClientKeyExchange/ChangeCipherSpec/Finished exchange, then the TLS 1.3
/// session's encrypted commands re-framed as TLS 1.2 GCM records (8-byte nonce + 16-byte tag).
/// </summary>
internal static class SeedTemplates
{
    public const string Tls13Seed = "ftps-lftp-vsftpd.pcap";
    public const string Tls12Seed = "ftps-cert-rejected-tls12-curl-proftpd.pcap";

    private static readonly Lazy<(SessionTemplate Tls13, SessionTemplate Tls12)> Loaded = new(Load);

    public static SessionTemplate Tls13 => Loaded.Value.Tls13;

    public static SessionTemplate Tls12 => Loaded.Value.Tls12;

    private static (SessionTemplate, SessionTemplate) Load()
    {
        var t13 = ReadConnections(Tls13Seed);
        var control = t13[0];
        var dataAt = t13.Skip(1).Select(c => new DataSpan(c.StartedAtControlTurn, c.LastSeenAtControlTurn)).ToList();
        // The data connection's handshake: ClientHello, the server flight, and the client's
        // flight after it (ChangeCipherSpec, Finished); everything later is the file itself.
        var data = t13[1].Turns;
        var dataHandshake = new List<Turn> { data[0], data[1] };
        for (int i = 2; i < data.Count && data[i].FromClient; i++) dataHandshake.Add(data[i]);
        var tls13 = new SessionTemplate("ftps-tls1.3", control.Turns, dataAt, dataHandshake, 17);

        // TLS 1.2: banner, AUTH, 234, ClientHello, server flight from the real capture.
        var t12 = ReadConnections(Tls12Seed)[0].Turns;
        var turns = new List<Turn>();
        for (int i = 0; i < 5; i++) turns.Add(new Turn(t12[i].FromClient, AuthSslToTls(t12[i].Bytes)));
        var random = new Random(12);
        turns.Add(new Turn(true, Concat(
            Record(0x16, HandshakeMessage(0x10, [0x20, .. RandomBytes(random, 32)])), // ClientKeyExchange, x25519 public key (RFC 8422 §5.7)
            Record(0x14, [0x01]),                                                     // ChangeCipherSpec
            Record(0x16, RandomBytes(random, 40)))));                                  // encrypted Finished: 8 nonce + 16 verify_data + 16 tag
        turns.Add(new Turn(false, Concat(Record(0x14, [0x01]), Record(0x16, RandomBytes(random, 40)))));
        var handshake12 = new List<Turn>(turns);
        // The TLS 1.3 session's turns after its handshake, each record re-framed for TLS 1.2.
        int firstEncrypted = FirstTurnAfterHandshake(control.Turns);
        foreach (Turn t in control.Turns.Skip(firstEncrypted)) turns.Add(new Turn(t.FromClient, Reframe12(t.Bytes, random)));
        var dataAt12 = dataAt.Select(d => new DataSpan(d.Start - firstEncrypted + handshake12.Count, d.End - firstEncrypted + handshake12.Count)).ToList();
        var dataHandshake12 = handshake12.Skip(3).ToList();
        var tls12 = new SessionTemplate("ftps-tls1.2", turns, dataAt12, dataHandshake12, 24);
        return (tls13, tls12);
    }

    /// <summary>The first turn after the client's flight that follows the ServerHello.</summary>
    private static int FirstTurnAfterHandshake(IReadOnlyList<Turn> turns)
    {
        int hello = -1;
        for (int i = 0; i < turns.Count; i++)
        {
            if (turns[i].FromClient && turns[i].Bytes.Length > 5 && turns[i].Bytes[0] == 0x16 && turns[i].Bytes[5] == 0x01) { hello = i; break; }
        }
        if (hello < 0) throw new InvalidDataException("no ClientHello in the TLS 1.3 seed");
        int j = hello + 2;
        while (j < turns.Count && turns[j].FromClient && turns[j].Bytes[0] == 0x14) j++;
        return j;
    }

    private static byte[] AuthSslToTls(byte[] b)
    {
        string s = Encoding.Latin1.GetString(b);
        return s.Contains("AUTH SSL", StringComparison.Ordinal) ? Encoding.Latin1.GetBytes(s.Replace("AUTH SSL", "AUTH TLS", StringComparison.Ordinal)) : b;
    }

    /// <summary>TLS 1.3 records (17 bytes of overhead: inner type + tag) as TLS 1.2 GCM records (24: nonce + tag).</summary>
    private static byte[] Reframe12(byte[] b, Random random)
    {
        var parts = new List<byte[]>();
        int p = 0;
        while (p + 5 <= b.Length)
        {
            int length = (b[p + 3] << 8) | b[p + 4];
            int plain = Math.Max(0, length - 17);
            parts.Add(Record(b[p] == 0x17 ? (byte)0x17 : b[p], RandomBytes(random, plain + 24)));
            p += 5 + length;
        }
        return Concat([.. parts]);
    }

    public static byte[] Record(byte type, byte[] body)
    {
        byte[] r = new byte[5 + body.Length];
        r[0] = type;
        r[1] = 3;
        r[2] = 3;
        r[3] = (byte)(body.Length >> 8);
        r[4] = (byte)body.Length;
        body.CopyTo(r, 5);
        return r;
    }

    private static byte[] HandshakeMessage(byte type, byte[] body) => [type, 0, (byte)(body.Length >> 8), (byte)body.Length, .. body];

    private static byte[] RandomBytes(Random r, int n)
    {
        byte[] b = new byte[n];
        r.NextBytes(b);
        return b;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(x => x).ToArray();

    private sealed class Connection(FlowEndpoint client, int startedAt)
    {
        public FlowEndpoint Client { get; } = client;
        public int StartedAtControlTurn { get; } = startedAt;
        public int LastSeenAtControlTurn { get; set; }
        public List<Turn> Turns { get; } = [];
        public uint?[] Next { get; } = new uint?[2];
    }

    /// <summary>Connections in the order they opened; each segment's new payload bytes become a turn.</summary>
    private static List<Connection> ReadConnections(string resource)
    {
        string path = Path.Combine(Path.GetTempPath(), $"inspector-bench-seed-{Environment.ProcessId}-{resource}");
        using (Stream s = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource) ?? throw new InvalidOperationException($"seed {resource} not embedded"))
        using (var f = File.Create(path))
            s.CopyTo(f);
        try
        {
            var connections = new Dictionary<FlowKey, Connection>();
            var ordered = new List<Connection>();
            using ICaptureReader reader = CaptureFileReader.Open(path);
            var decoder = new FrameDecoder(new CaptureStats());
            while (reader.TryRead(out CapturedPacket packet))
            {
                if (decoder.Decode(packet, out TcpSegment seg) != FrameKind.Tcp) continue;
                var key = FlowKey.Of(seg.Source, seg.Destination);
                if (!connections.TryGetValue(key, out Connection? c))
                {
                    c = new Connection(seg.Has(TcpFlags.Syn) && !seg.Has(TcpFlags.Ack) ? seg.Source : seg.Destination, ordered.Count == 0 ? 0 : ordered[0].Turns.Count);
                    connections[key] = c;
                    ordered.Add(c);
                }
                c.LastSeenAtControlTurn = ordered[0].Turns.Count;
                bool fromClient = seg.Source == c.Client;
                int d = fromClient ? 0 : 1;
                uint seq = seg.Sequence + (seg.Has(TcpFlags.Syn) ? 1u : 0u);
                c.Next[d] ??= seq;
                if (seg.Payload.Length == 0) continue;
                int skip = (int)(c.Next[d]!.Value - seq);
                if (skip >= seg.Payload.Length) continue; // a retransmission
                if (skip < 0) throw new InvalidDataException($"{resource}: bytes missing before a segment");
                c.Turns.Add(new Turn(fromClient, seg.Payload.Span[skip..].ToArray()));
                c.Next[d] = seq + (uint)seg.Payload.Length;
            }
            return ordered;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
