using Inspector.Capture.Packets;

namespace Inspector.Capture.Tests.Packets;

/// <summary>A flow key names one connection whichever way a packet goes, and only that one.</summary>
public class FlowKeyTests
{
    private static readonly FlowEndpoint Client = FlowEndpoint.FromIPv4([10, 0, 0, 1], 40000);
    private static readonly FlowEndpoint Server = FlowEndpoint.FromIPv4([192, 168, 2, 10], 21);

    [Fact]
    public void Both_directions_give_one_key()
    {
        Assert.Equal(FlowKey.Of(Client, Server), FlowKey.Of(Server, Client));
        Assert.Equal(FlowKey.Of(Client, Server).GetHashCode(), FlowKey.Of(Server, Client).GetHashCode());
    }

    [Fact]
    public void A_key_differing_in_any_field_is_another_connection()
    {
        FlowKey key = FlowKey.Of(Client, Server);
        FlowKey[] others =
        [
            FlowKey.Of(Client with { Port = 40001 }, Server),
            FlowKey.Of(Client, Server with { Port = 20 }),
            FlowKey.Of(Client with { Low = Client.Low + 1 }, Server),
            FlowKey.Of(Client, Server with { Low = Server.Low ^ 0x100 }),
            FlowKey.Of(Client with { High = 1 }, Server),
            FlowKey.Of(Client with { IsV6 = true }, Server),
            FlowKey.Of(Client, Server with { IsV6 = true }),
        ];
        foreach (FlowKey other in others) Assert.NotEqual(key, other);
        // As dictionary keys: all distinct, and each finds itself.
        var set = new HashSet<FlowKey>(others) { key };
        Assert.Equal(others.Length + 1, set.Count);
        Assert.Contains(FlowKey.Of(Server, Client), set);
    }
}
