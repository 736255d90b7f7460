using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Timeline;

namespace Inspector.Core.Analysis;

// Building outputs: bounded byte copies, catalogue severities, and the per-connection tallies.
public sealed partial class ConnectionAnalyzer
{
    private readonly int[] findingCounts = new int[3];

    /// <summary>Findings emitted so far, by severity.</summary>
    public int FindingCount(Severity severity) => findingCounts[(int)severity];

    /// <summary>Bytes seen from the client and from the server.</summary>
    public (long Client, long Server) ByteCounts => (client.Received, server.Received);

    /// <summary>Plaintext, TLS, or failed: what a sessions list shows.</summary>
    public string ProtocolState =>
        desyncReported || fatalAlertSeen || malformedTlsSeen ? "failed"
        : client.Mode == DecodeMode.Tls || server.Mode == DecodeMode.Tls || tls13 || HandshakeComplete ? "tls"
        : "plaintext";

    private void Emit(AnalysisOutput output) => sink.Emit(output);

    private void Event(Timestamp time, Direction? direction, long offset, long length, Layer layer, string kind,
        string summary, DetailNode? detail, ReadOnlySpan<byte> bytes)
    {
        byte[] kept = bytes.Length > options.MaxEventBytes ? bytes[..options.MaxEventBytes].ToArray() : bytes.ToArray();
        Emit(new TimelineEvent(time, direction, offset, length, layer, kind, summary, detail, kept));
    }

    private void Finding(string name, Side side, Timestamp time, Direction? direction, long offset,
        ReadOnlySpan<byte> evidence, string summary, string explanation, Severity? severity = null)
    {
        FindingDefinition def = FindingCatalog.Get(name);
        Severity sev = severity ?? def.Severity;
        findingCounts[(int)sev]++;
        byte[] kept = evidence.Length > options.MaxEvidenceBytes ? evidence[..options.MaxEvidenceBytes].ToArray() : evidence.ToArray();
        Emit(new Finding(name, sev, side, time, direction, offset, kept, summary, explanation));
    }
}
