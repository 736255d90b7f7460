using System.Security.Cryptography;
using Inspector.Capture.Files;
using Inspector.Capture.Recording;
using Inspector.Core.Findings;

using Inspector.Core.Model;
using Inspector.Core.Sessions;
using Inspector.Core.Streams;

namespace Inspector.Proxy;

/// <summary>
/// Records relayed sessions as a pcapng file (<c>--record</c>): each session becomes two TCP
/// connections with their real addresses and ports, the client leg on interface 0 and the server
/// leg on interface 1, carrying the same bytes at the same times. What the relay itself reported
/// (an upstream that refused, an idle close) is kept as a packet comment.
/// The recording holds what the analysis saw: where the analysis queue overflowed, the sequence
/// numbers jump and readers report the same gap.
/// </summary>
public sealed class PcapngRelayRecorder : IRelayRecorder
{
    private readonly Lock gate = new();
    private readonly PcapngWriter writer;
    private readonly int clientLegInterface;
    private readonly int serverLegInterface;
    private readonly Dictionary<long, Legs> sessions = [];
    private readonly List<(long Session, RelayLegs Legs, Timestamp Start)> recorded = [];

    private sealed class Legs(Leg client, Leg? server)
    {
        public Leg Client { get; } = client;
        public Leg? Server { get; } = server;

        /// <summary>Both legs carry the same bytes and ends; the server leg exists once the relay connected upstream.</summary>
        public IEnumerable<Leg> Each => Server is null ? [Client] : [Client, Server];

        /// <summary>The leg the sender of <paramref name="d"/> is on, and the other one (null before the server leg exists).</summary>
        public (Leg? Sender, Leg? Receiver) Of(Direction d) => d == Direction.ClientToServer ? (Client, Server) : (Server, Client);

        public string? PendingComment { get; set; }

        /// <summary>The relay was stopped mid-session and reset both connections.</summary>
        public bool ResetOnClose { get; set; }
    }

    /// <summary>
    /// One TCP connection of a session, spoken to in the session's FTP directions. In an active-mode
    /// data session (the server connected) the TCP initiator of each leg is the FTP server's side, so
    /// directions are flipped to the connection's own (SYN sender first).
    /// </summary>
    private sealed class Leg(SyntheticTcpConnection tcp, bool flipped)
    {
        private Direction Map(Direction d) => flipped ? d.Opposite() : d;

        public void Open(Timestamp time) => tcp.Open(time);

        public void Data(Direction d, Timestamp time, ReadOnlySpan<byte> bytes, string? comment) => tcp.Data(Map(d), time, bytes, comment);

        public void Skip(Direction d, long length) => tcp.Skip(Map(d), length);

        public void Fin(Direction d, Timestamp time, string? comment) => tcp.Fin(Map(d), time, comment);

        public void Reset(Direction d, Timestamp time, string? comment) => tcp.Reset(Map(d), time, comment);
    }

    public PcapngRelayRecorder(Stream output)
    {
        writer = new PcapngWriter(output, "inspector proxy");
        clientLegInterface = writer.AddInterface(SyntheticTcpConnection.LinkType, 262_144, "client-leg", "client to relay");
        serverLegInterface = writer.AddInterface(SyntheticTcpConnection.LinkType, 262_144, "server-leg", "relay to server");
    }

    public static PcapngRelayRecorder Create(string path) =>
        new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16));

    public void Opened(SessionInfo session, RelayLegs legs, OpenEvent open)
    {
        lock (gate)
        {
            // An active-mode data connection: the relay connected to the client, the server to the relay.
            bool flipped = session.Data?.ServerConnected == true;
            var client = new Leg(flipped
                ? new SyntheticTcpConnection(writer, clientLegInterface, legs.RelayFront, legs.Client, RandomSequences())
                : new SyntheticTcpConnection(writer, clientLegInterface, legs.Client, legs.RelayFront, RandomSequences()), flipped);
            Leg? server = legs.RelayBack is null || legs.Server is null
                ? null
                : new Leg(flipped
                    ? new SyntheticTcpConnection(writer, serverLegInterface, legs.Server, legs.RelayBack, RandomSequences())
                    : new SyntheticTcpConnection(writer, serverLegInterface, legs.RelayBack, legs.Server, RandomSequences()), flipped);
            client.Open(open.Time);
            server?.Open(open.Time);
            sessions[session.Id] = new Legs(client, server);
            recorded.Add((session.Id, legs, open.Time));
        }
    }

    public void Event(SessionInfo session, StreamEvent e, ForwardedBytes? forwarded = null)
    {
        lock (gate)
        {
            if (!sessions.TryGetValue(session.Id, out Legs? legs)) return;
            string? comment = legs.PendingComment;
            legs.PendingComment = null;
            switch (e)
            {
                case DataEvent d when forwarded is not null:
                {
                    // The relay changed the bytes: each leg gets what crossed it.
                    (Leg? sender, Leg? receiver) = legs.Of(d.Direction);
                    sender?.Data(d.Direction, d.Time, d.Bytes.Span, comment);
                    receiver?.Data(d.Direction, d.Time, forwarded.Bytes.Span, comment);
                    break;
                }
                case DataEvent d:
                    foreach (Leg leg in legs.Each) leg.Data(d.Direction, d.Time, d.Bytes.Span, comment);
                    break;
                case GapEvent g:
                {
                    (Leg? sender, Leg? receiver) = legs.Of(g.Direction);
                    sender?.Skip(g.Direction, g.Length);
                    receiver?.Skip(g.Direction, forwarded?.Length ?? g.Length);
                    legs.PendingComment = $"inspector: {g.Length} bytes relayed but not recorded ({g.Reason})";
                    break;
                }
                case EndEvent { Kind: EndKind.Fin } end:
                    foreach (Leg leg in legs.Each) leg.Fin(end.Direction, end.Time, comment);
                    break;
                case EndEvent { Kind: EndKind.Reset } end:
                    foreach (Leg leg in legs.Each) leg.Reset(end.Direction, end.Time, comment);
                    break;
                case AnomalyEvent a:
                    legs.PendingComment = $"inspector: {a.FindingName}: {a.Summary}";
                    if (a.FindingName == FindingCatalog.ProxyStopped) legs.ResetOnClose = true;
                    break;
            }
        }
    }

    public void Closed(SessionInfo session, Timestamp time)
    {
        lock (gate)
        {
            if (!sessions.Remove(session.Id, out Legs? legs)) return;
            string? comment = legs.PendingComment;
            if (legs.Server is null || legs.ResetOnClose)
            {
                // The relay never reached the server and aborted the client's connection, or it was
                // stopped mid-session and reset both.
                legs.Client.Reset(Direction.ServerToClient, time, comment);
                legs.Server?.Reset(Direction.ClientToServer, time, comment);
            }
            else
            {
                // Whatever is still open was closed by the relay (idle timeout, the other direction
                // failing): it closed its own sockets, which sends a FIN on each leg.
                legs.Client.Fin(Direction.ServerToClient, time, comment);
                legs.Server.Fin(Direction.ClientToServer, time, comment);
            }
            writer.Flush();
        }
    }

    /// <summary>Every session recorded so far, with its legs (to find its packets in the file again).</summary>
    public IReadOnlyList<(long Session, RelayLegs Legs, Timestamp Start)> Recorded()
    {
        lock (gate) return [.. recorded];
    }

    /// <summary>Puts everything recorded so far into the file (for a reader of the file while recording goes on).</summary>
    public void Flush()
    {
        lock (gate) writer.Flush();
    }

    public void Dispose()
    {
        lock (gate) writer.Dispose();
    }

    private static (uint, uint) RandomSequences() =>
        ((uint)RandomNumberGenerator.GetInt32(int.MaxValue), (uint)RandomNumberGenerator.GetInt32(int.MaxValue));
}
