using System.Net;
using Inspector.Capture.Files;
using Inspector.Capture.Packets;
using Inspector.Core.Model;
using Inspector.Core.Sessions;
using Inspector.Tui;

namespace Inspector.Cli.Commands;

/// <summary>One TCP connection that belongs to a session: the session's own (read, live) or one leg of a relayed session (proxy).</summary>
/// <param name="ParentId">For a data connection, its control session: saving the control session saves it too.</param>
public sealed record SessionFlow(long SessionId, IPEndPoint A, IPEndPoint B, Timestamp Start, long? ParentId = null)
{
    /// <summary>A session seen on the wire directly (read, live): its own client-server connection.</summary>
    public static SessionFlow Of(SessionInfo s) => new(s.Id, s.Client, s.Server, s.Start, s.Data?.ParentId);
}

/// <summary>
/// Saves sessions as pcapng for the terminal UI's <c>s</c>: reads the capture file(s) again and
/// copies every packet of the chosen sessions' TCP connections, matched on address and port. When
/// a capture reuses a 4-tuple for a later connection, each packet goes to the latest session with
/// that tuple that had started by then. The files may still be growing (live capture, proxy
/// recording): a record cut off at the end is where reading stops.
/// </summary>
/// <remarks>IPv4 fragments are written only as the datagram they complete (the last fragment seen).</remarks>
public sealed class CaptureSessionSaver(Func<IReadOnlyList<string>> captureFiles, Func<IReadOnlyList<SessionFlow>> flows, Action? beforeReading = null) : ISessionSaver
{
    /// <summary>For a capture file: each session is its own connection.</summary>
    public CaptureSessionSaver(string capturePath, Func<IReadOnlyList<SessionInfo>> sessions)
        : this(() => [capturePath], () => [.. sessions().Select(SessionFlow.Of)])
    {
    }

    private const int SnapLength = 262_144;

    public string Save(IReadOnlyList<long> sessionIds, string path)
    {
        var wanted = new HashSet<long>(sessionIds);
        IReadOnlyList<SessionFlow> all = flows();
        // A control session comes with its data connections, as "inspector read --session N" shows them.
        foreach (SessionFlow s in all) if (s.ParentId is long parent && wanted.Contains(parent)) wanted.Add(s.SessionId);
        // Every session of each wanted tuple, by start, so a reused tuple's packets go to the right one.
        var byTuple = new Dictionary<FlowKey, List<SessionFlow>>();
        foreach (SessionFlow s in all)
        {
            FlowKey key = FlowKey.Of(Endpoint(s.A), Endpoint(s.B));
            if (!byTuple.TryGetValue(key, out List<SessionFlow>? list)) byTuple[key] = list = [];
            list.Add(s);
        }
        foreach (List<SessionFlow> list in byTuple.Values) list.Sort((a, b) => a.Start.CompareTo(b.Start));
        byTuple = byTuple.Where(kv => kv.Value.Any(s => wanted.Contains(s.SessionId))).ToDictionary();
        if (byTuple.Count == 0) return "nothing to save: no such session";

        int written = 0;
        string temporary = path + ".part";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new PcapngWriter(file, "inspector (terminal UI save)"))
        {
            beforeReading?.Invoke();
            var decoder = new FrameDecoder(new CaptureStats());
            var interfaces = new Dictionary<int, int>();
            IReadOnlyList<string> files = captureFiles();
            foreach (string capturePath in files)
            {
                using ICaptureReader reader = CaptureFileReader.Open(capturePath);
                try
                {
                    while (reader.TryRead(out CapturedPacket packet))
                    {
                        if (decoder.Decode(packet, out TcpSegment segment) != FrameKind.Tcp) continue;
                        if (!byTuple.TryGetValue(FlowKey.Of(segment.Source, segment.Destination), out List<SessionFlow>? candidates)) continue;
                        if (!wanted.Contains(Owner(candidates, packet).SessionId)) continue;
                        if (!interfaces.TryGetValue(packet.LinkType, out int interfaceId))
                        {
                            interfaceId = writer.AddInterface(packet.LinkType, SnapLength);
                            interfaces[packet.LinkType] = interfaceId;
                        }
                        writer.WritePacket(interfaceId, packet.Time, packet.Data.Span, packet.OriginalLength);
                        written++;
                    }
                }
                catch (CaptureFormatException) when (capturePath == files[^1])
                {
                    // The file being written ends mid-record: everything before it is saved.
                }
            }
        }
        File.Move(temporary, path, overwrite: true);
        return $"saved {written} packet(s) of {wanted.Count} session(s) to {path}";
    }

    /// <summary>The latest session of the tuple that had started by the packet's time (the first one for earlier packets).</summary>
    private static SessionFlow Owner(List<SessionFlow> candidates, in CapturedPacket packet)
    {
        SessionFlow owner = candidates[0];
        foreach (SessionFlow s in candidates)
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
