using System.Net;
using Inspector.Capture.Files;
using Inspector.Capture.Packets;
using Inspector.Core.Sessions;
using Inspector.Tui;

namespace Inspector.Cli.Commands;

/// <summary>
/// Saves sessions of a capture file as pcapng for the terminal UI's <c>s</c>: reads the file
/// again and copies every packet of the chosen sessions' TCP connections, matched on the
/// client and server address and port. When a capture reuses a 4-tuple for a later
/// connection, each packet goes to the latest session with that tuple that had started by then.
/// </summary>
/// <remarks>IPv4 fragments are written only as the datagram they complete (the last fragment seen).</remarks>
public sealed class CaptureSessionSaver(string capturePath, Func<IReadOnlyList<SessionInfo>> sessions) : ISessionSaver
{
    private const int SnapLength = 262_144;

    public string Save(IReadOnlyList<long> sessionIds, string path)
    {
        var wanted = new HashSet<long>(sessionIds);
        // Every session of each wanted tuple, by start, so a reused tuple's packets go to the right one.
        var byTuple = new Dictionary<FlowKey, List<SessionInfo>>();
        foreach (SessionInfo s in sessions())
        {
            FlowKey key = FlowKey.Of(Endpoint(s.Client), Endpoint(s.Server));
            if (!byTuple.TryGetValue(key, out List<SessionInfo>? list)) byTuple[key] = list = [];
            list.Add(s);
        }
        foreach (List<SessionInfo> list in byTuple.Values) list.Sort((a, b) => a.Start.CompareTo(b.Start));
        byTuple = byTuple.Where(kv => kv.Value.Any(s => wanted.Contains(s.Id))).ToDictionary();
        if (byTuple.Count == 0) return "nothing to save: no such session";

        int written = 0;
        string temporary = path + ".part";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new PcapngWriter(file, "inspector (terminal UI save)"))
        using (ICaptureReader reader = CaptureFileReader.Open(capturePath))
        {
            var decoder = new FrameDecoder(new CaptureStats());
            var interfaces = new Dictionary<int, int>();
            while (reader.TryRead(out CapturedPacket packet))
            {
                if (decoder.Decode(packet, out TcpSegment segment) != FrameKind.Tcp) continue;
                if (!byTuple.TryGetValue(FlowKey.Of(segment.Source, segment.Destination), out List<SessionInfo>? candidates)) continue;
                if (!wanted.Contains(Owner(candidates, packet).Id)) continue;
                if (!interfaces.TryGetValue(packet.LinkType, out int interfaceId))
                {
                    interfaceId = writer.AddInterface(packet.LinkType, SnapLength);
                    interfaces[packet.LinkType] = interfaceId;
                }
                writer.WritePacket(interfaceId, packet.Time, packet.Data.Span, packet.OriginalLength);
                written++;
            }
        }
        File.Move(temporary, path, overwrite: true);
        return $"saved {written} packet(s) of {wanted.Count} session(s) to {path}";
    }

    /// <summary>The latest session of the tuple that had started by the packet's time (the first one for earlier packets).</summary>
    private static SessionInfo Owner(List<SessionInfo> candidates, in CapturedPacket packet)
    {
        SessionInfo owner = candidates[0];
        foreach (SessionInfo s in candidates)
        {
            if (s.Start <= packet.Time) owner = s;
        }
        return owner;
    }

    private static FlowEndpoint Endpoint(IPEndPoint ep)
    {
        byte[] address = ep.Address.GetAddressBytes();
        return address.Length == 4
            ? FlowEndpoint.FromIPv4(address, (ushort)ep.Port)
            : FlowEndpoint.FromIPv6(address, (ushort)ep.Port);
    }
}
