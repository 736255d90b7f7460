using System.Globalization;
using System.Net;
using Inspector.Core.Model;
using Inspector.Core.Streams;
using Inspector.Core.Tls;

namespace Inspector.MicroBench.Inputs;

/// <summary>One TCP segment's payload, or its FIN/RST, as recorded in a capture.</summary>
public sealed record RecordedSegment(Timestamp Time, Direction Direction, byte[] Payload, EndKind? End);

/// <summary>
/// A control connection from one of the committed captures, as written by Inputs/extract.sh:
/// each line a segment's payload (or FIN/RST) with its time and direction.
/// </summary>
public sealed class RecordedConnection
{
    private RecordedConnection(List<RecordedSegment> segments) => Segments = segments;

    public IReadOnlyList<RecordedSegment> Segments { get; }

    /// <summary>Reads the embedded input <paramref name="name"/> (a file in Inputs/).</summary>
    public static RecordedConnection Load(string name)
    {
        using Stream? resource = typeof(RecordedConnection).Assembly.GetManifestResourceStream(name);
        if (resource is null) throw new FileNotFoundException($"no embedded benchmark input {name}");
        using var reader = new StreamReader(resource);
        var segments = new List<RecordedSegment>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            string[] f = line.Split(' ');
            long micros = long.Parse(f[0], CultureInfo.InvariantCulture);
            var time = Timestamp.FromUnixSeconds(micros / 1_000_000, micros % 1_000_000 * 1000);
            Direction direction = f[1] == "c" ? Direction.ClientToServer : Direction.ServerToClient;
            segments.Add(f[2] switch
            {
                "FIN" => new RecordedSegment(time, direction, [], EndKind.Fin),
                "RST" => new RecordedSegment(time, direction, [], EndKind.Reset),
                _ => new RecordedSegment(time, direction, Convert.FromHexString(f[2]), null),
            });
        }
        return new RecordedConnection(segments);
    }

    /// <summary>Every payload byte one side sent, in order.</summary>
    public byte[] Stream(Direction direction) =>
        Segments.Where(s => s.Direction == direction).SelectMany(s => s.Payload).ToArray();

    /// <summary>
    /// What one side sent as TLS: the segments from the first that starts with a record header
    /// (after AUTH TLS and its reply) up to the first that does not (the TLS 1.2 server's
    /// plaintext 421 after the client's alert). In these loopback recordings every TLS segment
    /// starts on a record boundary.
    /// </summary>
    public byte[] TlsStream(Direction direction) =>
        Segments.Where(s => s.Direction == direction && s.End is null)
            .SkipWhile(s => !TlsRecordReader.IsPlausibleHeader(s.Payload))
            .TakeWhile(s => TlsRecordReader.IsPlausibleHeader(s.Payload))
            .SelectMany(s => s.Payload).ToArray();

    /// <summary>The stream events a capture source would give the analyzer: open, each segment as it came, the ends.</summary>
    public List<StreamEvent> StreamEvents()
    {
        var events = new List<StreamEvent> { new OpenEvent(Segments[0].Time, Midstream: false) };
        long[] offsets = new long[2];
        foreach (RecordedSegment s in Segments)
        {
            if (s.End is { } kind)
            {
                events.Add(new EndEvent(s.Direction, kind, s.Time));
                continue;
            }
            events.Add(new DataEvent(s.Direction, offsets[(int)s.Direction], s.Time, s.Payload));
            offsets[(int)s.Direction] += s.Payload.Length;
        }
        return events;
    }

    /// <summary>Loopback endpoints like the captures' (the analyzer only prints them).</summary>
    public static ConnectionInfo Endpoints { get; } =
        new(1, new IPEndPoint(IPAddress.Loopback, 50000), new IPEndPoint(IPAddress.Loopback, 2121));
}
