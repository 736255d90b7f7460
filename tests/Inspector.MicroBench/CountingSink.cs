using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Timeline;

namespace Inspector.MicroBench;

/// <summary>What the analyzer emitted for one connection.</summary>
public record struct AnalyzerResult(int Events, int Findings, int Commands, int Replies);

/// <summary>
/// Counts the analyzer's outputs instead of keeping them, so a benchmark measures the
/// analyzer and not the growth of a list it would not have in a streaming reader.
/// </summary>
public sealed class CountingSink : IAnalysisSink
{
    private AnalyzerResult result;

    public AnalyzerResult Result => result;

    public void Emit(AnalysisOutput output)
    {
        switch (output)
        {
            case Finding:
                result.Findings++;
                break;
            case TimelineEvent e:
                result.Events++;
                if (e.Kind == EventKinds.FtpCommand) result.Commands++;
                else if (e.Kind == EventKinds.FtpReply) result.Replies++;
                break;
        }
    }
}
