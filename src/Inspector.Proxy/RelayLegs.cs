using System.Net;

namespace Inspector.Proxy;

/// <summary>
/// The two TCP connections a relayed session is made of: the client's connection to the relay
/// (client leg) and the relay's connection to the server (server leg). The server leg is null
/// when the relay never connected upstream.
/// </summary>
public sealed record RelayLegs(IPEndPoint Client, IPEndPoint RelayFront, IPEndPoint? RelayBack, IPEndPoint? Server)
{
    /// <summary>
    /// The relay's own address the client reaches for relayed data connections: null for
    /// <see cref="RelayFront"/>'s address. Under TPROXY the client leg's local address is the
    /// server's (not the relay's), so data listeners use the relay's address towards the client.
    /// </summary>
    public IPAddress? DataFront { get; init; }
}
