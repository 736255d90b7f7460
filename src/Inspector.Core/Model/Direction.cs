namespace Inspector.Core.Model;

/// <summary>Which way bytes travel on one TCP connection.</summary>
public enum Direction : byte
{
    ClientToServer = 0,
    ServerToClient = 1,
}

/// <summary>The party a finding blames, or the one that did something.</summary>
public enum Side : byte
{
    Client,
    Server,
    /// <summary>Both peers share the fault (a configuration that does not match on the two ends).</summary>
    Both,
    /// <summary>The network or the capture (lost segments, a connection seen from its middle).</summary>
    Network,
    Unknown,
}

public static class DirectionExtensions
{
    public static Direction Opposite(this Direction d) =>
        d == Direction.ClientToServer ? Direction.ServerToClient : Direction.ClientToServer;

    /// <summary>The peer that sends in this direction.</summary>
    public static Side Sender(this Direction d) => d == Direction.ClientToServer ? Side.Client : Side.Server;

    public static string Arrow(this Direction d) => d == Direction.ClientToServer ? "C->S" : "S->C";

    public static string WireName(this Direction d) => d == Direction.ClientToServer ? "client" : "server";

    public static string WireName(this Side s) => s switch
    {
        Side.Client => "client",
        Side.Server => "server",
        Side.Both => "both",
        Side.Network => "network",
        _ => "unknown",
    };
}
