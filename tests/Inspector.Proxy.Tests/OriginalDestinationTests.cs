using System.Net;
using Inspector.Proxy.Transparent;
using static Inspector.Proxy.Transparent.OriginalDestination;

namespace Inspector.Proxy.Tests;

/// <summary>The sans-IO half of transparent mode: sockaddr bytes made by hand, and the relay-or-refuse decision.</summary>
public sealed class OriginalDestinationTests
{
    [Fact]
    public void Parses_a_sockaddr_in_little_endian_family_network_order_port()
    {
        // AF_INET = 2 (host order, little-endian), port 21 = 0x0015 (network order), 198.51.100.7, 8 bytes of zero.
        byte[] bytes = [0x02, 0x00, 0x00, 0x15, 198, 51, 100, 7, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.7"), 21), Parse(bytes, littleEndian: true));
    }

    [Fact]
    public void Parses_a_high_port_in_network_order()
    {
        byte[] bytes = [0x02, 0x00, 0x03, 0xDE, 192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0]; // 990
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 990), Parse(bytes, littleEndian: true));
        byte[] big = [0x00, 0x02, 0xFF, 0xFE, 192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0]; // a big-endian host: 65534
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 65534), Parse(big, littleEndian: false));
    }

    [Fact]
    public void Parses_a_sockaddr_in6()
    {
        byte[] bytes = new byte[28];
        bytes[0] = 10; // AF_INET6
        bytes[2] = 0x00;
        bytes[3] = 0x15;
        bytes[4] = 0x12; // flowinfo is ignored
        IPAddress.Parse("2001:db8:2::10").GetAddressBytes().CopyTo(bytes, 8);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8:2::10"), 21), Parse(bytes, littleEndian: true));
    }

    [Fact]
    public void A_mapped_ipv4_address_in_a_sockaddr_in6_is_named_as_ipv4()
    {
        byte[] bytes = new byte[28];
        bytes[0] = 10;
        bytes[3] = 21;
        IPAddress.Parse("::ffff:198.51.100.7").GetAddressBytes().CopyTo(bytes, 8);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.7"), 21), Parse(bytes, littleEndian: true));
    }

    [Theory]
    [InlineData("")]
    [InlineData("02")]
    [InlineData("0200001500")] // cut short
    [InlineData("02000000C6336407 0000000000000000")] // port 0
    [InlineData("07000015C6336407 0000000000000000")] // unknown family
    [InlineData("0A000015 00000000 20010DB8000000000000000000000010")] // sockaddr_in6 without its scope id
    public void Malformed_or_empty_bytes_are_no_destination(string hex)
    {
        Assert.Null(Parse(Convert.FromHexString(hex.Replace(" ", "")), littleEndian: true));
    }

    private static readonly IPEndPoint Listen = new(IPAddress.Any, 2121);
    private static readonly IPAddress Gateway = IPAddress.Parse("192.0.2.1");
    private static readonly IPEndPoint Client = new(IPAddress.Parse("192.0.2.10"), 40000);
    private static bool IsGateway(IPAddress a) => a.Equals(Gateway);
    private static bool NoUpstream(IPEndPoint _) => false;

    [Fact]
    public void A_redirected_connection_goes_to_its_original_destination()
    {
        var server = new IPEndPoint(IPAddress.Parse("198.51.100.10"), 21);
        Decision d = Decide(server, new IPEndPoint(Gateway, 2121), Client, Listen, IsGateway, NoUpstream);
        Assert.Equal(new Decision(DecisionKind.Relay, server), d);
    }

    [Fact]
    public void A_client_that_connected_to_the_relay_itself_is_not_redirected()
    {
        var local = new IPEndPoint(Gateway, 2121);
        // No conntrack entry (the option failed), or one that names the same endpoint (no NAT).
        Assert.Equal(new Decision(DecisionKind.NotRedirected, local), Decide(null, local, Client, Listen, IsGateway, NoUpstream));
        Assert.Equal(new Decision(DecisionKind.NotRedirected, local), Decide(local, local, Client, Listen, IsGateway, NoUpstream));
        // Also to a specific listen address, and on loopback.
        Assert.Equal(DecisionKind.NotRedirected, Decide(null, local, Client, local, IsGateway, NoUpstream).Kind);
        var loop = new IPEndPoint(IPAddress.Loopback, 2121);
        Assert.Equal(DecisionKind.NotRedirected, Decide(null, loop, Client, Listen, IsGateway, NoUpstream).Kind);
    }

    [Fact]
    public void Under_tproxy_the_local_address_is_the_original_destination()
    {
        // TPROXY: no NAT entry, and the accepted socket's local address is the server the client asked for.
        var server = new IPEndPoint(IPAddress.Parse("198.51.100.10"), 21);
        Assert.Equal(new Decision(DecisionKind.Relay, server), Decide(null, server, Client, Listen, IsGateway, NoUpstream));
    }

    [Fact]
    public void An_original_destination_that_is_the_relay_is_a_loop()
    {
        // DNAT'd from elsewhere to the relay's own address and port: relaying would connect to itself.
        var self = new IPEndPoint(Gateway, 2121);
        Decision d = Decide(self, new IPEndPoint(Gateway, 2121), Client, Listen, IsGateway, NoUpstream);
        Assert.Equal(DecisionKind.NotRedirected, d.Kind); // indistinguishable from a direct connection
        d = Decide(self, new IPEndPoint(IPAddress.Parse("192.0.2.2"), 2121), Client, Listen, a => a.Equals(Gateway) || a.Equals(IPAddress.Parse("192.0.2.2")), NoUpstream);
        Assert.Equal(new Decision(DecisionKind.RedirectLoop, self), d);
    }

    [Fact]
    public void The_relays_own_upstream_connection_redirected_back_is_a_loop()
    {
        var server = new IPEndPoint(IPAddress.Parse("198.51.100.10"), 21);
        var own = new IPEndPoint(Gateway, 51000);
        Decision d = Decide(server, new IPEndPoint(Gateway, 2121), own, Listen, IsGateway, ep => ep.Equals(own));
        Assert.Equal(new Decision(DecisionKind.RedirectLoop, server), d);
    }
}
