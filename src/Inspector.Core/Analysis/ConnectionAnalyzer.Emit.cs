using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Timeline;

namespace Inspector.Core.Analysis;

// Building outputs: bounded byte copies, catalogue severities, and the per-connection tallies.
public sealed partial class ConnectionAnalyzer
{
    private readonly int[] findingCounts = new int[3];
    private Dictionary<string, int>? findingsByName;

    /// <summary>At the end: one line per finding name that went past the per-session limit.</summary>
    private void ReportSuppressedFindings(Timestamp time)
    {
        if (findingsByName is null) return;
        foreach ((string name, int count) in findingsByName.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (count <= options.MaxFindingsPerName) continue;
            Event(time, null, 0, 0, Layer.Session, EventKinds.SessionMode,
                $"{count - options.MaxFindingsPerName} more {name} finding(s) in this session not shown (the first {options.MaxFindingsPerName} are)", null, default);
        }
    }

    /// <summary>Findings emitted so far, by severity.</summary>
    public int FindingCount(Severity severity) => findingCounts[(int)severity];

    /// <summary>Bytes seen from the client and from the server.</summary>
    public (long Client, long Server) ByteCounts => (client.Received, server.Received);

    /// <summary>Plaintext, TLS, or failed: what a sessions list shows.</summary>
    public string ProtocolState =>
        dataRole ? (dataTlsFailedReported || malformedTlsSeen || fatalAlertSeen ? "failed" : client.First == FirstBytes.Tls || server.First == FirstBytes.Tls ? "tls" : "plaintext")
        : desyncReported || fatalAlertSeen || malformedTlsSeen ? "failed"
        : client.Mode == DecodeMode.Tls || server.Mode == DecodeMode.Tls || tls13 || HandshakeComplete ? "tls"
        : "plaintext";

    /// <summary>What the control connection turned out to be: ftp, ftps-explicit, ftps-implicit or unknown.</summary>
    public string Protocol =>
        dataRole ? "ftp-data"
        : client.First == FirstBytes.Tls || server.First == FirstBytes.Tls ? "ftps-implicit"
        : authAccepted ? "ftps-explicit"
        : bannerSeen || client.First == FirstBytes.Ftp || server.First == FirstBytes.Ftp ? "ftp"
        : "unknown";

    /// <summary>The worst severity emitted, or null when there was no finding.</summary>
    public Severity? WorstSeverity =>
        findingCounts[2] > 0 ? Severity.Error : findingCounts[1] > 0 ? Severity.Warning : findingCounts[0] > 0 ? Severity.Info : null;

    private void Emit(AnalysisOutput output) => sink.Emit(output);

    private void Event(Timestamp time, Direction? direction, long offset, long length, Layer layer, string kind,
        string summary, DetailNode? detail, ReadOnlySpan<byte> bytes)
    {
        byte[] kept = bytes.Length > options.MaxEventBytes ? bytes[..options.MaxEventBytes].ToArray() : bytes.ToArray();
        Emit(new TimelineEvent(time, direction, offset, length, layer, kind, summary, detail, kept));
    }

    /// <summary>
    /// What a record, handshake message or reply keeps of its bytes: enough for its event's hex
    /// dump and for a finding's evidence, whichever is more.
    /// </summary>
    private int KeptBytes => Math.Max(options.MaxEventBytes, options.MaxEvidenceBytes);

    /// <summary>An event whose bytes were copied for it already (a record or handshake message, bounded by <see cref="AnalyzerOptions.MaxEventBytes"/>): kept as they are, not copied again.</summary>
    private void EventOwning(Timestamp time, Direction? direction, long offset, long length, Layer layer, string kind,
        string summary, DetailNode? detail, byte[] owned)
    {
        if (owned.Length > options.MaxEventBytes) owned = options.MaxEventBytes == 0 ? [] : owned[..options.MaxEventBytes];
        Emit(new TimelineEvent(time, direction, offset, length, layer, kind, summary, detail, owned));
    }

    private void Finding(string name, Side side, Timestamp time, Direction? direction, long offset,
        ReadOnlySpan<byte> evidence, string summary, string explanation, Severity? severity = null)
    {
        FindingDefinition def = FindingCatalog.Get(name);
        Severity sev = severity ?? def.Severity;
        findingsByName ??= new Dictionary<string, int>(StringComparer.Ordinal);
        int seen = findingsByName[name] = findingsByName.GetValueOrDefault(name) + 1;
        if (seen > options.MaxFindingsPerName) return;
        findingCounts[(int)sev]++;
        byte[] kept = evidence.Length > options.MaxEvidenceBytes ? evidence[..options.MaxEvidenceBytes].ToArray() : evidence.ToArray();
        Emit(new Finding(name, sev, side, time, direction, offset, kept, summary, explanation));
    }
}
