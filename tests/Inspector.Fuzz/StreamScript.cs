using System.Net;
using Inspector.Core.Model;
using Inspector.Core.Streams;

namespace Inspector.Fuzz;

/// <summary>
/// Turns fuzz input into the stream events of one connection. The bytes are data of the current
/// direction; byte 0xFE followed by an opcode is a control token (any other byte after 0xFE is
/// data, so mutations mostly stay data):
/// <c>c</c> client speaks next, <c>s</c> server speaks next, <c>g</c> N: a gap of N+1 bytes in the
/// current direction, <c>f</c> FIN of the current direction, <c>r</c> RST from the current side,
/// <c>t</c> N: N seconds pass. Each data run is one <see cref="DataEvent"/>; time advances 1 ms per event.
/// </summary>
public static class StreamScript
{
    public const byte Escape = 0xFE;

    public static ConnectionInfo Info { get; } =
        new(1, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 40000), new IPEndPoint(IPAddress.Parse("192.0.2.2"), 21));

    public static Timestamp Start { get; } = Timestamp.FromUnixSeconds(1_700_000_000);

    public static List<StreamEvent> Parse(ReadOnlySpan<byte> input, Direction first)
    {
        var events = new List<StreamEvent> { new OpenEvent(Start, false) };
        long[] offsets = new long[2];
        Direction dir = first;
        Timestamp time = Start;
        var run = new List<byte>();

        void Flush()
        {
            if (run.Count == 0) return;
            time = time.Add(TimeSpan.FromMilliseconds(1));
            events.Add(new DataEvent(dir, offsets[(int)dir], time, run.ToArray()));
            offsets[(int)dir] += run.Count;
            run.Clear();
        }

        int i = 0;
        while (i < input.Length)
        {
            byte b = input[i];
            byte op = i + 1 < input.Length ? input[i + 1] : (byte)0;
            if (b != Escape || !"csgfrt"u8.Contains(op))
            {
                run.Add(b);
                i++;
                continue;
            }
            Flush();
            int arg = i + 2 < input.Length ? input[i + 2] : 0;
            i += 2;
            switch ((char)op)
            {
                case 'c': dir = Direction.ClientToServer; break;
                case 's': dir = Direction.ServerToClient; break;
                case 'g':
                    i++;
                    time = time.Add(TimeSpan.FromMilliseconds(1));
                    events.Add(new GapEvent(dir, offsets[(int)dir], arg + 1, time, "fuzz"));
                    offsets[(int)dir] += arg + 1;
                    break;
                case 'f':
                    time = time.Add(TimeSpan.FromMilliseconds(1));
                    events.Add(new EndEvent(dir, EndKind.Fin, time));
                    break;
                case 'r':
                    time = time.Add(TimeSpan.FromMilliseconds(1));
                    events.Add(new EndEvent(dir, EndKind.Reset, time));
                    break;
                case 't':
                    i++;
                    time = time.Add(TimeSpan.FromSeconds(arg));
                    break;
            }
        }
        Flush();
        return events;
    }

    /// <summary>Writes events back as a script (seeds are made this way).</summary>
    public static byte[] Token(char op, byte? arg = null) => arg is { } a ? [Escape, (byte)op, a] : [Escape, (byte)op];
}
