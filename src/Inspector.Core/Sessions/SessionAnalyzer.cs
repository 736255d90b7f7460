using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Streams;

namespace Inspector.Core.Sessions;

/// <summary>
/// Ties one connection analyzer to a session sink: outputs go out tagged with the session, and
/// the end produces the session's summary. Every source (file, live, proxy) uses this.
/// </summary>
public sealed class SessionAnalyzer : IAnalysisSink
{
    private readonly ISessionSink sink;
    private readonly ConnectionAnalyzer analyzer;
    private bool ended;

    public SessionAnalyzer(SessionInfo session, ISessionSink sink, AnalyzerOptions options)
    {
        Session = session;
        this.sink = sink;
        analyzer = new ConnectionAnalyzer(session.Connection, this, options, dataConnection: session.IsData);
        sink.SessionStarted(session);
    }

    public SessionInfo Session { get; }

    public bool Ended => ended;

    public void Feed(StreamEvent e)
    {
        if (ended) return;
        analyzer.Feed(e);
        if (analyzer.IsFinished) End(e.Time);
    }

    /// <summary>In-order bytes: the same as feeding a <see cref="DataEvent"/>, without one.</summary>
    public void FeedData(Direction direction, long offset, Timestamp time, ReadOnlySpan<byte> bytes)
    {
        if (ended) return;
        analyzer.OnData(direction, offset, time, bytes);
        if (analyzer.IsFinished) End(time);
    }

    /// <summary>True when this direction's bytes are only counted from here on (see <see cref="ConnectionAnalyzer.OnlyCounts"/>).</summary>
    public bool OnlyCounts(Direction direction) => !ended && analyzer.OnlyCounts(direction);

    /// <summary>Bytes of a direction that <see cref="OnlyCounts"/>, by length.</summary>
    public void FeedCounted(Direction direction, long offset, long length, Timestamp time)
    {
        if (ended) return;
        analyzer.OnCounted(direction, offset, length, time);
        if (analyzer.IsFinished) End(time);
    }

    public void Tick(Timestamp now) => analyzer.OnTick(now);

    /// <summary>Ends the session (idempotent): flushes the analyzer and reports the summary.</summary>
    public void Finish(Timestamp time, EndKind kind)
    {
        if (ended) return;
        analyzer.Finish(time, kind);
        End(time);
    }

    void IAnalysisSink.Emit(AnalysisOutput output) => sink.Output(Session, output);

    private void End(Timestamp time)
    {
        if (ended) return;
        ended = true;
        (long c, long s) = analyzer.ByteCounts;
        sink.SessionEnded(Session, new SessionSummary(
            analyzer.Protocol, analyzer.ProtocolState, time, c, s,
            analyzer.FindingCount(Severity.Error), analyzer.FindingCount(Severity.Warning), analyzer.FindingCount(Severity.Info)));
    }
}
