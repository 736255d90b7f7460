using SharpPcap;
using SharpPcap.LibPcap;

namespace Inspector.Capture.Live;

/// <summary>One interface libpcap can capture on.</summary>
public sealed record CaptureInterface(string Name, string? Description, IReadOnlyList<string> Addresses, bool Up, bool Loopback);

/// <summary>The interfaces libpcap lists (pcap_findalldevs), and the checks made before opening one.</summary>
public static class CaptureInterfaces
{
    public const string LibpcapPackage = "libpcap0.8";

    /// <summary>Lists interfaces; throws <see cref="LiveCaptureException"/> when libpcap cannot be loaded.</summary>
    public static IReadOnlyList<CaptureInterface> List()
    {
        try
        {
            return LibPcapLiveDeviceList.New()
                .Select(d => new CaptureInterface(
                    d.Name,
                    d.Description,
                    d.Addresses.Select(a => a.Addr?.ipAddress?.ToString()).OfType<string>().ToList(),
                    (d.Flags & 0x2) != 0,   // PCAP_IF_UP
                    (d.Flags & 0x1) != 0))  // PCAP_IF_LOOPBACK
                .ToList();
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException)
        {
            throw LibpcapMissing(e);
        }
    }

    /// <summary>The libpcap version string, or null when libpcap cannot be loaded.</summary>
    public static string? LibpcapVersion()
    {
        try
        {
            return Pcap.LibpcapVersion < new Version(1, 0) ? null : Pcap.Version;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException)
        {
            return null;
        }
    }

    /// <summary>Null when libpcap accepts the BPF expression, else libpcap's own message.</summary>
    public static string? CheckFilter(string filter)
    {
        try
        {
            return PcapDevice.CheckFilter(filter, out string? error) ? null : error ?? "invalid filter";
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException)
        {
            throw LibpcapMissing(e);
        }
    }

    internal static LiveCaptureException LibpcapMissing(Exception e) => new(LiveCaptureProblem.LibpcapMissing,
        $"libpcap could not be loaded ({e.GetBaseException().Message.Split('\n')[0]}); install it: apt-get install {LibpcapPackage} (Debian/Ubuntu) or dnf install libpcap (Fedora/RHEL)", e);
}
