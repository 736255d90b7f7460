using System.Net;

namespace Inspector.Proxy;

/// <summary>
/// The two TCP connections a relayed session is made of: the client's connection to the relay
/// (client leg) and the relay's connection to the server (server leg). The server leg is null
/// when the relay never connected upstream.
/// </summary>
public sealed record RelayLegs(IPEndPoint Client, IPEndPoint RelayFront, IPEndPoint? RelayBack, IPEndPoint? Server);
