using Inspector.Core.Analysis;
using Inspector.Core.Model;

namespace Inspector.Core.Findings;

/// <summary>
/// Something went out of step, or is worth knowing. <see cref="Name"/> is part of the public
/// contract (see <see cref="FindingCatalog"/>): scripts match on it, so it never changes.
/// </summary>
/// <param name="Direction">The stream the evidence came from, when there is one.</param>
/// <param name="Offset">Stream offset of the first evidence byte in <paramref name="Direction"/>.</param>
/// <param name="Evidence">The bytes that show it (a copy, bounded, passwords already redacted).</param>
/// <param name="Summary">One line: what happened.</param>
/// <param name="Explanation">What it means, what each peer will report, the likely cause, what to do.</param>
public sealed record Finding(
    string Name,
    Severity Severity,
    Side Side,
    Timestamp Time,
    Direction? Direction,
    long Offset,
    ReadOnlyMemory<byte> Evidence,
    string Summary,
    string Explanation) : AnalysisOutput(Time)
{
    public override OutputType OutputType => OutputType.Finding;
}
