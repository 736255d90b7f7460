namespace Inspector.Core.Analysis;

/// <summary>
/// Every limit the analysis core applies. Hitting one is a finding, never unbounded growth.
/// </summary>
public sealed record AnalyzerOptions
{
    public static AnalyzerOptions Default { get; } = new();

    /// <summary>Show PASS arguments instead of redacting them (off by default).</summary>
    public bool ShowPasswords { get; init; }

    /// <summary>Longest control-channel line kept, terminator included (finding <c>ftp.line_too_long</c>).</summary>
    public int MaxLineLength { get; init; } = 4096;

    /// <summary>Most lines in one multi-line reply (finding <c>ftp.reply_too_long</c>).</summary>
    public int MaxReplyLines { get; init; } = 2000;

    /// <summary>Most commands waiting for replies (finding <c>ftp.pending_limit</c>).</summary>
    public int MaxPendingCommands { get; init; } = 64;

    /// <summary>Client bytes held while the reply to AUTH is awaited (pipelined ClientHello and commands).</summary>
    public int MaxHeldBytes { get; init; } = 64 * 1024;

    /// <summary>Largest TLS handshake message reassembled (certificate chains included).</summary>
    public int MaxHandshakeMessageLength { get; init; } = 256 * 1024;

    /// <summary>Silence after which a waiting protocol counts as stalled (finding <c>ftp.stalled</c>).</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Bytes kept on a timeline event for its hex dump. Only the terminal UI shows them: the
    /// text and JSON output never do, so the commands set 0 when they print, and a read of a
    /// control-heavy capture no longer copies up to 4 KB per event (issue #8). Findings keep
    /// their evidence (<see cref="MaxEvidenceBytes"/>) either way.
    /// </summary>
    public int MaxEventBytes { get; init; } = 4096;

    /// <summary>Bytes kept as a finding's evidence.</summary>
    public int MaxEvidenceBytes { get; init; } = 256;

    /// <summary>
    /// Findings of one name shown per session; later ones are counted and reported once at the
    /// end (a peer sending garbage would otherwise produce one finding per line, without bound).
    /// </summary>
    public int MaxFindingsPerName { get; init; } = 20;

    /// <summary>
    /// Lines in a row that are neither FTP commands (client) nor replies (server) after which a
    /// direction is taken to be something else and only counted (<c>ftp.not_ftp</c>): decoding
    /// line after line of another protocol, or of a hostile peer's noise, costs a core and tells
    /// nothing more than the first such lines did.
    /// </summary>
    public int MaxMalformedLinesInARow { get; init; } = 64;
}
