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

    private sealed class Legs(SyntheticTcpConnection client, SyntheticTcpConnection? server)
    {
        public SyntheticTcpConnection Client { get; } = client;
        public SyntheticTcpConnection? Server { get; } = server;

        /// <summary>Both legs carry the same bytes and ends; the server leg exists once the relay connected upstream.</summary>
        public IEnumerable<SyntheticTcpConnection> Each => Server is null ? [Client] : [Client, Server];

        public string? PendingComment { get; set; }

        /// <summary>The relay was stopped mid-session and reset both connections.</summary>
        public bool ResetOnClose { get; set; }
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
            var client = new SyntheticTcpConnection(writer, clientLegInterface, legs.Client, legs.RelayFront, RandomSequences());
            SyntheticTcpConnection? server = legs.RelayBack is null || legs.Server is null
                ? null
                : new SyntheticTcpConnection(writer, serverLegInterface, legs.RelayBack, legs.Server, RandomSequences());
            client.Open(open.Time);
            server?.Open(open.Time);
            sessions[session.Id] = new Legs(client, server);
            recorded.Add((session.Id, legs, open.Time));
        }
    }

    public void Event(SessionInfo session, StreamEvent e)
    {
        lock (gate)
        {
            if (!sessions.TryGetValue(session.Id, out Legs? legs)) return;
            string? comment = legs.PendingComment;
            legs.PendingComment = null;
            switch (e)
            {
                case DataEvent d:
                    foreach (SyntheticTcpConnection leg in legs.Each) leg.Data(d.Direction, d.Time, d.Bytes.Span, comment);
                    break;
                case GapEvent g:
                    foreach (SyntheticTcpConnection leg in legs.Each) leg.Skip(g.Direction, g.Length);
                    legs.PendingComment = $"inspector: {g.Length} bytes relayed but not recorded ({g.Reason})";
                    break;
                case EndEvent { Kind: EndKind.Fin } end:
                    foreach (SyntheticTcpConnection leg in legs.Each) leg.Fin(end.Direction, end.Time, comment);
                    break;
                case EndEvent { Kind: EndKind.Reset } end:
                    foreach (SyntheticTcpConnection leg in legs.Each) leg.Reset(end.Direction, end.Time, comment);
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
