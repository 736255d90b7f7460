using Inspector.Capture.Packets;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Streams;

namespace Inspector.Capture.Tcp;

/// <summary>
/// Turns TCP segments, in capture order, into in-order byte streams per connection and
/// direction (RFC 9293): out-of-order segments wait in a bounded buffer, retransmissions are
/// dropped (and compared with what was delivered), holes the receiver acknowledged become gaps,
/// bytes cut by the snap length become snap-length gaps, and FIN/RST end directions and
/// connections. Connections that started before the capture are decoded from their first
/// segment. Memory is bounded by the options: closed connections are released.
/// </summary>
public sealed class TcpReassembler(ITcpStreamSink sink, TcpReassemblyOptions? options = null, Func<int, bool>? isServerPort = null)
{
    private readonly TcpReassemblyOptions options = options ?? TcpReassemblyOptions.Default;
    private readonly Dictionary<FlowKey, TcpConnection> connections = [];
    // A closed connection's tuple is remembered for ClosedLinger, like TIME-WAIT (RFC 9293
    // §3.6), so its late packets (the last ACK, a retransmitted FIN) are dropped instead of
    // starting a midstream connection. Only when it was last seen is kept, not the connection:
    // a busy capture closes thousands a minute, and a 1 GB control-heavy one held 90,000 closed
    // connections at once, 63 MB of a 190 MB peak (issue #8).
    private readonly Dictionary<FlowKey, Timestamp> closed = [];
    private readonly Func<int, bool> isServerPort = isServerPort ?? (_ => false);
    private long nextId = 1;
    private long segments;
    private Timestamp lastTime;
    private Timestamp lastSweep;
    private TimeSpan SweepInterval => TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, Math.Min(options.IdleTimeout.Ticks, options.ClosedLinger.Ticks) / 2));

    public void Add(in TcpSegment seg)
    {
        lastTime = Timestamp.Max(lastTime, seg.Time);
        // Timeouts are minutes of capture time: sweeping every connection more often than once
        // a second of it was 2% of `read` on a capture of many short connections.
        if (++segments % 4096 == 0 && seg.Time - lastSweep >= SweepInterval)
        {
            lastSweep = seg.Time;
            Sweep(seg.Time);
        }

        var key = FlowKey.Of(seg.Source, seg.Destination);
        bool syn = seg.Has(TcpFlags.Syn), ack = seg.Has(TcpFlags.Ack);
        connections.TryGetValue(key, out TcpConnection? conn);
        if (conn is null && closed.ContainsKey(key))
        {
            if (!syn || ack) return; // late packet of a finished connection
            closed.Remove(key); // port reuse: a fresh SYN on a finished tuple starts a new connection
        }
        else if (conn is not null && syn && !ack && IsNewIncarnation(conn, seg))
        {
            // Port reuse: a fresh SYN on a tuple still open starts a new connection.
            Close(conn, seg.Time, EndKind.Timeout);
            closed.Remove(key);
            conn = null;
        }
        conn ??= Create(key, seg, syn, ack);
        conn.LastSeen = seg.Time;

        Direction dir = conn.DirectionOf(seg.Source);
        TcpHalf half = conn.Half(dir);
        TcpHalf other = conn.Half(dir == Direction.ClientToServer ? Direction.ServerToClient : Direction.ClientToServer);

        long abs;
        if (syn)
        {
            if (!half.Started) Start(half, (long)seg.Sequence + 1);
            abs = half.Unwrap(seg.Sequence) + 1;
        }
        else
        {
            if (!half.Started) Start(half, seg.Sequence);
            abs = half.Unwrap(seg.Sequence);
        }

        if (ack && other.Started)
        {
            // The peer acknowledged bytes: any it acknowledged that we never saw were lost to the capture.
            long acked = other.Unwrap(seg.Acknowledgment);
            long limit = other.Fin ?? long.MaxValue;
            if (acked > other.Next && acked - other.Next < int.MaxValue)
            {
                GapUntil(conn, Opposite(dir), other, Math.Min(acked, limit), seg.Time, "acknowledged by the peer but not in the capture");
                if (conn.Closed) return;
            }
        }

        if (seg.Payload.Length + seg.MissingPayload > 0) AddData(conn, dir, half, abs, seg.Payload, seg.MissingPayload, seg.Time);
        if (conn.Closed) return;
        if (seg.Has(TcpFlags.Fin))
        {
            if (half.Fin is null)
            {
                half.Fin = abs + seg.Payload.Length + seg.MissingPayload;
                half.FinTime = seg.Time;
            }
            TryDeliverFin(conn, dir, half, seg.Time);
        }
        if (seg.Has(TcpFlags.Rst) && !conn.Closed)
        {
            FlushHoles(conn, dir, half, seg.Time);
            Emit(conn, new EndEvent(dir, EndKind.Reset, seg.Time));
            Close(conn, seg.Time, EndKind.Reset);
        }
    }

    /// <summary>End of the capture: deliver what is buffered (holes become gaps) and close every connection.</summary>
    public void Finish()
    {
        foreach (TcpConnection conn in connections.Values.OrderBy(c => c.Id).ToList())
        {
            FinishConnection(conn, lastTime, EndKind.EndOfCapture);
        }
        connections.Clear();
        closed.Clear();
    }

    /// <summary>Live sources: end connections idle for longer than the timeout.</summary>
    public void Sweep(Timestamp now)
    {
        foreach ((FlowKey key, Timestamp lastSeen) in closed)
        {
            // Removing the entry just enumerated is allowed (Dictionary, .NET Core 3.0 and later).
            if (now - lastSeen > options.ClosedLinger) closed.Remove(key);
        }
        List<(FlowKey, TcpConnection)>? done = null;
        foreach ((FlowKey key, TcpConnection c) in connections)
        {
            if (now - c.LastSeen > options.IdleTimeout) (done ??= []).Add((key, c));
        }
        if (done is null) return;
        foreach ((FlowKey key, TcpConnection c) in done.OrderBy(d => d.Item2.Id))
        {
            // Timed out, not closed by its peers: no tuple lingers after an idle connection.
            FinishConnection(c, now, EndKind.Timeout);
            closed.Remove(key);
        }
    }

    /// <summary>Closed tuples remembered now (for tests).</summary>
    internal int ClosedTupleCount => closed.Count;

    /// <summary>
    /// At the limit of closed tuples, forgets those closed before the median time: one scan and
    /// sort per half of the limit, so each close costs little on average. A late packet of a
    /// forgotten one starts a midstream connection, as after <see cref="TcpReassemblyOptions.ClosedLinger"/>.
    /// </summary>
    private void ForgetOlderClosedHalf()
    {
        long[] times = new long[closed.Count];
        int n = 0;
        foreach (Timestamp t in closed.Values) times[n++] = t.UnixNanoseconds;
        Array.Sort(times);
        long median = times[n / 2];
        foreach ((FlowKey key, Timestamp t) in closed)
        {
            if (t.UnixNanoseconds < median) closed.Remove(key);
        }
        // All closed at the same instant (or nearly all): forget them all rather than none.
        if (closed.Count >= options.MaxClosedTuples) closed.Clear();
    }

    private static Direction Opposite(Direction d) => d == Direction.ClientToServer ? Direction.ServerToClient : Direction.ClientToServer;

    private static void Start(TcpHalf half, long first)
    {
        half.Base = half.Next = half.HighestSeen = first;
        half.Started = true;
    }

    private static bool IsNewIncarnation(TcpConnection conn, in TcpSegment seg)
    {
        TcpHalf h = conn.Half(conn.DirectionOf(seg.Source));
        // A SYN retransmission carries the same ISN; anything else is a new connection.
        return !h.Started || h.Base != (long)seg.Sequence + 1 && h.Unwrap(seg.Sequence) + 1 != h.Base;
    }

    private TcpConnection Create(FlowKey key, in TcpSegment seg, bool syn, bool ack)
    {
        if (connections.Count >= options.MaxConnections)
        {
            // End the longest idle ones, a hundredth of the limit at once: choosing them scans every
            // connection, so doing it for each new one would make a SYN flood quadratic.
            int evict = Math.Max(1, options.MaxConnections / 100);
            foreach (TcpConnection idle in connections.Values.OrderBy(c => c.LastSeen.UnixNanoseconds).Take(evict).ToList())
            {
                FinishConnection(idle, seg.Time, EndKind.Timeout);
            }
        }
        FlowEndpoint client, server;
        bool inferred = false;
        if (syn && !ack) (client, server) = (seg.Source, seg.Destination);
        else if (syn) (client, server) = (seg.Destination, seg.Source);
        else
        {
            // Seen from the middle: the FTP port, else the lower port, is the server's.
            inferred = true;
            bool sourceIsServer = isServerPort(seg.Source.Port) && !isServerPort(seg.Destination.Port)
                || isServerPort(seg.Source.Port) == isServerPort(seg.Destination.Port) && seg.Source.Port < seg.Destination.Port;
            (client, server) = sourceIsServer ? (seg.Destination, seg.Source) : (seg.Source, seg.Destination);
        }
        var conn = new TcpConnection(nextId++, client, server, seg.Time, midstream: !syn, rolesInferred: inferred);
        connections[key] = conn;
        sink.OnConnection(conn);
        Emit(conn, new OpenEvent(seg.Time, Midstream: !syn));
        return conn;
    }

    private void AddData(TcpConnection conn, Direction dir, TcpHalf half, long abs, ReadOnlyMemory<byte> bytes, int missing, Timestamp time)
    {
        long end = abs + bytes.Length + missing;
        half.HighestSeen = Math.Max(half.HighestSeen, end);
        if (end <= half.Next)
        {
            CompareWithHistory(conn, dir, half, abs, bytes.Span, time);
            return;
        }
        if (abs < half.Next)
        {
            int old = (int)(half.Next - abs);
            if (old <= bytes.Length)
            {
                CompareWithHistory(conn, dir, half, abs, bytes.Span[..old], time);
                bytes = bytes[old..];
            }
            else
            {
                missing -= old - bytes.Length;
                bytes = ReadOnlyMemory<byte>.Empty;
            }
            abs = half.Next;
        }
        if (abs == half.Next)
        {
            Deliver(conn, dir, half, bytes, missing, time);
            Drain(conn, dir, half, time);
            return;
        }
        Buffer(conn, dir, half, abs, bytes.Span, missing, time);
    }

    /// <summary>
    /// Hands in-order bytes on without copying them: the sink contract says the memory is only
    /// valid during the call, and whoever keeps bytes copies them (this is the packet loop).
    /// </summary>
    private void Deliver(TcpConnection conn, Direction dir, TcpHalf half, ReadOnlyMemory<byte> bytes, int missing, Timestamp time)
    {
        if (bytes.Length > 0)
        {
            sink.OnData(conn, dir, half.Offset(half.Next), time, bytes);
            half.Remember(bytes.Span, options.RetransmitHistoryBytes);
            half.Next += bytes.Length;
        }
        if (missing > 0)
        {
            Emit(conn, new GapEvent(dir, half.Offset(half.Next), missing, time, "cut off by the snap length", GapCause.Snaplen));
            half.Next += missing;
        }
    }

    private void Buffer(TcpConnection conn, Direction dir, TcpHalf half, long abs, ReadOnlySpan<byte> bytes, int missing, Timestamp time)
    {
        // Keep the first copy of any byte: insert only the parts no pending chunk covers yet.
        long pos = abs;
        long end = abs + bytes.Length;
        foreach ((long start, TcpHalf.Chunk chunk) in half.Pending.ToList())
        {
            long chunkEnd = start + chunk.Length;
            if (chunkEnd <= pos || start >= end) continue;
            if (start > pos) Insert(half, pos, bytes[(int)(pos - abs)..(int)(start - abs)], time);
            long overlapFrom = Math.Max(pos, start), overlapTo = Math.Min(end, chunkEnd);
            if (chunk.Bytes is not null && overlapTo > overlapFrom)
            {
                ReadOnlySpan<byte> mine = bytes[(int)(overlapFrom - abs)..(int)(overlapTo - abs)];
                ReadOnlySpan<byte> theirs = chunk.Bytes.AsSpan((int)(overlapFrom - start), (int)(overlapTo - overlapFrom));
                if (!mine.SequenceEqual(theirs)) ReportOverlap(conn, dir, half, overlapFrom, mine, time);
            }
            pos = Math.Max(pos, chunkEnd);
            if (pos >= end) break;
        }
        if (pos < end) Insert(half, pos, bytes[(int)(pos - abs)..], time);
        if (missing > 0 && !half.Pending.ContainsKey(end)) half.Pending[end] = new TcpHalf.Chunk(null, missing, time);

        if (half.PendingBytes > options.MaxOutOfOrderBytes)
        {
            Emit(conn, new AnomalyEvent(dir, half.Offset(half.Next), time, FindingCatalog.TcpBufferLimit,
                $"more than {options.MaxOutOfOrderBytes} out-of-order bytes waited for a missing segment",
                $"The segment at offset {half.Offset(half.Next)} never arrived while {half.PendingBytes} later bytes waited (limit {options.MaxOutOfOrderBytes}). "
                + "The hole is treated as lost so decoding can continue.", default));
            GapUntil(conn, dir, half, half.Pending.Keys[0], time, "never arrived before the out-of-order limit");
        }
    }

    private static void Insert(TcpHalf half, long at, ReadOnlySpan<byte> bytes, Timestamp time)
    {
        if (bytes.IsEmpty) return;
        half.Pending[at] = new TcpHalf.Chunk(bytes.ToArray(), bytes.Length, time);
        half.PendingBytes += bytes.Length;
    }

    /// <summary>Delivers buffered chunks that have become contiguous.</summary>
    private void Drain(TcpConnection conn, Direction dir, TcpHalf half, Timestamp time)
    {
        while (half.Pending.Count > 0 && half.Pending.Keys[0] <= half.Next)
        {
            long start = half.Pending.Keys[0];
            TcpHalf.Chunk chunk = half.Pending.Values[0];
            half.Pending.RemoveAt(0);
            if (chunk.Bytes is not null) half.PendingBytes -= chunk.Length;
            long end = start + chunk.Length;
            if (end <= half.Next) continue;
            int skip = (int)(half.Next - start);
            if (chunk.Bytes is null) Deliver(conn, dir, half, ReadOnlyMemory<byte>.Empty, chunk.Length - skip, chunk.Time);
            else Deliver(conn, dir, half, chunk.Bytes.AsMemory(skip), 0, chunk.Time);
        }
        TryDeliverFin(conn, dir, half, time);
    }

    private void GapUntil(TcpConnection conn, Direction dir, TcpHalf half, long target, Timestamp time, string reason)
    {
        if (target <= half.Next) return;
        Emit(conn, new GapEvent(dir, half.Offset(half.Next), target - half.Next, time, reason));
        half.Next = target;
        Drain(conn, dir, half, time);
    }

    /// <summary>Everything still buffered is delivered, holes as gaps (at a reset or the end).</summary>
    private void FlushHoles(TcpConnection conn, Direction dir, TcpHalf half, Timestamp time)
    {
        while (half.Pending.Count > 0 && !conn.Closed)
        {
            GapUntil(conn, dir, half, half.Pending.Keys[0], time, "never arrived");
        }
    }

    private void TryDeliverFin(TcpConnection conn, Direction dir, TcpHalf half, Timestamp time)
    {
        if (half.FinDelivered || half.Fin is not long fin || conn.Closed) return;
        if (half.Next < fin) return;
        half.FinDelivered = true;
        Timestamp finTime = Timestamp.Max(half.FinTime, time);
        Emit(conn, new EndEvent(dir, EndKind.Fin, finTime));
        TcpHalf other = conn.Half(Opposite(dir));
        if (other.FinDelivered) Close(conn, Timestamp.Max(finTime, other.FinTime), EndKind.Fin);
    }

    private void FinishConnection(TcpConnection conn, Timestamp time, EndKind kind)
    {
        foreach (Direction d in new[] { Direction.ClientToServer, Direction.ServerToClient })
        {
            TcpHalf h = conn.Half(d);
            FlushHoles(conn, d, h, time);
            if (h.Fin is long fin && !conn.Closed) GapUntil(conn, d, h, fin, time, "never arrived before the FIN");
        }
        if (!conn.Closed) Close(conn, time, kind);
    }

    private void Close(TcpConnection conn, Timestamp time, EndKind kind)
    {
        conn.Closed = true;
        var key = FlowKey.Of(conn.Client, conn.Server);
        connections.Remove(key);
        if (closed.Count >= options.MaxClosedTuples) ForgetOlderClosedHalf();
        closed[key] = conn.LastSeen;
        foreach (TcpHalf h in new[] { conn.ClientHalf, conn.ServerHalf })
        {
            h.Pending.Clear();
            h.PendingBytes = 0;
            h.ForgetHistory();
        }
        sink.OnClosed(conn, time, kind);
    }

    private void CompareWithHistory(TcpConnection conn, Direction dir, TcpHalf half, long abs, ReadOnlySpan<byte> bytes, Timestamp time)
    {
        long historyStart = half.Next - half.HistoryLength;
        long from = Math.Max(abs, historyStart), to = Math.Min(abs + bytes.Length, half.Next);
        if (to <= from) return;
        ReadOnlySpan<byte> again = bytes[(int)(from - abs)..(int)(to - abs)];
        byte[] first = new byte[to - from];
        half.CopyHistory((int)(from - historyStart), first);
        if (!again.SequenceEqual(first)) ReportOverlap(conn, dir, half, from, again, time);
    }

    private void ReportOverlap(TcpConnection conn, Direction dir, TcpHalf half, long abs, ReadOnlySpan<byte> differing, Timestamp time)
    {
        if (half.OverlapReported) return;
        half.OverlapReported = true;
        Emit(conn, new AnomalyEvent(dir, half.Offset(abs), time, FindingCatalog.TcpOverlapMismatch,
            $"a retransmission at offset {half.Offset(abs)} carries different bytes than the first copy; the first copy was used",
            "Two TCP segments covered the same sequence numbers with different contents. The copy that arrived first was decoded; the evidence is the later copy. "
            + "This happens with broken middleboxes or NICs, capture artefacts, or an attack (TCP overlap evasion). Reported once per direction.",
            differing[..Math.Min(differing.Length, 64)].ToArray()));
    }

    private void Emit(TcpConnection conn, StreamEvent e) => sink.OnEvent(conn, e);
}
