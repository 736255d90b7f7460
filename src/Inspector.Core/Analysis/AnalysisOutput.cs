using Inspector.Core.Model;

namespace Inspector.Core.Analysis;

/// <summary>Anything an analyzer emits: timeline events, findings, expected data connections.</summary>
public abstract record AnalysisOutput(Timestamp Time)
{
    /// <summary>
    /// Which output this is. The sinks every output passes through (the filter, the data-connection
    /// tracker, the JSON writer) switch on it: in the ReadyToRun build each type test there was a
    /// call into the runtime's cast helper, 2% of `read --json` on a control-heavy capture (issue #8).
    /// </summary>
    public abstract OutputType OutputType { get; }
}

/// <summary>The types of <see cref="AnalysisOutput"/>, one per sealed record (the "type" of its JSON line).</summary>
public enum OutputType : byte
{
    Event,
    Finding,
    ExpectedDataConnection,
    DataTransferReply,
    DataConnectionFacts,
    DataConnectionReport,
}

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
