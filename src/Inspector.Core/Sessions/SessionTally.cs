using Inspector.Core.Analysis;

namespace Inspector.Core.Sessions;

/// <summary>Counts sessions and findings (for the exit code and the closing summary) and passes everything on.</summary>
public sealed class SessionTally(ISessionSink next) : ISessionSink
{
    /// <summary>Control sessions (and connections not recognised as data connections).</summary>
    public int Sessions { get; private set; }

    /// <summary>Data connections linked to a control session.</summary>
    public int DataConnections { get; private set; }

    public int FailedSessions { get; private set; }
    public int Errors { get; private set; }
    public int Warnings { get; private set; }
    public int Infos { get; private set; }

    /// <summary>Only sessions this predicate accepts count (the --session filter).</summary>
    public Func<SessionInfo, bool> Counts { get; init; } = _ => true;

    public void SessionStarted(SessionInfo session) => next.SessionStarted(session);

    public void Output(SessionInfo session, AnalysisOutput output) => next.Output(session, output);

    public void SessionEnded(SessionInfo session, SessionSummary summary)
    {
        if (Counts(session))
        {
            if (session.IsData) DataConnections++;
            else Sessions++;
            if (summary.Errors > 0) FailedSessions++;
            Errors += summary.Errors;
            Warnings += summary.Warnings;
            Infos += summary.Infos;
        }
        next.SessionEnded(session, summary);
    }
}
