using System.Globalization;
using System.Net;
using Inspector.Core.Model;

namespace Inspector.Capture.Live;

/// <summary>
/// The default live filter: TCP on the FTP control ports, plus each data endpoint a control
/// session announced (PASV/EPSV/PORT/EPRT, RFC 959 §4.1.2 and RFC 2428), so the kernel passes
/// the data connections too without passing everything else. Announced endpoints are forgotten
/// after a while and the list is bounded, so the BPF program stays small.
/// </summary>
/// The announcement is analysed a little after it crossed the wire, so a data connection opened
/// within microseconds may lose its first packets; a server's passive port range given up front
/// (<paramref name="dataPortRanges"/>) is in the filter from the start.
public sealed class FtpCaptureFilter(IEnumerable<int> controlPorts, IEnumerable<(int Low, int High)>? dataPortRanges = null)
{
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(5);
    private const int MaxDataEndpoints = 64;

    private readonly int[] controlPorts = [.. controlPorts.Distinct().Order()];
    private readonly (int Low, int High)[] ranges = [.. dataPortRanges ?? []];
    private readonly List<(IPEndPoint Endpoint, Timestamp Seen)> data = [];

    /// <summary>Adds an announced data endpoint; true when the expression changed.</summary>
    public bool AddDataEndpoint(IPEndPoint endpoint, Timestamp now)
    {
        int existing = data.FindIndex(d => d.Endpoint.Equals(endpoint));
        if (existing >= 0)
        {
            data[existing] = (endpoint, now);
            return false;
        }
        data.Add((endpoint, now));
        if (data.Count > MaxDataEndpoints) data.RemoveAt(0);
        return true;
    }

    /// <summary>Forgets endpoints announced long ago; true when the expression changed.</summary>
    public bool Expire(Timestamp now) => data.RemoveAll(d => now - d.Seen > Keep) > 0;

    public string Expression
    {
        get
        {
            IEnumerable<string> clauses = controlPorts.Select(p => "port " + p.ToString(CultureInfo.InvariantCulture))
                .Concat(ranges.Select(r => $"portrange {r.Low.ToString(CultureInfo.InvariantCulture)}-{r.High.ToString(CultureInfo.InvariantCulture)}"))
                .Concat(data.Select(d => $"(host {d.Endpoint.Address} and port {d.Endpoint.Port.ToString(CultureInfo.InvariantCulture)})"));
            return "tcp and (" + string.Join(" or ", clauses) + ")";
        }
    }
}
