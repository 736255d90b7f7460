using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Output;
using Inspector.Core.Streams;
using Inspector.Core.Timeline;

namespace Inspector.Core.Tests.Kit;

/// <summary>How the test cuts each data event before feeding it.</summary>
public enum Cutting
{
    Whole,
    ByteByByte,
    Random,
}

/// <summary>Runs stream events through a fresh analyzer and gives back its outputs.</summary>
public sealed class AnalyzerRun
{
    private AnalyzerRun(List<AnalysisOutput> outputs) => Outputs = outputs;

    public List<AnalysisOutput> Outputs { get; }

    public IEnumerable<Finding> Findings => Outputs.OfType<Finding>();

    public IEnumerable<TimelineEvent> Events => Outputs.OfType<TimelineEvent>();

    public Finding Single(string name) => Assert.Single(Findings, f => f.Name == name);

    public bool Has(string name) => Findings.Any(f => f.Name == name);

    public IReadOnlyList<string> Names => Findings.Select(f => f.Name).ToList();

    /// <summary>Canonical JSON lines of every output, bytes included: two runs agree exactly or not at all.</summary>
    public IReadOnlyList<string> Canonical
    {
        get
        {
            var f = new JsonLinesFormatter(includeBytes: true);
            return Outputs.Select(o => f.Format(1, o)).ToList();
        }
    }

    public static AnalyzerRun Of(ConnectionInfo info, IEnumerable<StreamEvent> events, Cutting cutting = Cutting.Whole,
        int seed = 1, AnalyzerOptions? options = null, bool finish = true, bool data = false)
    {
        var sink = new ListSink();
        var analyzer = new ConnectionAnalyzer(info, sink, options, data);
        var random = new Random(seed);
        Timestamp last = default;
        foreach (StreamEvent e in events)
        {
            last = e.Time;
            if (e is DataEvent d && cutting != Cutting.Whole)
            {
                foreach (DataEvent piece in Cut(d, cutting, random)) analyzer.Feed(piece);
            }
            else
            {
                analyzer.Feed(e);
            }
        }
        if (finish) analyzer.Finish(last);
        return new AnalyzerRun(sink.Items);
    }

    /// <summary>
    /// Runs whole, byte by byte and at several random cut points, asserts that every run gives
    /// the same outputs, and returns the whole run.
    /// </summary>
    public static AnalyzerRun Consistent(ConnectionInfo info, IReadOnlyList<StreamEvent> events, AnalyzerOptions? options = null, bool data = false)
    {
        AnalyzerRun whole = Of(info, events, Cutting.Whole, options: options, data: data);
        IReadOnlyList<string> expected = whole.Canonical;
        AssertSame(expected, Of(info, events, Cutting.ByteByByte, options: options, data: data).Canonical, "byte by byte");
        for (int seed = 1; seed <= 5; seed++)
        {
            AssertSame(expected, Of(info, events, Cutting.Random, seed, options, data: data).Canonical, $"random cuts, seed {seed}");
        }
        return whole;
    }

    private static void AssertSame(IReadOnlyList<string> expected, IReadOnlyList<string> actual, string how)
    {
        for (int i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            Assert.True(expected[i] == actual[i], $"{how}: output {i} differs\nwhole: {expected[i]}\n{how}: {actual[i]}");
        }
        Assert.True(expected.Count == actual.Count, $"{how}: {actual.Count} outputs, whole gave {expected.Count}");
    }

    private static IEnumerable<DataEvent> Cut(DataEvent d, Cutting cutting, Random random)
    {
        ReadOnlyMemory<byte> bytes = d.Bytes;
        int pos = 0;
        while (pos < bytes.Length)
        {
            int n = cutting == Cutting.ByteByByte ? 1 : random.Next(1, Math.Max(2, bytes.Length - pos + 1));
            n = Math.Min(n, bytes.Length - pos);
            yield return d with { Offset = d.Offset + pos, Bytes = bytes.Slice(pos, n) };
            pos += n;
        }
    }
}
