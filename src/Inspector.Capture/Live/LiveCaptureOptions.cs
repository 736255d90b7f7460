namespace Inspector.Capture.Live;

/// <summary>How to open an interface for live capture.</summary>
public sealed record LiveCaptureOptions
{
    public required string Interface { get; init; }

    /// <summary>BPF expression (libpcap syntax), applied in the kernel.</summary>
    public required string Filter { get; init; }

    public bool Promiscuous { get; init; }

    /// <summary>tcpdump's default snap length: large enough for a whole TSO/GRO segment on loopback.</summary>
    public const int DefaultSnapLength = 262_144;

    /// <summary>Bytes kept per packet.</summary>
    public int SnapLength { get; init; } = DefaultSnapLength;

    /// <summary>libpcap's kernel buffer; a larger one drops less under bursts.</summary>
    public int BufferBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>How long a read waits for a packet before the loop checks for idle connections and Ctrl-C.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);
}
