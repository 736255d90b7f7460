using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Sessions;
using Inspector.Core.Timeline;

namespace Inspector.Core.Output;

/// <summary>
/// One JSON object per output, one per line, fields in a fixed order (JSON Lines). Strings are
/// escaped by System.Text.Json's default encoder, which writes every control character and
/// every non-ASCII character (bidi controls included) as \uXXXX, so the output is terminal-safe.
/// </summary>
public sealed class JsonLinesFormatter(bool includeBytes = false)
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.Default,
        Indented = false,
    };

    public string Format(long session, AnalysisOutput output)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(w, session, output);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public void Write(Utf8JsonWriter w, long session, AnalysisOutput output)
    {
        w.WriteStartObject();
        switch (output)
        {
            case TimelineEvent e:
                w.WriteString("type", "event");
                w.WriteNumber("session", session);
                w.WriteString("time", e.Time.ToString());
                WriteDirection(w, e.Direction);
                w.WriteNumber("offset", e.Offset);
                w.WriteNumber("length", e.Length);
                w.WriteString("layer", e.Layer.ToString().ToLowerInvariant());
                w.WriteString("kind", e.Kind);
                w.WriteString("summary", e.Summary);
                if (e.Detail is not null)
                {
                    // Decoded fields sit beside the common ones (the JSON contract); the detail
                    // tree's own name says which message they belong to.
                    w.WriteString("message", e.Detail.Name);
                    WriteFields(w, e.Detail);
                }
                if (includeBytes && !e.Bytes.IsEmpty) w.WriteString("bytes", Convert.ToHexStringLower(e.Bytes.Span));
                break;
            case Finding f:
                w.WriteString("type", "finding");
                w.WriteNumber("session", session);
                w.WriteString("time", f.Time.ToString());
                w.WriteString("name", f.Name);
                w.WriteString("severity", f.Severity.WireName());
                // "side" keeps to client|server|unknown; "blame" also says both or network.
                w.WriteString("side", f.Side is Side.Client or Side.Server ? f.Side.WireName() : "unknown");
                w.WriteString("blame", f.Side.WireName());
                WriteDirection(w, f.Direction);
                w.WriteNumber("offset", f.Offset);
                w.WriteString("summary", f.Summary);
                w.WriteString("explanation", f.Explanation);
                w.WriteStartObject("evidence");
                w.WriteString("hex", Convert.ToHexStringLower(f.Evidence.Span));
                w.WriteString("text", TlsDiagnosis.Printable(f.Evidence.Span));
                w.WriteEndObject();
                break;
            case ExpectedDataConnection x:
                w.WriteString("type", "expect_data");
                w.WriteNumber("session", session);
                w.WriteString("time", x.Time.ToString());
                w.WriteString("listener", x.Listener.WireName());
                w.WriteString("endpoint", ConnectionInfo.Format(x.Endpoint));
                w.WriteString("via", x.Via);
                w.WriteString("prot", x.ProtectionLevel.ToString());
                break;
            case DataConnectionReport r:
                w.WriteString("type", "data_connection");
                w.WriteNumber("session", session);
                w.WriteString("time", r.Time.ToString());
                w.WriteNumber("data_session", r.DataSession);
                if (r.Command is null) w.WriteNull("command");
                else w.WriteString("command", r.Command);
                if (r.Argument is not null) w.WriteString("argument", r.Argument);
                w.WriteString("mode", r.Passive ? "passive" : "active");
                w.WriteBoolean("inferred", r.Inferred);
                w.WriteString("protection", r.Protection switch { DataProtection.Tls => "tls", DataProtection.Plaintext => "plaintext", _ => "none" });
                w.WriteNumber("client_bytes", r.ClientBytes);
                w.WriteNumber("server_bytes", r.ServerBytes);
                w.WriteNumber("duration_s", Math.Round(r.Duration.TotalSeconds, 6));
                if (r.BitsPerSecond is double bps) w.WriteNumber("bits_per_second", Math.Round(bps));
                else w.WriteNull("bits_per_second");
                w.WriteString("outcome", r.Outcome);
                break;
            default:
                w.WriteString("type", output.GetType().Name);
                w.WriteNumber("session", session);
                w.WriteString("time", output.Time.ToString());
                break;
        }
        w.WriteEndObject();
    }

    private static void WriteDirection(Utf8JsonWriter w, Direction? d)
    {
        if (d is { } dir) w.WriteString("dir", dir == Direction.ClientToServer ? "c2s" : "s2c");
        else w.WriteNull("dir");
    }

    /// <summary>Writes an object node's children as properties of the object being written.</summary>
    public static void WriteFields(Utf8JsonWriter w, DetailNode node)
    {
        foreach (DetailNode c in node.Children)
        {
            w.WritePropertyName(c.Name);
            WriteValue(w, c);
        }
    }

    /// <summary>Objects become JSON objects, lists arrays, leaves strings, numbers or booleans.</summary>
    public static void WriteDetail(Utf8JsonWriter w, DetailNode node)
    {
        if (node.IsList)
        {
            w.WriteStartArray();
            foreach (DetailNode c in node.Children) WriteValue(w, c);
            w.WriteEndArray();
            return;
        }
        w.WriteStartObject();
        foreach (DetailNode c in node.Children)
        {
            w.WritePropertyName(c.Name);
            WriteValue(w, c);
        }
        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, DetailNode c)
    {
        switch (c.Value)
        {
            case string s: w.WriteStringValue(s); break;
            case long l: w.WriteNumberValue(l); break;
            case bool b: w.WriteBooleanValue(b); break;
            default: WriteDetail(w, c); break;
        }
    }
}
