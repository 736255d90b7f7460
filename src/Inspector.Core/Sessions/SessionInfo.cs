using System.Net;
using Inspector.Core.Model;

namespace Inspector.Core.Sessions;

/// <summary>One analysed TCP connection as the outputs name it.</summary>
/// <param name="Id">Session number, from 1, in the order sessions were recognised.</param>
/// <param name="Midstream">The capture started after the connection opened.</param>
/// <param name="Data">Set for an FTP data connection: its control session and how it was linked.</param>
public sealed record SessionInfo(long Id, IPEndPoint Client, IPEndPoint Server, Timestamp Start, bool Midstream, bool RolesInferred, DataLink? Data = null)
{
    public bool IsData => Data is not null;

    public ConnectionInfo Connection => new(Id, Client, Server, RolesInferred);
}

/// <summary>How a session ended up, for the session's header line.</summary>
/// <param name="Protocol">ftp, ftps-explicit, ftps-implicit, ftp-data or unknown.</param>
/// <param name="State">plaintext, tls or failed.</param>
/// <param name="Command">For a data connection: the transfer command it served (RETR, LIST, ...) when the control channel showed it.</param>
/// <param name="Argument">That command's argument (a path), when it had one.</param>
public sealed record SessionSummary(
    string Protocol,
    string State,
    Timestamp End,
    long ClientBytes,
    long ServerBytes,
    int Errors,
    int Warnings,
    int Infos,
    string? Command = null,
    string? Argument = null)
{
    /// <summary>ok, warnings or failed: the one word a list shows.</summary>
    public string Outcome => Errors > 0 ? "failed" : Warnings > 0 ? "warnings" : "ok";
}

/// <summary>Receives sessions and their outputs from any source (capture file, live capture, proxy).</summary>
public interface ISessionSink
{
    void SessionStarted(SessionInfo session);

    void Output(SessionInfo session, Analysis.AnalysisOutput output);

    void SessionEnded(SessionInfo session, SessionSummary summary);
}
