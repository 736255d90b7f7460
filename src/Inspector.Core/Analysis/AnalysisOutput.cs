using Inspector.Core.Model;

namespace Inspector.Core.Analysis;

/// <summary>Anything an analyzer emits: timeline events, findings, expected data connections.</summary>
public abstract record AnalysisOutput(Timestamp Time);

/// <summary>Receives a connection analyzer's outputs, in order.</summary>
public interface IAnalysisSink
{
    void Emit(AnalysisOutput output);
}

/// <summary>Collects outputs in memory (tests, small captures).</summary>
public sealed class ListSink : IAnalysisSink
{
    public List<AnalysisOutput> Items { get; } = [];

    public void Emit(AnalysisOutput output) => Items.Add(output);
}
