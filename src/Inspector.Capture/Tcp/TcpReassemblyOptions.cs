namespace Inspector.Capture.Tcp;

/// <summary>The reassembler's limits: each one bounds memory, and hitting it is reported.</summary>
public sealed record TcpReassemblyOptions
{
    public static TcpReassemblyOptions Default { get; } = new();

    /// <summary>Out-of-order bytes one direction may hold while waiting for a missing segment.</summary>
    public int MaxOutOfOrderBytes { get; init; } = 1024 * 1024;

    /// <summary>Recently delivered bytes kept per direction to compare retransmissions against.</summary>
    public int RetransmitHistoryBytes { get; init; } = 16 * 1024;

    /// <summary>Connections tracked at once; when a new one would exceed it, the longest idle hundredth is ended (as idle).</summary>
    public int MaxConnections { get; init; } = 100_000;

    /// <summary>Capture time without packets after which a connection is ended as idle.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a closed connection's tuple is remembered, so late ACKs do not open a new one.</summary>
    public TimeSpan ClosedLinger { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Closed tuples remembered at once (about 70 bytes each); past it the older half is
    /// forgotten early, so a flood of short connections cannot grow memory without end.
    /// </summary>
    public int MaxClosedTuples { get; init; } = 200_000;
}
