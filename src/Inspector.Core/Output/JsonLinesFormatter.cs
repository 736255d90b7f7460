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

    // One writer reused for every line: a new Utf8JsonWriter and buffer per line were a third of
    // everything `read --json` allocated on a control-heavy capture.
    private readonly ArrayBufferWriter<byte> line = new(512);
    private Utf8JsonWriter? lineWriter;
    private readonly JsonEventLine eventLine = new(JavaScriptEncoder.Default);

    public string Format(long session, AnalysisOutput output) => Encoding.UTF8.GetString(FormatUtf8(session, output).Span);

    /// <summary>
    /// The line as UTF-8 (pure ASCII: the encoder escapes everything else), valid until the next
    /// call on this formatter.
    /// </summary>
    public ReadOnlyMemory<byte> FormatUtf8(long session, AnalysisOutput output)
    {
        line.ResetWrittenCount();
        FormatInto(line, session, output);
        return line.WrittenMemory;
    }

    /// <summary>Writes the line (without its line end) straight into <paramref name="target"/>, with no copy in between.</summary>
    public void FormatInto(IBufferWriter<byte> target, long session, AnalysisOutput output)
    {
        if (output is TimelineEvent e)
        {
            eventLine.Write(target, session, e, includeBytes);
            return;
        }
        Utf8JsonWriter w = lineWriter ??= new Utf8JsonWriter(target, WriterOptions);
        w.Reset(target);
        Write(w, session, output);
        w.Flush();
    }

    /// <summary>A timestamp as a JSON string, formatted without a string in between.</summary>
    public static void WriteTime(Utf8JsonWriter w, string name, Timestamp time) => WriteTime(w, JsonEncodedText.Encode(name), time);

    private static void WriteTime(Utf8JsonWriter w, JsonEncodedText name, Timestamp time)
    {
        Span<byte> text = stackalloc byte[Timestamp.IsoLength];
        time.FormatIso(text);
        w.WriteString(name, text);
    }

    // Every output but timeline events (see JsonEventLine): findings, data connections, expectations.
    private static void Write(Utf8JsonWriter w, long session, AnalysisOutput output)
    {
        w.WriteStartObject();
        switch (output)
        {
            case Finding f:
                w.WriteString("type", "finding");
                w.WriteNumber("session", session);
                WriteTime(w, "time", f.Time);
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
                WriteTime(w, "time", x.Time);
                w.WriteString("listener", x.Listener.WireName());
                w.WriteString("endpoint", ConnectionInfo.Format(x.Endpoint));
                w.WriteString("via", x.Via);
                w.WriteString("prot", x.ProtectionLevel.ToString());
                break;
            case DataConnectionReport r:
                w.WriteString("type", "data_connection");
                w.WriteNumber("session", session);
                WriteTime(w, "time", r.Time);
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
                WriteTime(w, "time", output.Time);
                break;
        }
        w.WriteEndObject();
    }

    private static void WriteDirection(Utf8JsonWriter w, Direction? d)
    {
        if (d is { } dir) w.WriteString("dir", dir == Direction.ClientToServer ? "c2s" : "s2c");
        else w.WriteNull("dir");
    }
}
