using Inspector.Core.Model;

namespace Inspector.Core.Analysis;

/// <summary>What a data connection carried.</summary>
public enum DataProtection : byte
{
    /// <summary>No byte crossed it.</summary>
    None,
    Plaintext,
    Tls,
}

/// <summary>
/// What the analysis of one data connection found, emitted when it ends, for the checks that need
/// its control session too (protection against PROT, session reuse, size against SIZE). The
/// tracker consumes it; writers do not show it.
/// </summary>
/// <param name="ClientPayload">Bytes of data from the FTP client: plaintext bytes, or the length of its TLS application-data records.</param>
/// <param name="FirstBytes">The first bytes of the connection, for evidence.</param>
/// <param name="ResumptionOffered">The ClientHello offered to resume a session (a session ID or ticket up to TLS 1.2, pre_shared_key in TLS 1.3).</param>
/// <param name="Resumed">The server accepted the resumption.</param>
/// <param name="ClientRecords">TLS application-data records from the client longer than a close_notify.</param>
/// <param name="ServerRecords">The same from the server (in TLS 1.3 these include its NewSessionTickets).</param>
public sealed record DataConnectionFacts(
    Timestamp Time,
    DataProtection Protection,
    long ClientPayload,
    long ServerPayload,
    byte[] FirstBytes,
    Direction FirstDirection,
    bool ResumptionOffered,
    bool Resumed,
    bool HandshakeComplete,
    bool Tls13,
    bool TlsFailed,
    int ClientRecords,
    int ServerRecords) : AnalysisOutput(Time)
{
    public override OutputType OutputType => OutputType.DataConnectionFacts;

    /// <summary>One side spoke TLS, the other plaintext.</summary>
    public bool Mixed { get; init; }

    /// <summary>When <see cref="Mixed"/>: the side that spoke TLS.</summary>
    public Side TlsSide { get; init; }
}
