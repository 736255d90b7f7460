using BenchmarkDotNet.Attributes;
using Inspector.Core.Analysis;
using Inspector.Core.Streams;
using Inspector.MicroBench.Inputs;

namespace Inspector.MicroBench;

/// <summary>
/// The whole <see cref="ConnectionAnalyzer"/> on a recorded control connection, segment by
/// segment as a capture source delivers it: line and record decoding plus everything built on
/// them (timeline events with detail trees, findings, ClientHello fingerprints).
/// </summary>
[MemoryDiagnoser]
public class ConnectionAnalyzerBenchmarks
{
    private List<StreamEvent> events = [];

    [ParamsAllValues]
    public Session Session { get; set; }

    [GlobalSetup]
    public void Setup() => events = Sessions.Load(Session).StreamEvents();

    [Benchmark]
    public AnalyzerResult AnalyzeConnection()
    {
        var sink = new CountingSink();
        var analyzer = new ConnectionAnalyzer(RecordedConnection.Endpoints, sink);
        foreach (StreamEvent e in events) analyzer.Feed(e);
        analyzer.Finish(events[^1].Time);
        return sink.Result;
    }
}
