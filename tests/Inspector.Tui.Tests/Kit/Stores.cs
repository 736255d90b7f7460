using System.Net;
using System.Text;
using Inspector.Capture.Files;
using Inspector.Capture.Pipeline;
using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Sessions;
using Inspector.Core.Streams;
using Inspector.Core.Timeline;

namespace Inspector.Tui.Tests.Kit;

/// <summary>Session stores filled the ways the application fills them: from a capture, or by hand for model tests.</summary>
internal static class Stores
{
    /// <summary>A capture file read through the real pipeline into a store, as <c>inspector read --tui</c> does.</summary>
    public static SessionStore FromCapture(string name, AnalyzerOptions? analyzer = null)
    {
        var store = new SessionStore();
        var analysis = new CaptureAnalysis(store, new CaptureAnalysisOptions { Analyzer = analyzer ?? AnalyzerOptions.Default });
        using (ICaptureReader reader = CaptureFileReader.Open(TestEnvironment.Capture(name)))
        {
            analysis.Read(reader);
        }
        analysis.Complete();
        return store;
    }

    /// <summary>Stream events for one connection through the real analyzer into a store.</summary>
    public static void Analyze(SessionStore store, SessionInfo session, params StreamEvent[] events) =>
        Analyze(store, session, AnalyzerOptions.Default, events);

    public static void Analyze(SessionStore store, SessionInfo session, AnalyzerOptions options, params StreamEvent[] events)
    {
        var analyzer = new SessionAnalyzer(session, store, options);
        foreach (StreamEvent e in events) analyzer.Feed(e);
        analyzer.Finish(events.Length > 0 ? events[^1].Time : session.Start, EndKind.EndOfCapture);
    }

    public static SessionInfo Session(long id, int clientPort = 40000, string client = "10.0.0.1", string server = "10.0.0.2", int serverPort = 21) =>
        new(id, new IPEndPoint(IPAddress.Parse(client), clientPort + (int)id), new IPEndPoint(IPAddress.Parse(server), serverPort), T(id * 1000), false, false);

    public static Timestamp T(long millis) => Timestamp.FromUnixSeconds(1_700_000_000).Add(TimeSpan.FromMilliseconds(millis));

    public static DataEvent Data(Direction d, long offset, long millis, string text) => new(d, offset, T(millis), Encoding.Latin1.GetBytes(text));

    public static TimelineEvent Event(long millis, string summary, Direction? d = Direction.ClientToServer, long offset = 0, string bytes = "") =>
        new(T(millis), d, offset, bytes.Length, Layer.Ftp, EventKinds.FtpCommand, summary, null, Encoding.Latin1.GetBytes(bytes));

    public static Finding Finding(long millis, string name, Severity severity, Direction? d = Direction.ServerToClient, long offset = 0, string evidence = "x") =>
        new(name, severity, Side.Server, T(millis), d, offset, Encoding.Latin1.GetBytes(evidence), $"{name} happened", $"Explanation of {name}.");
}
