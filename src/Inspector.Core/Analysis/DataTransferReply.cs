using Inspector.Core.Model;

namespace Inspector.Core.Analysis;

/// <summary>
/// The server answered a transfer command (LIST, NLST, MLSD, RETR, STOR, STOU, APPE): a
/// preliminary 1xx says the data connection is in use (RFC 959 §4.2), a final reply says how the
/// transfer ended. The data-connection tracker pairs these with data connections; writers do
/// not show them (the reply itself is already on the timeline).
/// </summary>
/// <param name="AnnouncedSize">The file size the server announced for a RETR: "(N bytes)" in the 150 reply, or the 213 reply to SIZE for the same path.</param>
/// <param name="TransferType">The representation type in force (RFC 959 §3.1.1): 'A' (ASCII, the default) or 'I' (binary).</param>
public sealed record DataTransferReply(
    Timestamp Time,
    string Verb,
    string? Argument,
    int Code,
    string Text,
    long? AnnouncedSize,
    char TransferType) : AnalysisOutput(Time)
{
    public override OutputType OutputType => OutputType.DataTransferReply;

    public bool Preliminary => Code is >= 100 and < 200;

    public bool Succeeded => Code is >= 200 and < 300;

    /// <summary>The commands that use a data connection (RFC 959 §4.1.3).</summary>
    public static bool IsTransferVerb(string verb) => verb is "LIST" or "NLST" or "MLSD" or "RETR" or "STOR" or "STOU" or "APPE";
}
