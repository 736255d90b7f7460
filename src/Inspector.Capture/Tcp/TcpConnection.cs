using Inspector.Capture.Packets;
using Inspector.Core.Model;

namespace Inspector.Capture.Tcp;

/// <summary>One TCP connection the reassembler tracks.</summary>
public sealed class TcpConnection
{
    internal TcpConnection(long id, FlowEndpoint client, FlowEndpoint server, Timestamp start, bool midstream, bool rolesInferred)
    {
        Id = id;
        Client = client;
        Server = server;
        Start = start;
        LastSeen = start;
        Midstream = midstream;
        RolesInferred = rolesInferred;
    }

    /// <summary>Order of first appearance in the capture, from 1.</summary>
    public long Id { get; }
    public FlowEndpoint Client { get; }
    public FlowEndpoint Server { get; }
    public Timestamp Start { get; }
    public Timestamp LastSeen { get; internal set; }
    public bool Midstream { get; }
    public bool RolesInferred { get; }

    /// <summary>Ended (RST, both FINs, idle, or evicted): no more events will come.</summary>
    public bool Closed { get; internal set; }

    /// <summary>For the consumer: whatever it attaches to this connection.</summary>
    public object? Tag { get; set; }

    internal TcpHalf ClientHalf { get; } = new();
    internal TcpHalf ServerHalf { get; } = new();

    internal TcpHalf Half(Direction d) => d == Direction.ClientToServer ? ClientHalf : ServerHalf;

    public Direction DirectionOf(FlowEndpoint source) => source == Client ? Direction.ClientToServer : Direction.ServerToClient;

    public override string ToString() => $"{Client} -> {Server}";
}
