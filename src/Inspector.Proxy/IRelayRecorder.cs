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

    /// <param name="forwarded">
    /// Null when both legs carried the event's bytes. Otherwise the relay changed them (a rewritten
    /// control line, or line bytes it held for a later read): the sender's leg carried the event's
    /// bytes and the receiving leg these (for a gap: this many bytes).
    /// </param>
    void Event(SessionInfo session, StreamEvent e, ForwardedBytes? forwarded = null);

    void Closed(SessionInfo session, Core.Model.Timestamp time);
}

/// <summary>What the receiving leg carried where it differs from what the sender sent: the bytes (for data), the length (for a gap).</summary>
public sealed record ForwardedBytes(ReadOnlyMemory<byte> Bytes, long Length);
