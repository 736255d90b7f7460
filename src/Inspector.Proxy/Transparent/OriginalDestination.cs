using System.Buffers.Binary;
using System.Net;

namespace Inspector.Proxy.Transparent;

/// <summary>
/// Sans-IO parts of transparent mode: the Linux <c>sockaddr_in</c>/<c>sockaddr_in6</c> that
/// <c>getsockopt(SO_ORIGINAL_DST)</c> returns, and the decision what to do with an accepted
/// connection (relay it to its original destination, or refuse it).
/// </summary>
public static class OriginalDestination
{
    /// <summary>getsockopt levels and option name (linux/in.h, linux/netfilter_ipv4.h, linux/netfilter_ipv6/ip6_tables.h).</summary>
    public const int SolIp = 0, SolIpv6 = 41, SoOriginalDst = 80;

    /// <summary>Bytes of a sockaddr_in and a sockaddr_in6.</summary>
    public const int SockaddrInLength = 16, SockaddrIn6Length = 28;

    private const ushort AfInet = 2, AfInet6 = 10;

    /// <summary>
    /// Parses a Linux sockaddr: the family in host byte order (<paramref name="littleEndian"/>,
    /// the machine's order by default), the port and address in network byte order. Null when the
    /// bytes are not a whole sockaddr_in or sockaddr_in6, or name port 0.
    /// </summary>
    public static IPEndPoint? Parse(ReadOnlySpan<byte> sockaddr, bool? littleEndian = null)
    {
        if (sockaddr.Length < 2) return null;
        bool le = littleEndian ?? BitConverter.IsLittleEndian;
        ushort family = le ? BinaryPrimitives.ReadUInt16LittleEndian(sockaddr) : BinaryPrimitives.ReadUInt16BigEndian(sockaddr);
        if (family == AfInet && sockaddr.Length >= SockaddrInLength)
        {
            int port = BinaryPrimitives.ReadUInt16BigEndian(sockaddr[2..]);
            return port == 0 ? null : new IPEndPoint(new IPAddress(sockaddr.Slice(4, 4)), port);
        }
        if (family == AfInet6 && sockaddr.Length >= SockaddrIn6Length)
        {
            int port = BinaryPrimitives.ReadUInt16BigEndian(sockaddr[2..]);
            uint scope = le ? BinaryPrimitives.ReadUInt32LittleEndian(sockaddr[24..]) : BinaryPrimitives.ReadUInt32BigEndian(sockaddr[24..]);
            var address = new IPAddress(sockaddr.Slice(8, 16), scope);
            if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
            return port == 0 ? null : new IPEndPoint(address, port);
        }
        return null;
    }

    /// <summary>
    /// What to do with one accepted connection. <paramref name="original"/>: what SO_ORIGINAL_DST
    /// said (null when the option failed: no conntrack entry, so no NAT happened);
    /// <paramref name="local"/> and <paramref name="remote"/>: the accepted socket's addresses;
    /// <paramref name="listen"/>: the relay's listen endpoint; <paramref name="isLocalAddress"/>:
    /// whether an address is one of this host's; <paramref name="isOwnUpstream"/>: whether an
    /// endpoint is the local end of one of the relay's own upstream connections.
    /// </summary>
    public static Decision Decide(IPEndPoint? original, IPEndPoint local, IPEndPoint remote, IPEndPoint listen,
        Func<IPAddress, bool> isLocalAddress, Func<IPEndPoint, bool> isOwnUpstream)
    {
        // The relay's own upstream connection came back to it (a redirect in the OUTPUT chain).
        if (isOwnUpstream(remote)) return new Decision(DecisionKind.RedirectLoop, original ?? local);
        IPEndPoint? target = original;
        if (target is null || target.Equals(local))
        {
            // No NAT. Under TPROXY the local address is the original destination; otherwise the
            // client connected to the relay itself.
            if (IsListenEndpoint(local, listen, isLocalAddress)) return new Decision(DecisionKind.NotRedirected, local);
            target = local;
        }
        if (IsListenEndpoint(target, listen, isLocalAddress)) return new Decision(DecisionKind.RedirectLoop, target);
        return new Decision(DecisionKind.Relay, target);
    }

    private static bool IsListenEndpoint(IPEndPoint ep, IPEndPoint listen, Func<IPAddress, bool> isLocalAddress)
    {
        if (ep.Port != listen.Port) return false;
        IPAddress address = ep.Address.IsIPv4MappedToIPv6 ? ep.Address.MapToIPv4() : ep.Address;
        IPAddress bound = listen.Address.IsIPv4MappedToIPv6 ? listen.Address.MapToIPv4() : listen.Address;
        if (bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any)) return IPAddress.IsLoopback(address) || isLocalAddress(address);
        return bound.Equals(address);
    }

    public enum DecisionKind
    {
        /// <summary>Connect to <see cref="Decision.Target"/> and relay.</summary>
        Relay,

        /// <summary>The client connected to the relay's listen address itself (no redirect, or conntrack has no entry).</summary>
        NotRedirected,

        /// <summary>The original destination is the relay itself, or the connection is the relay's own upstream connection redirected back.</summary>
        RedirectLoop,
    }

    /// <summary>The decision and the endpoint it is about (the original destination where known).</summary>
    public readonly record struct Decision(DecisionKind Kind, IPEndPoint Target);
}
