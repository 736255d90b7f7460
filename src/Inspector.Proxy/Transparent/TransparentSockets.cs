using System.Collections.Concurrent;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Inspector.Proxy.Transparent;

/// <summary>
/// The socket glue of transparent mode: reads SO_ORIGINAL_DST from an accepted socket, knows this
/// host's addresses and the relay's own upstream connections, and turns them into an
/// <see cref="OriginalDestination.Decision"/>.
/// </summary>
internal sealed class TransparentSockets
{
    private const int IpTransparent = 19; // linux/in.h, SOL_IP level (IPV6_TRANSPARENT is 75 on SOL_IPV6)

    private readonly ConcurrentDictionary<int, byte> ownUpstreamPorts = new();

    /// <summary>
    /// Asks for IP_TRANSPARENT on the listener so TPROXY can hand it connections for addresses
    /// that are not this host's. Needs CAP_NET_ADMIN; false without it (REDIRECT and DNAT work anyway).
    /// </summary>
    public static bool TryAllowTproxy(Socket listener)
    {
        try
        {
            if (listener.AddressFamily == AddressFamily.InterNetworkV6)
            {
                listener.SetRawSocketOption(OriginalDestination.SolIpv6, 75, BitConverter.GetBytes(1));
                if (listener.DualMode) listener.SetRawSocketOption(OriginalDestination.SolIp, IpTransparent, BitConverter.GetBytes(1));
            }
            else
            {
                listener.SetRawSocketOption(OriginalDestination.SolIp, IpTransparent, BitConverter.GetBytes(1));
            }
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>SO_ORIGINAL_DST of an accepted connection (IPv4, or IPv6 via IP6T_SO_ORIGINAL_DST); null when there is none.</summary>
    public static IPEndPoint? Read(Socket accepted)
    {
        var local = (IPEndPoint)accepted.LocalEndPoint!;
        bool v4 = accepted.AddressFamily == AddressFamily.InterNetwork || local.Address.IsIPv4MappedToIPv6;
        Span<byte> buffer = stackalloc byte[OriginalDestination.SockaddrIn6Length];
        try
        {
            int n = v4
                ? accepted.GetRawSocketOption(OriginalDestination.SolIp, OriginalDestination.SoOriginalDst, buffer)
                : accepted.GetRawSocketOption(OriginalDestination.SolIpv6, OriginalDestination.SoOriginalDst, buffer);
            return OriginalDestination.Parse(buffer[..n]);
        }
        catch (SocketException)
        {
            return null; // ENOENT: conntrack has no entry (the connection was not NATed, or nf_conntrack is not loaded)
        }
    }

    public OriginalDestination.Decision Decide(Socket accepted, IPEndPoint listen)
    {
        IPEndPoint local = RelaySession.Plain((IPEndPoint)accepted.LocalEndPoint!);
        IPEndPoint remote = RelaySession.Plain((IPEndPoint)accepted.RemoteEndPoint!);
        return OriginalDestination.Decide(Read(accepted), local, remote, listen, IsLocalAddress,
            ep => ownUpstreamPorts.ContainsKey(ep.Port) && (IPAddress.IsLoopback(ep.Address) || IsLocalAddress(ep.Address)));
    }

    /// <summary>Remembers an upstream connection's local port while it is open, so a redirect back to the relay is seen as a loop.</summary>
    public IDisposable Track(int upstreamLocalPort)
    {
        ownUpstreamPorts[upstreamLocalPort] = 0;
        return new Untrack(() => ownUpstreamPorts.TryRemove(upstreamLocalPort, out _));
    }

    /// <summary>
    /// Under TPROXY the client leg's local address is the original destination, not one of this
    /// host's: then the address this host reaches <paramref name="client"/> from (a route lookup
    /// with an unsent UDP "connect"), for data listeners. Null when <paramref name="front"/> is local.
    /// </summary>
    public static IPAddress? DataFront(IPEndPoint front, IPEndPoint client)
    {
        if (IPAddress.IsLoopback(front.Address) || IsLocalAddress(front.Address)) return null;
        try
        {
            using var probe = new Socket(client.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(new IPEndPoint(client.Address, 9));
            return RelaySession.Plain((IPEndPoint)probe.LocalEndPoint!).Address;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    private static bool IsLocalAddress(IPAddress address)
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(i => i.GetIPProperties().UnicastAddresses)
                .Any(u => u.Address.Equals(address) || (u.Address.IsIPv6LinkLocal && address.IsIPv6LinkLocal && u.Address.GetAddressBytes().AsSpan().SequenceEqual(address.GetAddressBytes())));
        }
        catch (NetworkInformationException)
        {
            return false;
        }
    }

    private sealed class Untrack(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
