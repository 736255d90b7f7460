namespace Inspector.Tui;

/// <summary>
/// Writes the packets of chosen sessions to a pcapng file for <c>s</c>/<c>S</c>. Each source
/// saves its own way (a capture file re-reads its packets; the proxy writes what it relayed).
/// Called off the UI thread.
/// </summary>
public interface ISessionSaver
{
    /// <returns>A one-line message for the status bar: what was written, or why not.</returns>
    string Save(IReadOnlyList<long> sessionIds, string path);
}
