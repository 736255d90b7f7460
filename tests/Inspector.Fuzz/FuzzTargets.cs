using Inspector.Capture.Files;
using Inspector.Capture.Pipeline;
using Inspector.Capture.Tcp;
using Inspector.Core.Analysis;
using Inspector.Core.Model;
using Inspector.Core.Output;
using Inspector.Core.Sessions;
using Inspector.Core.Streams;

namespace Inspector.Fuzz;

/// <summary>A run whose outputs depend on how the same bytes were cut: a bug, reported as a crash.</summary>
public sealed class DifferentialException(string message) : Exception(message);

/// <summary>
/// The fuzz targets. Each takes one input and returns normally, or throws: any exception is a
/// crash (the pcap target lets through only <see cref="CaptureFormatException"/>, the documented
/// answer to a bad file). The AFL harness and the corpus replay tests call the same code.
/// </summary>
public static class FuzzTargets
{
    public static readonly string[] Names = ["ftp", "tls", "pcap"];

    /// <summary>
    /// Small limits, so short inputs reach the limit paths (line too long, reply too long, pending
    /// commands, held bytes, handshake size, evidence and event truncation). Half the inputs,
    /// chosen by a hash of the input, run with these.
    /// </summary>
    /// <remarks>Made on first use, not in a static initializer: instrumented code must not run before SharpFuzz's fork server is up.</remarks>
    public static AnalyzerOptions TightLimits => tightLimits ??= new()
    {
        MaxLineLength = 48,
        MaxReplyLines = 6,
        MaxPendingCommands = 4,
        MaxHeldBytes = 200,
        MaxHandshakeMessageLength = 600,
        MaxEventBytes = 40,
        MaxEvidenceBytes = 24,
    };

    private static AnalyzerOptions? tightLimits;

    /// <summary>How many differently cut runs each input gets (1 under AFL; more when replaying files to hunt).</summary>
    public static int CutRounds { get; set; } = 1;

    /// <summary>Inputs with at most this many data bytes are also fed byte by byte.</summary>
    private const int ByteByByteLimit = 2048;

    public static void Run(string target, ReadOnlySpan<byte> input)
    {
        switch (target)
        {
            case "ftp": Ftp(input); break;
            case "tls": Tls(input); break;
            case "pcap": Pcap(input); break;
            default: throw new ArgumentException($"unknown target '{target}' (ftp, tls, pcap)", nameof(target));
        }
    }

    /// <summary>A control connection fed the script (server speaks first), whole and cut.</summary>
    public static void Ftp(ReadOnlySpan<byte> input) =>
        Differential(StreamScript.Parse(input, Direction.ServerToClient), dataConnection: false, input);

    /// <summary>The analyzer limits an input runs with: the defaults, or <see cref="TightLimits"/> for half the inputs.</summary>
    public static AnalyzerOptions OptionsFor(ReadOnlySpan<byte> input) =>
        (ForceTightLimits ?? (Hash(input) & 0x100) != 0) ? TightLimits : AnalyzerOptions.Default;

    /// <summary>Replay hunts: true runs every input with <see cref="TightLimits"/>, false with the defaults.</summary>
    public static bool? ForceTightLimits { get; set; }

    /// <summary>
    /// TLS through the analyzer. The first byte chooses the role: even, an FTP data connection
    /// (client speaks first); odd, a control connection after AUTH TLS was accepted (the script
    /// goes on as the client, whose next bytes should be a ClientHello).
    /// </summary>
    public static void Tls(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) return;
        bool data = (input[0] & 1) == 0;
        ReadOnlySpan<byte> rest = input[1..];
        if (data)
        {
            Differential(StreamScript.Parse(rest, Direction.ClientToServer), dataConnection: true, input);
            return;
        }
        byte[] script = [.. "220 fuzz\r\n"u8, .. StreamScript.Token('c'), .. "AUTH TLS\r\n"u8,
            .. StreamScript.Token('s'), .. "234 AUTH TLS ok\r\n"u8, .. StreamScript.Token('c'), .. rest];
        Differential(StreamScript.Parse(script, Direction.ServerToClient), dataConnection: false, input);
    }

    /// <summary>The whole `read` pipeline on the bytes as a capture file, every output formatted as JSON and text.</summary>
    public static void Pcap(ReadOnlySpan<byte> input)
    {
        string path = TempFile();
        File.WriteAllBytes(path, input.ToArray());
        var json = new JsonSessionWriter(TextWriter.Null, OutputFilter.All, grouped: true, includeBytes: true);
        var text = new TextSessionWriter(TextWriter.Null, OutputFilter.All, color: true, grouped: false, verbose: true);
        var tally = new SessionTally(new TeeSink(json, text));
        var analysis = new CaptureAnalysis(tally, OptionsFor(input) == TightLimits
            ? new CaptureAnalysisOptions
            {
                Analyzer = TightLimits,
                Reassembly = new TcpReassemblyOptions { MaxOutOfOrderBytes = 300, RetransmitHistoryBytes = 64, MaxConnections = 3 },
            }
            : null);
        try
        {
            using ICaptureReader reader = CaptureFileReader.Open(path);
            _ = reader.Format;
            analysis.Read(reader);
        }
        catch (CaptureFormatException)
        {
            // The documented answer to a damaged file: what came before it is still analysed.
        }
        analysis.Complete();
    }

    /// <summary>
    /// Feeds the events whole, then cut at points drawn from a hash of the input, then (for small
    /// inputs) byte by byte, and throws unless every run gives the same canonical outputs.
    /// </summary>
    public static void Differential(IReadOnlyList<StreamEvent> events, bool dataConnection, ReadOnlySpan<byte> input)
    {
        AnalyzerOptions options = OptionsFor(input);
        List<string> whole = Feed(events, dataConnection, options, _ => int.MaxValue);
        ulong state = Hash(input) | 1;
        for (int round = 0; round < CutRounds; round++)
        {
            Compare(whole, Feed(events, dataConnection, options, left => 1 + (int)(Next(ref state) % (ulong)Math.Min(left, 64))), $"random cuts (round {round})");
        }
        long dataBytes = events.OfType<DataEvent>().Sum(d => (long)d.Bytes.Length);
        if (dataBytes <= ByteByByteLimit) Compare(whole, Feed(events, dataConnection, options, _ => 1), "byte by byte");
    }

    private static List<string> Feed(IReadOnlyList<StreamEvent> events, bool dataConnection, AnalyzerOptions options, Func<int, int> pieceLength)
    {
        var sink = new ListSink();
        var analyzer = new ConnectionAnalyzer(StreamScript.Info, sink, options, dataConnection);
        Timestamp last = StreamScript.Start;
        foreach (StreamEvent e in events)
        {
            last = e.Time;
            if (e is not DataEvent d)
            {
                analyzer.Feed(e);
                continue;
            }
            int pos = 0;
            while (pos < d.Bytes.Length)
            {
                int n = Math.Clamp(pieceLength(d.Bytes.Length - pos), 1, d.Bytes.Length - pos);
                analyzer.Feed(d with { Offset = d.Offset + pos, Bytes = d.Bytes.Slice(pos, n) });
                pos += n;
            }
        }
        analyzer.Finish(last);
        var formatter = new JsonLinesFormatter(includeBytes: true);
        return sink.Items.Select(o => formatter.Format(1, o)).ToList();
    }

    private static void Compare(List<string> expected, List<string> actual, string how)
    {
        for (int i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            if (expected[i] != actual[i]) throw new DifferentialException($"{how}: output {i} differs\nwhole: {expected[i]}\n{how}: {actual[i]}");
        }
        if (expected.Count != actual.Count)
        {
            string extra = expected.Count > actual.Count ? "whole: " + expected[actual.Count] : $"{how}: " + actual[expected.Count];
            throw new DifferentialException($"{how}: {actual.Count} outputs, whole gave {expected.Count}; first extra: {extra}");
        }
    }

    private static ulong Hash(ReadOnlySpan<byte> input)
    {
        ulong h = 14695981039346656037UL; // FNV-1a
        foreach (byte b in input) h = (h ^ b) * 1099511628211UL;
        return h;
    }

    private static ulong Next(ref ulong s)
    {
        // xorshift64*: the same cuts for the same input on every runtime.
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        return s * 2685821657736338717UL;
    }

    [ThreadStatic] private static string? tempFile;

    private static string TempFile()
    {
        if (tempFile is not null) return tempFile;
        string dir = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        string path = Path.Combine(dir, $"inspector-fuzz-{Environment.ProcessId}-{Environment.CurrentManagedThreadId}.cap");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(path);
        return tempFile = path;
    }

    private sealed class TeeSink(ISessionSink a, ISessionSink b) : ISessionSink
    {
        public void SessionStarted(SessionInfo session)
        {
            a.SessionStarted(session);
            b.SessionStarted(session);
        }

        public void Output(SessionInfo session, AnalysisOutput output)
        {
            a.Output(session, output);
            b.Output(session, output);
        }

        public void SessionEnded(SessionInfo session, SessionSummary summary)
        {
            a.SessionEnded(session, summary);
            b.SessionEnded(session, summary);
        }
    }
}
