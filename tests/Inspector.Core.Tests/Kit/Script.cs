using System.Net;
using System.Text;
using Inspector.Core.Model;
using Inspector.Core.Streams;

namespace Inspector.Core.Tests.Kit;

/// <summary>
/// Writes a conversation as stream events, for tests that need a precise exchange:
/// <c>new Script().Server("220 hi\r\n").Client("USER a\r\n")</c>. Offsets and times advance
/// by themselves (10 ms per step).
/// </summary>
public sealed class Script
{
    private readonly long[] offsets = new long[2];
    private long nanos = 1_800_000_000_000_000_000L;

    public static readonly ConnectionInfo Info = new(1, new IPEndPoint(IPAddress.Parse("192.0.2.10"), 40000),
        new IPEndPoint(IPAddress.Parse("198.51.100.20"), 21));

    public List<StreamEvent> Events { get; } = [];

    public Script Open()
    {
        Events.Add(new OpenEvent(Next(), false));
        return this;
    }

    public Script Client(string text) => Client(Encoding.Latin1.GetBytes(text));

    public Script Server(string text) => Server(Encoding.Latin1.GetBytes(text));

    public Script Client(byte[] bytes) => Data(Direction.ClientToServer, bytes);

    public Script Server(byte[] bytes) => Data(Direction.ServerToClient, bytes);

    public Script ClientHex(string hex) => Client(Convert.FromHexString(hex.Replace(" ", "")));

    public Script ServerHex(string hex) => Server(Convert.FromHexString(hex.Replace(" ", "")));

    public Script Gap(Direction d, int length)
    {
        Events.Add(new GapEvent(d, offsets[(int)d], length, Next(), "test gap"));
        offsets[(int)d] += length;
        return this;
    }

    public Script End(Direction d, EndKind kind)
    {
        Events.Add(new EndEvent(d, kind, Next()));
        return this;
    }

    /// <summary>Lets time pass without bytes.</summary>
    public Script Wait(TimeSpan span)
    {
        nanos += span.Ticks * 100;
        return this;
    }

    private Script Data(Direction d, byte[] bytes)
    {
        Events.Add(new DataEvent(d, offsets[(int)d], Next(), bytes));
        offsets[(int)d] += bytes.Length;
        return this;
    }

    private Timestamp Next()
    {
        nanos += 10_000_000;
        return new Timestamp(nanos);
    }
}
