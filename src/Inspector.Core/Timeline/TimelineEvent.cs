using Inspector.Core.Analysis;
using Inspector.Core.Model;

namespace Inspector.Core.Timeline;

/// <summary>The protocol layer a timeline event belongs to.</summary>
public enum Layer : byte
{
    Tcp,
    Ftp,
    Tls,
    /// <summary>Inferences about the session as a whole (mode switches, implicit FTPS).</summary>
    Session,
}

public static class LayerNames
{
    /// <summary>The layer's name in JSON ("tcp", "ftp", "tls", "session"); a public contract.</summary>
    public static string WireName(this Layer layer) => layer switch
    {
        Layer.Tcp => "tcp",
        Layer.Ftp => "ftp",
        Layer.Tls => "tls",
        Layer.Session => "session",
        _ => layer.ToString().ToLowerInvariant(),
    };
}

/// <summary>
/// One row of a session's timeline: an FTP command or reply, a TLS record or handshake message,
/// a TCP open, half-close, reset or gap, or a mode switch.
/// </summary>
/// <param name="Kind">Stable machine name, e.g. <c>ftp.command</c>, <c>tls.client_hello</c> (see <see cref="EventKinds"/>).</param>
/// <param name="Offset">Stream offset of the first byte in <paramref name="Direction"/> (0 when there are no bytes).</param>
/// <param name="Length">How many stream bytes the event covers.</param>
/// <param name="Summary">One line for a list view; may hold peer text, so sinks escape it.</param>
/// <param name="Detail">Decoded fields, for the detail view and JSON; null when the summary says it all.</param>
/// <param name="Bytes">The event's bytes (bounded; passwords redacted) for a hex dump.</param>
public sealed record TimelineEvent(
    Timestamp Time,
    Direction? Direction,
    long Offset,
    long Length,
    Layer Layer,
    string Kind,
    string Summary,
    DetailNode? Detail,
    ReadOnlyMemory<byte> Bytes) : AnalysisOutput(Time)
{
    public override OutputType OutputType => OutputType.Event;
}

/// <summary>The stable timeline event kinds.</summary>
public static class EventKinds
{
    public const string TcpOpen = "tcp.open";
    public const string TcpFin = "tcp.fin";
    public const string TcpReset = "tcp.reset";
    public const string TcpGap = "tcp.gap";
    public const string TcpEnd = "tcp.end";
    public const string FtpCommand = "ftp.command";
    public const string FtpReply = "ftp.reply";
    public const string FtpPartialLine = "ftp.partial_line";
    public const string SessionMode = "session.mode";
    public const string TlsRecord = "tls.record";
    public const string TlsHandshake = "tls.handshake";
    public const string TlsClientHello = "tls.client_hello";
    public const string TlsServerHello = "tls.server_hello";
    public const string TlsCertificate = "tls.certificate";
    public const string TlsAlert = "tls.alert";
    public const string TlsChangeCipherSpec = "tls.change_cipher_spec";
    public const string TlsApplicationData = "tls.application_data";
    public const string TlsOpaque = "tls.opaque";
    public const string DataBytes = "data.bytes";
}
