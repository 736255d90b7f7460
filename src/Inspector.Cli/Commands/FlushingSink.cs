using Inspector.Core.Analysis;
using Inspector.Core.Sessions;

namespace Inspector.Cli.Commands;

/// <summary>Flushes after every session event so live output (proxy, live capture) appears as it happens.</summary>
internal sealed class FlushingSink(ISessionSink inner, TextWriter output) : ISessionSink
{
    public void SessionStarted(SessionInfo session)
    {
        inner.SessionStarted(session);
        output.Flush();
    }

    public void Output(SessionInfo session, AnalysisOutput o)
    {
        inner.Output(session, o);
        output.Flush();
    }

    public void SessionEnded(SessionInfo session, SessionSummary summary)
    {
        inner.SessionEnded(session, summary);
        output.Flush();
    }
}
