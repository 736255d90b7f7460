using System.Text;
using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Timeline;

namespace Inspector.Core.Output;

/// <summary>
/// Human-readable lines for a terminal or a pipe. Every string that may hold peer bytes goes
/// through <see cref="TerminalText.Escape"/>; findings are set apart so the eye finds them.
/// </summary>
public sealed class TextFormatter(bool verbose = false)
{
    public string Format(long session, AnalysisOutput output)
    {
        var sb = new StringBuilder();
        switch (output)
        {
            case TimelineEvent e:
                sb.Append(e.Time.ToString()).Append("  #").Append(session).Append("  ")
                  .Append(e.Direction?.Arrow() ?? "    ").Append("  ")
                  .Append(LayerName(e.Layer)).Append("  ")
                  .Append(TerminalText.Escape(e.Summary));
                if (verbose && e.Detail is not null) AppendDetail(sb, e.Detail, "        ");
                break;
            case Finding f:
                sb.Append(f.Time.ToString()).Append("  #").Append(session).Append("  ")
                  .Append(f.Severity switch { Severity.Error => "!! ERROR", Severity.Warning => "!  WARNING", _ => "i  INFO" })
                  .Append(' ').Append(f.Name).Append(" [").Append(f.Side.WireName()).Append("] ")
                  .Append(TerminalText.Escape(f.Summary));
                sb.Append('\n').Append("        ").Append(TerminalText.Escape(f.Explanation));
                if (!f.Evidence.IsEmpty)
                {
                    sb.Append('\n').Append("        evidence @").Append(f.Offset).Append(": ")
                      .Append(TlsDiagnosis.Hex(f.Evidence.Span[..Math.Min(32, f.Evidence.Length)]))
                      .Append(f.Evidence.Length > 32 ? " ..." : "")
                      .Append("  |").Append(TlsDiagnosis.Printable(f.Evidence.Span[..Math.Min(32, f.Evidence.Length)])).Append('|');
                }
                break;
            case ExpectedDataConnection x:
                sb.Append(x.Time.ToString()).Append("  #").Append(session).Append("        DATA ")
                  .Append(x.Via).Append(": ").Append(x.Listener.WireName()).Append(" listens on ")
                  .Append(ConnectionInfo.Format(x.Endpoint)).Append(" (PROT ").Append(x.ProtectionLevel).Append(')');
                break;
        }
        return sb.ToString();
    }

    private static string LayerName(Layer layer) => layer switch
    {
        Layer.Tcp => "TCP ",
        Layer.Ftp => "FTP ",
        Layer.Tls => "TLS ",
        _ => "SESS",
    };

    private static void AppendDetail(StringBuilder sb, DetailNode node, string indent)
    {
        foreach (DetailNode c in node.Children)
        {
            sb.Append('\n').Append(indent);
            if (c.Name.Length > 0) sb.Append(TerminalText.Escape(c.Name)).Append(": ");
            if (c.Value is { } v)
            {
                sb.Append(TerminalText.Escape(Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
            }
            else
            {
                AppendDetail(sb, c, indent + "  ");
            }
        }
    }
}
