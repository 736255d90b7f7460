using Inspector.Core.Model;
using SharpPcap;
using SharpPcap.LibPcap;

namespace Inspector.Capture.Live;

/// <summary>libpcap's counters for a live capture (pcap_stats).</summary>
public readonly record struct LiveCaptureStats(long Received, long Dropped, long InterfaceDropped);

/// <summary>
/// One interface open for capture through SharpPcap. <see cref="Run"/> reads packets on the
/// calling thread and hands each to the caller; between packets (every poll interval) it calls
/// the idle callback so the caller can expire quiet connections and notice drops. The filter
/// may be replaced while capturing (data ports announced by PASV/PORT).
/// </summary>
public sealed class LiveCapture : IDisposable
{
    private readonly LibPcapLiveDevice device;
    private readonly LiveCaptureOptions options;

    private LiveCapture(LibPcapLiveDevice device, LiveCaptureOptions options)
    {
        this.device = device;
        this.options = options;
    }

    /// <summary>The LINKTYPE_ of the interface (1 Ethernet for Linux lo and eth, 276 SLL2 for "any").</summary>
    public int LinkType => (int)device.LinkType;

    public string Interface => device.Name;

    public string Filter { get; private set; } = "";

    /// <summary>Opens the interface and applies the filter; throws <see cref="LiveCaptureException"/> with the reason.</summary>
    public static LiveCapture Open(LiveCaptureOptions options)
    {
        if (CaptureInterfaces.CheckFilter(options.Filter) is string filterError)
            throw new LiveCaptureException(LiveCaptureProblem.BadFilter, $"the capture filter \"{options.Filter}\" is not valid BPF: {filterError}");
        LibPcapLiveDevice? device;
        try
        {
            device = LibPcapLiveDeviceList.New().FirstOrDefault(d => d.Name == options.Interface);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException)
        {
            throw CaptureInterfaces.LibpcapMissing(e);
        }
        if (device is null)
        {
            string known = string.Join(", ", CaptureInterfaces.List().Select(i => i.Name));
            throw new LiveCaptureException(LiveCaptureProblem.UnknownInterface,
                $"there is no interface \"{options.Interface}\" to capture on; libpcap lists: {known} (see inspector live --list)");
        }
        try
        {
            device.Open(new DeviceConfiguration
            {
                Mode = options.Promiscuous ? DeviceModes.Promiscuous : DeviceModes.None,
                Snaplen = options.SnapLength,
                ReadTimeout = (int)options.PollInterval.TotalMilliseconds,
                Immediate = true,
                BufferSize = options.BufferBytes,
                TimestampResolution = TimestampResolution.Nanosecond,
            });
        }
        catch (PcapException e)
        {
            device.Dispose();
            throw OpenFailure(options.Interface, e);
        }
        var capture = new LiveCapture(device, options);
        capture.SetFilter(options.Filter);
        return capture;
    }

    /// <summary>Replaces the kernel filter (libpcap allows this on an open handle).</summary>
    public void SetFilter(string filter)
    {
        try
        {
            device.Filter = filter;
            Filter = filter;
        }
        catch (PcapException e)
        {
            throw new LiveCaptureException(LiveCaptureProblem.BadFilter, $"the capture filter \"{filter}\" is not valid BPF: {e.Message}", e);
        }
    }

    public LiveCaptureStats Stats()
    {
        ICaptureStatistics? s = device.Statistics;
        return s is null ? default : new LiveCaptureStats(s.ReceivedPackets, s.DroppedPackets, s.InterfaceDroppedPackets);
    }

    /// <summary>
    /// Captures until <paramref name="stop"/> fires. <paramref name="packet"/> gets each packet (its
    /// data valid only during the call); <paramref name="idle"/> runs when a read times out.
    /// </summary>
    public void Run(PacketHandler packet, Action idle, CancellationToken stop)
    {
        long count = 0;
        while (!stop.IsCancellationRequested)
        {
            GetPacketStatus status = device.GetNextPacket(out PacketCapture capture);
            switch (status)
            {
                case GetPacketStatus.PacketRead:
                    ICaptureHeader header = capture.Header;
                    var time = new Timestamp((long)(header.Timeval.Value * 1_000_000_000m));
                    int wire = header is PcapHeader pcap ? (int)pcap.PacketLength : capture.Data.Length;
                    packet(LinkType, time, capture.Data, wire);
                    // Even a busy link gets its idle sweep now and then.
                    if (++count % 4096 == 0) idle();
                    break;
                case GetPacketStatus.ReadTimeout:
                    idle();
                    break;
                case GetPacketStatus.Error:
                    throw new LiveCaptureException(LiveCaptureProblem.Failed, $"capture on {device.Name} failed: {device.LastError}");
                default:
                    return; // NoRemainingPackets: the interface went away
            }
        }
    }

    public delegate void PacketHandler(int linkType, Timestamp time, ReadOnlySpan<byte> data, int originalLength);

    private static LiveCaptureException OpenFailure(string name, PcapException e)
    {
        string text = e.Message;
        if (text.Contains("PermissionDenied", StringComparison.OrdinalIgnoreCase) || text.Contains("permission", StringComparison.OrdinalIgnoreCase)
            || text.Contains("not permitted", StringComparison.OrdinalIgnoreCase))
        {
            return new LiveCaptureException(LiveCaptureProblem.PermissionDenied,
                $"no permission to capture on {name}: run as root (sudo), or give the program the capabilities CAP_NET_RAW and CAP_NET_ADMIN "
                + "(e.g. sudo setcap cap_net_raw,cap_net_admin+eip on the inspector executable)", e);
        }
        if (text.Contains("NoSuchDevice", StringComparison.OrdinalIgnoreCase) || text.Contains("No such device", StringComparison.OrdinalIgnoreCase))
            return new LiveCaptureException(LiveCaptureProblem.UnknownInterface, $"the interface {name} cannot be opened: {text}", e);
        return new LiveCaptureException(LiveCaptureProblem.Failed, $"cannot capture on {name}: {text}", e);
    }

    public void Dispose()
    {
        try
        {
            device.Close();
        }
        catch (PcapException)
        {
        }
        device.Dispose();
    }
}
