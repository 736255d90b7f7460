using Inspector.Capture.Files;
using Inspector.Capture.Packets;
using Inspector.Capture.Pipeline;
using Inspector.Core.Analysis;
using Inspector.Core.Output;
using Inspector.Core.Sessions;

namespace Inspector.Capture.Tests.Pipeline;

/// <summary>
/// Real captures, their segments split at random, duplicated and reordered: the analysis must
/// not change. Reordering stays within a run of segments of one direction (between packets of
/// the other direction), as on a real path: a receiver cannot acknowledge bytes before they exist.
/// </summary>
public class ReassemblyPropertyTests
{
    public static TheoryData<string> Captures() => Files.ReaderTestSupport.AllCaptures();

    [Theory]
    [MemberData(nameof(Captures))]
    public void Split_duplicated_and_reordered_segments_give_the_same_analysis(string capture)
    {
        List<TcpSegment> segments = ReadSegments(Path.Combine(AppContext.BaseDirectory, "captures", capture));
        var options = new CaptureAnalysisOptions { FtpPorts = Cli.CaptureArgs.Ports(capture) };
        string expected = Analyse(segments, options);
        Assert.Contains("\"type\":\"session\"", expected);
        for (int seed = 1; seed <= 4; seed++)
        {
            string actual = Analyse(Shuffle(segments, new Random(seed)), options);
            Assert.True(expected == actual, $"{capture}, seed {seed}: analysis differs\n--- original\n{expected}\n--- shuffled\n{actual}");
        }
    }

    private static string Analyse(IEnumerable<TcpSegment> segments, CaptureAnalysisOptions options)
    {
        var text = new StringWriter { NewLine = "\n" };
        var analysis = new CaptureAnalysis(new JsonSessionWriter(text, OutputFilter.All, grouped: true, includeBytes: true), options);
        foreach (TcpSegment s in segments) analysis.AddSegment(s);
        analysis.Complete();
        return text.ToString();
    }

    private static List<TcpSegment> ReadSegments(string path)
    {
        var decoder = new FrameDecoder(new CaptureStats());
        var list = new List<TcpSegment>();
        using ICaptureReader reader = CaptureFileReader.Open(path);
        while (reader.TryRead(out CapturedPacket p))
        {
            if (decoder.Decode(p, out TcpSegment s) == FrameKind.Tcp) list.Add(s with { Payload = s.Payload.ToArray() });
        }
        return list;
    }

    private static List<TcpSegment> Shuffle(List<TcpSegment> original, Random random)
    {
        var result = new List<TcpSegment>();
        var run = new List<TcpSegment>();
        FlowEndpoint? runSource = null;
        foreach (TcpSegment s in original)
        {
            bool boundary = s.Has(TcpFlags.Rst) || s.Has(TcpFlags.Syn);
            if (runSource != s.Source || boundary)
            {
                Flush();
                runSource = s.Source;
            }
            run.AddRange(Split(s, random));
            if (boundary) Flush();
        }
        Flush();
        return result;

        void Flush()
        {
            // Reorder the run, then duplicate a few pieces at random places within it.
            var pieces = run.OrderBy(_ => random.Next()).ToList();
            foreach (TcpSegment dup in run.Where(_ => random.Next(4) == 0).ToList()) pieces.Insert(random.Next(pieces.Count + 1), dup);
            result.AddRange(pieces);
            run.Clear();
        }
    }

    /// <summary>Cuts a segment's payload into 1-4 pieces with matching sequence numbers; SYN stays on the first, FIN on the last.</summary>
    private static IEnumerable<TcpSegment> Split(TcpSegment s, Random random)
    {
        int length = s.Payload.Length;
        if (length < 2 || s.MissingPayload > 0)
        {
            yield return s;
            yield break;
        }
        int pieces = random.Next(1, Math.Min(4, length) + 1);
        var cuts = Enumerable.Range(0, pieces - 1).Select(_ => random.Next(1, length)).Distinct().Order().ToList();
        cuts.Add(length);
        int start = 0;
        for (int i = 0; i < cuts.Count; i++)
        {
            TcpFlags flags = s.Flags;
            if (i > 0) flags &= ~TcpFlags.Syn;
            if (i < cuts.Count - 1) flags &= ~TcpFlags.Fin;
            yield return s with { Sequence = s.Sequence + (uint)start, Payload = s.Payload[start..cuts[i]], Flags = flags };
            start = cuts[i];
        }
    }
}
