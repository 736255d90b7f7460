using System.Net;

namespace Inspector.Proxy;

/// <summary>How the relay listens, where it connects, and its limits.</summary>
public sealed record ProxyOptions
{
    /// <summary>Where clients connect. Loopback unless the user names another address.</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 2121);

    /// <summary>The real server: a host name or address, and a port (unused when <see cref="Transparent"/>).</summary>
    public string UpstreamHost { get; init; } = "";

    public int UpstreamPort { get; init; }

    /// <summary>
    /// Each connection goes to its original destination (read with SO_ORIGINAL_DST after a
    /// netfilter REDIRECT/DNAT, or the local address under TPROXY) instead of one upstream.
    /// </summary>
    public bool Transparent { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A session with no bytes either way for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Sessions relayed at once; further clients are refused (closed at once) and reported.</summary>
    public int MaxSessions { get; init; } = 256;

    /// <summary>
    /// Read size of each direction's pump (a pooled buffer, held only while bytes flow). 128 KB
    /// took one stream from about 10 to 14 Gbit/s against 64 KB in the same benchmark run; 256 KB
    /// then cut the relay's CPU per GB forwarded from 0.39-0.40 to 0.26-0.35 s (3 alternating
    /// runs): each receive call has a fixed cost in the kernel (socket lock, window update), and
    /// half as many calls pay it half as often (issue #8). An idle session holds none of it.
    /// </summary>
    public int BufferSize { get; init; } = 256 * 1024;

    /// <summary>
    /// A session relayed by threads hands over to the asynchronous pumps once neither direction
    /// has had anything to read for this long: it is not in rapid exchange, and idle sessions must
    /// not hold threads (see <c>Relay.PumpBlocking</c>).
    /// </summary>
    public TimeSpan ThreadQuiet { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Data connections go directly between client and server (default), or through the relay.</summary>
    public DataMode Data { get; init; } = DataMode.Direct;

    /// <summary>Ports the relay's data listeners use (inclusive); null: ports from the system.</summary>
    public (int Low, int High)? DataPorts { get; init; }

    /// <summary>How long a data listener waits for its connection before it is closed and reported.</summary>
    public TimeSpan DataAcceptTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Data listeners one session may have open at once (a hostile peer cannot make thousands).</summary>
    public int MaxDataListeners { get; init; } = 16;

    /// <summary>Bytes one session may have waiting for analysis; beyond it, analysis skips (a gap), the relay never waits.</summary>
    public int AnalysisQueueBytes { get; init; } = 4 * 1024 * 1024;
}

/// <summary>How FTP data connections travel under the proxy.</summary>
public enum DataMode
{
    /// <summary>Announcements are left alone: data goes directly between client and server.</summary>
    Direct,

    /// <summary>Announcements are rewritten on a plaintext control channel so data runs through the relay.</summary>
    Relay,
}
