namespace Inspector.Capture.Packets;

/// <summary>What the packet decoder saw, for the end-of-run summary.</summary>
public sealed class CaptureStats
{
    public long Packets { get; set; }
    public long TcpSegments { get; set; }
    public long NotTcp { get; set; }
    public long Ipv4Fragments { get; set; }
    public long Ipv4Reassembled { get; set; }
    public long FragmentsDropped { get; set; }
    public long Ipv6Fragments { get; set; }
    public long TruncatedHeaders { get; set; }
    public long Malformed { get; set; }
    public long SnaplenCut { get; set; }
    public SortedSet<int> UnsupportedLinkTypes { get; } = [];
}
