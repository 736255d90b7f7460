using System.Net;

namespace Inspector.Proxy;

/// <summary>How the relay listens, where it connects, and its limits.</summary>
public sealed record ProxyOptions
{
    /// <summary>Where clients connect. Loopback unless the user names another address.</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 2121);

    /// <summary>The real server: a host name or address, and a port.</summary>
    public required string UpstreamHost { get; init; }

    public required int UpstreamPort { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A session with no bytes either way for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Sessions relayed at once; further clients are refused (closed at once) and reported.</summary>
    public int MaxSessions { get; init; } = 256;

    /// <summary>Read size of each direction's pump (one pooled buffer per direction).</summary>
    public int BufferSize { get; init; } = 64 * 1024;

    /// <summary>Bytes one session may have waiting for analysis; beyond it, analysis skips (a gap), the relay never waits.</summary>
    public int AnalysisQueueBytes { get; init; } = 4 * 1024 * 1024;
}
