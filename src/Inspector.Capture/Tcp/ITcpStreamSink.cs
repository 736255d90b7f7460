using Inspector.Core.Model;
using Inspector.Core.Streams;

namespace Inspector.Capture.Tcp;

/// <summary>Receives what the reassembler makes of the packets, connection by connection.</summary>
public interface ITcpStreamSink
{
    /// <summary>A new connection (its first event, an <see cref="OpenEvent"/>, follows through <see cref="OnEvent"/>).</summary>
    void OnConnection(TcpConnection connection);

    /// <summary>An in-order stream event. Data memory is only valid during the call: copy what you keep.</summary>
    void OnEvent(TcpConnection connection, StreamEvent e);

    /// <summary>The connection is over (RST, both FINs, idle, evicted, or end of capture).</summary>
    void OnClosed(TcpConnection connection, Timestamp time, EndKind kind);
}
