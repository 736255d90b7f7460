using System.Globalization;
using System.Text;
using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Sessions;
using Inspector.Core.Timeline;

namespace Inspector.Core.Output;

/// <summary>
/// Plain text: one block per session (header with client, server, start, protocol, outcome;
/// then its timeline with findings set apart). With <c>grouped</c> each block is written when
/// its session ends, so sessions never interleave (capture files); without it, lines are
/// written as they happen (live). Colour only when asked (a terminal); all peer text escaped.
/// </summary>
public sealed class TextSessionWriter(TextWriter writer, OutputFilter filter, bool color, bool grouped, bool verbose = false) : ISessionSink
{
    private const string Red = "\u001b[31m", Yellow = "\u001b[33m", Cyan = "\u001b[36m", Bold = "\u001b[1m", Dim = "\u001b[2m", Reset = "\u001b[0m";

    /// <summary>
    /// Lines one session may hold back while it waits to be written as a block; past this the
    /// block is written as it stands and the session continues streaming (memory stays bounded
    /// on captures with huge sessions).
    /// </summary>
    public const int MaxBufferedLines = 20_000;

    private readonly Dictionary<long, List<string>> blocks = [];

    public void SessionStarted(SessionInfo session)
    {
        if (!filter.Includes(session)) return;
        if (grouped) blocks[session.Id] = [];
        else Write(Paint(Bold, $"=== session {session.Id}: {Describe(session)}"));
    }

    public void Output(SessionInfo session, AnalysisOutput output)
    {
        if (!filter.Includes(session) || !filter.Includes(output)) return;
        string line = FormatLine(output);
        if (grouped && blocks.TryGetValue(session.Id, out List<string>? block))
        {
            block.Add(line);
            if (block.Count >= MaxBufferedLines)
            {
                blocks.Remove(session.Id);
                Write(Paint(Bold, $"=== session {session.Id}: {Describe(session)} (long session: written as it goes)"));
                foreach (string l in block) Write(l);
            }
        }
        else
        {
            Write(line);
        }
    }

    public void SessionEnded(SessionInfo session, SessionSummary summary)
    {
        if (!filter.Includes(session)) return;
        string command = summary.Command is null ? "" : summary.Argument is null ? $" for {summary.Command}" : $" for {summary.Command} {summary.Argument}";
        string header = $"=== session {session.Id}: {Describe(session)}, {summary.Protocol}{TerminalText.Escape(command)}, {Outcome(summary)}";
        string colour = summary.Errors > 0 ? Red : summary.Warnings > 0 ? Yellow : "";
        if (grouped && blocks.Remove(session.Id, out List<string>? block))
        {
            Write(Paint(Bold + colour, header));
            foreach (string line in block) Write(line);
            Write("");
        }
        else
        {
            Write(Paint(Bold + colour, header.Replace("=== session", "=== end of session", StringComparison.Ordinal)));
        }
    }

    public static string Outcome(SessionSummary s)
    {
        var parts = new List<string>();
        if (s.Errors > 0) parts.Add(Count(s.Errors, "error"));
        if (s.Warnings > 0) parts.Add(Count(s.Warnings, "warning"));
        if (s.Infos > 0) parts.Add(Count(s.Infos, "note"));
        string counts = parts.Count > 0 ? $" ({string.Join(", ", parts)})" : "";
        return s.Outcome switch
        {
            "failed" => "FAILED" + counts,
            "warnings" => "ok with warnings" + counts,
            _ => "ok" + counts,
        } + $", {s.ClientBytes} bytes from the client, {s.ServerBytes} from the server";
    }

    private static string Count(int n, string what) => n.ToString(CultureInfo.InvariantCulture) + " " + what + (n == 1 ? "" : "s");

    private static string Describe(SessionInfo s) =>
        $"{ConnectionInfo.Format(s.Client)} -> {ConnectionInfo.Format(s.Server)}, started {s.Start}"
        + (s.Midstream ? " (seen from its middle)" : "")
        + (s.Data is { } link
            ? $", data connection of session {link.ParentId} ({(link.ServerConnected ? "active: the server connected" : "passive")}{(link.Inferred ? ", linked by address" : "")})"
            : "");

    private string FormatLine(AnalysisOutput output)
    {
        var sb = new StringBuilder();
        switch (output)
        {
            case TimelineEvent e:
                sb.Append("  ").Append(e.Time.ToString()).Append("  ")
                  .Append(e.Direction?.Arrow() ?? "    ").Append("  ")
                  .Append(LayerName(e.Layer)).Append("  ")
                  .Append(TerminalText.Escape(e.Summary));
                string line = sb.ToString();
                if (verbose && e.Detail is not null) line += DetailLines(e.Detail, "        ");
                return e.Layer == Layer.Tcp ? Paint(Dim, line) : line;
            case Finding f:
                string tag = f.Severity switch { Severity.Error => "!! ERROR", Severity.Warning => "!  WARNING", _ => "i  INFO" };
                string colour = f.Severity switch { Severity.Error => Red, Severity.Warning => Yellow, _ => Cyan };
                sb.Append("  ").Append(f.Time.ToString()).Append("  ")
                  .Append(Paint(Bold + colour, $"{tag} {f.Name}")).Append(" [").Append(f.Side.WireName()).Append("] ")
                  .Append(TerminalText.Escape(f.Summary));
                foreach (string wrapped in Wrap(TerminalText.Escape(f.Explanation), 100))
                {
                    sb.Append('\n').Append("        ").Append(wrapped);
                }
                if (!f.Evidence.IsEmpty)
                {
                    ReadOnlySpan<byte> ev = f.Evidence.Span[..Math.Min(32, f.Evidence.Length)];
                    sb.Append('\n').Append("        evidence at offset ").Append(f.Offset.ToString(CultureInfo.InvariantCulture)).Append(": ")
                      .Append(TlsDiagnosis.Hex(ev)).Append(f.Evidence.Length > 32 ? " ..." : "")
                      .Append("  |").Append(TlsDiagnosis.Printable(ev)).Append('|');
                }
                return sb.ToString();
            case DataConnectionReport r:
                return $"  {r.Time}        DATA  {TerminalText.Escape(r.Describe())}";
            case ExpectedDataConnection x:
                return $"  {x.Time}        DATA  {x.Via}: the {x.Listener.WireName()} listens on {ConnectionInfo.Format(x.Endpoint)} (PROT {(x.ProtectionLevel == '?' ? "unknown: sent encrypted" : x.ProtectionLevel)})";
            default:
                return $"  {output.Time}  {output.GetType().Name}";
        }
    }

    private static string DetailLines(DetailNode node, string indent)
    {
        var sb = new StringBuilder();
        foreach (DetailNode c in node.Children)
        {
            sb.Append('\n').Append(indent);
            if (c.Name.Length > 0) sb.Append(TerminalText.Escape(c.Name)).Append(": ");
            if (c.Value is { } v) sb.Append(TerminalText.Escape(Convert.ToString(v, CultureInfo.InvariantCulture) ?? ""));
            else if (c.IsList && c.Children.All(x => x.Value is not null))
            {
                sb.Append(TerminalText.Escape(string.Join(", ", c.Children.Select(x => Convert.ToString(x.Value, CultureInfo.InvariantCulture)))));
            }
            else sb.Append(DetailLines(c, indent + "  "));
        }
        return sb.ToString();
    }

    /// <summary>Breaks long explanations at spaces so they read well in an 80-120 column terminal.</summary>
    public static IEnumerable<string> Wrap(string text, int width)
    {
        int start = 0;
        while (start < text.Length)
        {
            if (text.Length - start <= width)
            {
                yield return text[start..];
                yield break;
            }
            int cut = text.LastIndexOf(' ', start + width, width);
            if (cut <= start) cut = start + width;
            yield return text[start..cut];
            start = cut < text.Length && text[cut] == ' ' ? cut + 1 : cut;
        }
    }

    private static string LayerName(Layer layer) => layer switch
    {
        Layer.Tcp => "TCP ",
        Layer.Ftp => "FTP ",
        Layer.Tls => "TLS ",
        _ => "SESS",
    };

    private string Paint(string code, string text) => color ? code + text + Reset : text;

    private void Write(string line) => writer.WriteLine(line);
}
