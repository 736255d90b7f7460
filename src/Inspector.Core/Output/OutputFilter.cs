using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Sessions;

namespace Inspector.Core.Output;

/// <summary>What the user asked to see: --findings-only, --session ID, --min-severity.</summary>
public sealed record OutputFilter
{
    public static OutputFilter All { get; } = new();

    public bool FindingsOnly { get; init; }

    public long? SessionId { get; init; }

    /// <summary>Findings below this severity are not shown (timeline events still are, unless findings-only).</summary>
    public Severity MinSeverity { get; init; } = Severity.Info;

    /// <summary>The chosen session, and the data connections that belong to it.</summary>
    public bool Includes(SessionInfo session) => SessionId is null || SessionId == session.Id || session.Data?.ParentId == SessionId;

    public bool Includes(AnalysisOutput output) => output.OutputType switch
    {
        OutputType.Finding => ((Finding)output).Severity >= MinSeverity,
        // What the analysis hands to the data-connection tracker, not meant for people.
        OutputType.DataTransferReply or OutputType.DataConnectionFacts => false,
        _ => !FindingsOnly,
    };
}
