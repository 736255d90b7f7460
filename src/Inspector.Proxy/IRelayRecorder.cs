using Inspector.Core.Sessions;
using Inspector.Core.Streams;

namespace Inspector.Proxy;

/// <summary>
/// Sees every session's stream events in the order the analysis sees them (on the analysis
/// consumer, never on a relay pump), to keep them, e.g. as a capture file.
/// </summary>
public interface IRelayRecorder : IDisposable
{
    void Opened(SessionInfo session, RelayLegs legs, OpenEvent open);

    void Event(SessionInfo session, StreamEvent e);

    void Closed(SessionInfo session, Core.Model.Timestamp time);
}
