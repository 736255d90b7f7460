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

    /// <summary>
    /// In-order bytes, the event of nearly every packet, handed on without an event object (a
    /// control-heavy 100 MB capture delivers 800,000). The memory is only valid during the call.
    /// A sink that does not care for the difference gets a <see cref="DataEvent"/> through <see cref="OnEvent"/>.
    /// </summary>
    void OnData(TcpConnection connection, Direction direction, long offset, Timestamp time, ReadOnlyMemory<byte> bytes) =>
        OnEvent(connection, new DataEvent(direction, offset, time, bytes));

    /// <summary>The connection is over (RST, both FINs, idle, evicted, or end of capture).</summary>
    void OnClosed(TcpConnection connection, Timestamp time, EndKind kind);
}
