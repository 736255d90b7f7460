using System.Globalization;
using Inspector.Capture.Live;
using Inspector.Capture.Packets;
using Inspector.Capture.Pipeline;
using Inspector.Core.Output;
using Inspector.Core.Sessions;

namespace Inspector.Cli.Commands;

/// <summary>The closing lines of a run: what was read and what was found.</summary>
internal static class RunSummary
{
    public static void Write(TextWriter stdout, bool json, string path, string format, CaptureAnalysis analysis, SessionTally tally, string? failure, LiveCaptureStats? live = null)
    {
        CaptureStats s = analysis.Stats;
        if (json)
        {
            stdout.WriteLine(JsonSessionWriter.Line(w =>
            {
                w.WriteString("type", "summary");
                w.WriteString("file", path);
                w.WriteString("format", format);
                w.WriteNumber("packets", s.Packets);
                w.WriteNumber("tcp_segments", s.TcpSegments);
                w.WriteNumber("sessions", tally.Sessions);
                w.WriteNumber("data_connections", tally.DataConnections);
                w.WriteNumber("failed_sessions", tally.FailedSessions);
                w.WriteNumber("errors", tally.Errors);
                w.WriteNumber("warnings", tally.Warnings);
                w.WriteNumber("infos", tally.Infos);
                w.WriteNumber("ignored_connections", analysis.IgnoredConnections);
                if (live is LiveCaptureStats l)
                {
                    w.WriteNumber("libpcap_received", l.Received);
                    w.WriteNumber("libpcap_dropped", l.Dropped);
                    w.WriteNumber("interface_dropped", l.InterfaceDropped);
                }
                if (failure is not null) w.WriteString("input_error", failure);
            }));
            return;
        }
        string I(long n) => n.ToString(CultureInfo.InvariantCulture);
        stdout.WriteLine($"{path} ({format}): {I(s.Packets)} packets, {I(tally.Sessions)} FTP session(s), "
            + $"{I(tally.FailedSessions)} with errors, {I(tally.DataConnections)} data connection(s); {I(tally.Errors)} error(s), {I(tally.Warnings)} warning(s), {I(tally.Infos)} note(s).");
        var notes = new List<string>();
        if (live is LiveCaptureStats d && (d.Dropped > 0 || d.InterfaceDropped > 0))
            notes.Add($"libpcap dropped {I(d.Dropped)} packet(s) and the interface {I(d.InterfaceDropped)} (streams they cut show as tcp.gap)");
        if (analysis.IgnoredConnections > 0) notes.Add($"{I(analysis.IgnoredConnections)} TCP connection(s) not recognised as FTP (add --port to force)");
        if (s.NotTcp > 0) notes.Add($"{I(s.NotTcp)} non-TCP packet(s)");
        if (s.TruncatedHeaders > 0) notes.Add($"{I(s.TruncatedHeaders)} packet(s) cut before the end of their TCP header");
        if (s.Malformed > 0) notes.Add($"{I(s.Malformed)} malformed packet(s)");
        if (s.SnaplenCut > 0) notes.Add($"{I(s.SnaplenCut)} packet(s) cut by the snap length");
        if (s.Ipv4Reassembled > 0) notes.Add($"{I(s.Ipv4Reassembled)} IPv4 datagram(s) reassembled from fragments");
        if (s.FragmentsDropped > 0) notes.Add($"{I(s.FragmentsDropped)} IPv4 fragment(s) never completed");
        if (s.Ipv6Fragments > 0) notes.Add($"{I(s.Ipv6Fragments)} IPv6 fragment(s) not reassembled");
        if (s.UnsupportedLinkTypes.Count > 0) notes.Add($"packets of unsupported link type(s) {string.Join(", ", s.UnsupportedLinkTypes)} skipped");
        if (notes.Count > 0) stdout.WriteLine("  " + string.Join("; ", notes) + ".");
    }
}
