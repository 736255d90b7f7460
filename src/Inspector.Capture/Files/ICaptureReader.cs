namespace Inspector.Capture.Files;

/// <summary>A source of packet records, read one at a time (files stream in constant memory).</summary>
public interface ICaptureReader : IDisposable
{
    /// <summary>"pcap (microseconds)", "pcap (nanoseconds)", "pcapng", ...</summary>
    string Format { get; }

    /// <summary>
    /// Reads the next packet. Returns false at a clean end. Throws <see cref="CaptureFormatException"/>
    /// when the file is cut off or corrupt (after every good packet before that point was returned).
    /// </summary>
    bool TryRead(out CapturedPacket packet);
}
