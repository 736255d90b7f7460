using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Streams;
using Inspector.Core.Timeline;

namespace Inspector.Core.Analysis;

/// <summary>
/// Analyses one TCP connection of an FTP or FTPS control channel: a sans-IO state machine fed
/// stream events (bytes with offsets and timestamps, gaps, ends) that emits timeline events,
/// findings and expected data connections, in order, to a sink. It reads no clock, socket or
/// file, and the same bytes give the same outputs however they are cut into chunks.
/// </summary>
/// <remarks>
/// This file routes bytes between decoders; the FTP semantics, the TLS semantics, the
/// end-of-connection checks and the output helpers live in the other parts of this class.
/// </remarks>
public sealed partial class ConnectionAnalyzer
{
    private readonly ConnectionInfo info;
    private readonly AnalyzerOptions options;
    private readonly IAnalysisSink sink;
    private readonly DirectionState client;
    private readonly DirectionState server;
    private Timestamp openedAt;
    private bool opened;
    private bool finished;
    private bool snaplenReported;

    /// <param name="dataConnection">An FTP data connection rather than a control connection: its bytes are a file or listing, in plaintext or TLS.</param>
    public ConnectionAnalyzer(ConnectionInfo info, IAnalysisSink sink, AnalyzerOptions? options = null, bool dataConnection = false)
    {
        this.info = info;
        this.sink = sink;
        this.options = options ?? AnalyzerOptions.Default;
        client = new DirectionState(Direction.ClientToServer, this.options);
        server = new DirectionState(Direction.ServerToClient, this.options);
        dataRole = dataConnection;
        if (dataRole) client.Mode = server.Mode = DecodeMode.DataStart;
    }

    public ConnectionInfo Info => info;

    public bool IsFinished => finished;

    /// <summary>Dispatches one stream event.</summary>
    public void Feed(StreamEvent e)
    {
        switch (e)
        {
            case OpenEvent o: OnOpen(o.Time, o.Midstream); break;
            case DataEvent d: OnData(d.Direction, d.Offset, d.Time, d.Bytes.Span); break;
            case GapEvent g: OnGap(g.Direction, g.Offset, g.Length, g.Time, g.Reason, g.Cause); break;
            case EndEvent x: OnEnd(x.Direction, x.Kind, x.Time); break;
            case AnomalyEvent a:
                if (finished) break;
                MarkOpen(a.Time);
                Finding(a.FindingName, a.Side, a.Time, a.Direction, a.Offset, a.Evidence.Span, a.Summary, a.Explanation);
                break;
        }
    }

    /// <summary>The connection opened (or was first seen, when <paramref name="midstream"/>).</summary>
    public void OnOpen(Timestamp time, bool midstream)
    {
        if (opened || finished) return;
        MarkOpen(time);
        if (midstream)
        {
            Event(time, null, 0, 0, Layer.Tcp, EventKinds.TcpOpen, $"connection {info} seen from its middle", null, default);
            Finding(FindingCatalog.TcpMidstream, Side.Network, time, null, 0, default,
                $"the capture starts after {info} opened",
                "The SYN handshake is not in the capture, so the conversation before the first captured byte is unknown. "
                + (info.RolesInferred ? "Which side is the client was inferred from the ports and the first bytes. " : "")
                + "Decoding starts at the first recognisable line or TLS record.");
        }
        else
        {
            Event(time, null, 0, 0, Layer.Tcp, EventKinds.TcpOpen, $"connection {info} opened", null, default);
        }
    }

    /// <summary>In-order bytes of one direction starting at <paramref name="offset"/>.</summary>
    public void OnData(Direction direction, long offset, Timestamp time, ReadOnlySpan<byte> data)
    {
        if (finished || data.IsEmpty) return;
        MarkOpen(time);
        DirectionState st = State(direction);
        long seen = AlreadySeen(st, direction, offset, data.Length, time);
        if (seen < 0) return;
        data = data[(int)seen..];
        offset += seen;
        st.Received = offset + data.Length;
        if (!st.Active) st.FirstTime = time;
        if (dataRole && st.Opening.Count < options.MaxEvidenceBytes)
        {
            st.Opening.AddRange(data[..Math.Min(data.Length, options.MaxEvidenceBytes - st.Opening.Count)]);
        }
        st.Active = true;
        st.LastActivity = time;
        if (direction == Direction.ClientToServer && authAccepted) clientSpokeAfterAuth = true;
        Process(st, data, offset, time);
    }

    /// <summary>
    /// True when this direction's bytes are only counted from here on: it is opaque (not FTP, or
    /// TLS framing lost), or plaintext data past its preview. Both are final, so a source (the
    /// relay) may then pass lengths to <see cref="OnCounted"/> instead of bytes.
    /// </summary>
    public bool OnlyCounts(Direction direction)
    {
        DirectionState st = State(direction);
        return !finished
            && (st.Mode == DecodeMode.Opaque || st.Mode == DecodeMode.DataPlain && st.PayloadShown)
            && (!dataRole || st.Opening.Count >= options.MaxEvidenceBytes);
    }

    /// <summary>
    /// <paramref name="length"/> bytes of a direction that <see cref="OnlyCounts"/>: the same as
    /// <see cref="OnData"/> would make of them, without them. Called for a direction that still
    /// decodes, the bytes are a gap in its decoding (a source's mistake, not a crash).
    /// </summary>
    public void OnCounted(Direction direction, long offset, long length, Timestamp time)
    {
        if (finished || length <= 0) return;
        if (!OnlyCounts(direction))
        {
            OnGap(direction, offset, length, time, "counted, not passed to the analysis");
            return;
        }
        MarkOpen(time);
        DirectionState st = State(direction);
        long seen = AlreadySeen(st, direction, offset, length, time);
        if (seen < 0) return;
        length -= seen;
        offset += seen;
        st.Received = offset + length;
        st.LastActivity = time;
        if (direction == Direction.ClientToServer && authAccepted) clientSpokeAfterAuth = true;
        if (st.Mode == DecodeMode.DataPlain) st.Payload += length;
        st.DecodePos = offset + length;
    }

    /// <summary>
    /// Lines a direction's stream up with bytes at <paramref name="offset"/>: bytes missing before
    /// them are a gap, and how many of them arrived already is returned (-1 when all did).
    /// </summary>
    private long AlreadySeen(DirectionState st, Direction direction, long offset, long length, Timestamp time)
    {
        if (offset > st.Received)
        {
            OnGap(direction, st.Received, offset - st.Received, time, "bytes missing before this segment");
            return 0;
        }
        long seen = st.Received - offset;
        return seen >= length ? -1 : seen;
    }

    /// <summary><paramref name="length"/> bytes of one direction are known to be missing.</summary>
    public void OnGap(Direction direction, long offset, long length, Timestamp time, string reason, GapCause cause = GapCause.Lost)
    {
        if (finished || length <= 0) return;
        if (cause == GapCause.AnalysisOverflow && OnlyCounts(direction))
        {
            // The relay skipped bytes it forwarded unchanged, and by the time the analysis reaches
            // them it only counts this direction: they lose nothing, so they are counted, not
            // reported. (A fast data transfer fills the queue before the analysis has seen the
            // preview it needs and said that the rest is only counted.)
            OnCounted(direction, offset, length, time);
            return;
        }
        MarkOpen(time);
        DirectionState st = State(direction);
        st.Received = Math.Max(st.Received, offset + length);
        Event(time, direction, offset, length, Layer.Tcp, EventKinds.TcpGap, $"{length} bytes missing ({reason})", null, default);
        string who = direction.Sender().WireName();
        switch (cause)
        {
            case GapCause.Snaplen when snaplenReported:
                break;
            case GapCause.Snaplen:
                snaplenReported = true;
                Finding(FindingCatalog.TcpSnaplenTruncated, Side.Network, time, direction, offset, default,
                    $"{length} bytes of the {who}'s stream were cut off by the capture's snap length",
                    "The packets were on the wire complete, but the capture kept only their first bytes (tcpdump -s). Nothing is wrong with the peers here; "
                    + "further cuts in this session are shown in the timeline only. "
                    + "capture again with -s 0 (the default in current tcpdump) to see everything. " + GapConsequence(st));
                break;
            case GapCause.AnalysisOverflow:
                Finding(FindingCatalog.AnalysisOverflow, Side.Unknown, time, direction, offset, default,
                    $"analysis skipped {length} bytes of the {who}'s stream to keep up",
                    "The analysis queue was full, so these bytes were not decoded. They were still relayed unchanged. " + GapConsequence(st));
                break;
            default:
                Finding(FindingCatalog.TcpGap, Side.Network, time, direction, offset, default,
                    $"{length} bytes of the {who}'s stream are missing at offset {offset} ({reason})",
                    "These bytes were not captured (lost before the capture point, or dropped by the capture). " + GapConsequence(st));
                break;
        }
        DecodeGap(st, offset, length, time);
    }

    /// <summary>A FIN or RST from the sender of <paramref name="direction"/>, or the source ended.</summary>
    public void OnEnd(Direction direction, EndKind kind, Timestamp time)
    {
        if (finished) return;
        MarkOpen(time);
        DirectionState st = State(direction);
        switch (kind)
        {
            case EndKind.Fin:
                if (st.Closed) return;
                Event(time, direction, st.Received, 0, Layer.Tcp, EventKinds.TcpFin, $"{direction.Sender().WireName()} closes its side (FIN)", null, default);
                st.Closed = true;
                FlushDirection(st, time);
                if (client.Closed && server.Closed) Finish(time, kind);
                break;
            case EndKind.Reset:
                Event(time, direction, st.Received, 0, Layer.Tcp, EventKinds.TcpReset, $"{direction.Sender().WireName()} resets the connection (RST)", null, default);
                Finish(time, kind);
                break;
            default:
                Finish(time, kind);
                break;
        }
    }

    /// <summary>Time has passed with no bytes (live sources call this periodically): stall checks.</summary>
    public void OnTick(Timestamp now)
    {
        if (finished || !opened || dataRole) return;
        CheckSilence(now);
    }

    private void MarkOpen(Timestamp time)
    {
        if (opened) return;
        opened = true;
        openedAt = time;
    }

    private DirectionState State(Direction d) => d == Direction.ClientToServer ? client : server;

    private DirectionState Other(DirectionState st) => st == client ? server : client;

    /// <summary>Runs bytes through whatever decoder the direction's mode selects, switching as they say.</summary>
    private void Process(DirectionState st, ReadOnlySpan<byte> data, long offset, Timestamp time)
    {
        int stuck = 0;
        while (!data.IsEmpty)
        {
            DecodeMode before = st.Mode;
            int used = st.Mode switch
            {
                DecodeMode.Ftp => StepFtp(st, data, offset, time),
                DecodeMode.HoldForAuthReply => StepHold(st, data, offset, time),
                DecodeMode.Tls => StepTls(st, data, offset, time),
                DecodeMode.DataStart => StepDataStart(st, data, offset, time),
                DecodeMode.DataPlain => StepDataPlain(st, data, offset, time),
                _ => data.Length,
            };
            if (used == 0 && st.Mode == before && ++stuck > 2)
            {
                // A decoder that neither consumes nor changes mode would loop forever: a bug,
                // but the bytes must still be accounted for.
                st.Mode = DecodeMode.Opaque;
            }
            data = data[used..];
            offset += used;
            st.DecodePos = offset;
        }
    }

    private int StepHold(DirectionState st, ReadOnlySpan<byte> data, long offset, Timestamp time)
    {
        long room = options.MaxHeldBytes - st.HeldBytes;
        if (room <= 0)
        {
            // The server has not answered AUTH and the client keeps sending: stop holding and
            // read the bytes for what they look like.
            ReleaseHeld(st, DecodeMode.Ftp);
            return 0;
        }
        int take = (int)Math.Min(room, data.Length);
        st.Held.Add((offset, time, data[..take].ToArray(), take));
        st.HeldBytes += take;
        return take;
    }

    /// <summary>Replays held bytes in the given mode, with their own offsets and times.</summary>
    private void ReleaseHeld(DirectionState st, DecodeMode mode)
    {
        st.Mode = mode;
        var held = st.Held;
        st.Held = [];
        st.HeldBytes = 0;
        foreach ((long offset, Timestamp time, byte[]? bytes, long length) in held)
        {
            if (bytes is null) DecodeGap(st, offset, length, time);
            else Process(st, bytes, offset, time);
        }
    }

    private void DecodeGap(DirectionState st, long offset, long length, Timestamp time)
    {
        st.GapSeen = true;
        switch (st.Mode)
        {
            case DecodeMode.Ftp:
                st.Lines.ResyncAtNextLine();
                st.SkippedCountedTo = offset + length;
                if (st == server && st.Replies.TakeUnfinished() is { } partial)
                {
                    EmitReply(partial, st.ReplyStart, time, note: "cut by missing bytes");
                }
                break;
            case DecodeMode.HoldForAuthReply:
                st.Held.Add((offset, time, null, length));
                break;
            case DecodeMode.DataStart:
                // The first bytes are partly missing: decide on what arrived before the gap.
                if (st.HeldBytes > 0) DecideDataStart(st);
                else st.Mode = DecodeMode.Opaque;
                if (st.Mode == DecodeMode.Tls) goto case DecodeMode.Tls;
                break;
            case DecodeMode.DataPlain:
                st.Payload += length;
                break;
            case DecodeMode.Tls:
                st.Records.ResyncAfterGap(offset + length);
                st.Handshakes.Reset();
                break;
        }
        st.DecodePos = offset + length;
    }

    private static string GapConsequence(DirectionState st) => st.Mode switch
    {
        DecodeMode.Ftp => "The FTP decoder skips to the next line end and resumes there.",
        DecodeMode.Tls => "The TLS decoder looks for the next record boundary (confirmed by the record after it) and resumes there.",
        _ => "Decoding of this direction continues where it can.",
    };
}
