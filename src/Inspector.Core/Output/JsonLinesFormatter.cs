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
        if (output.OutputType == OutputType.Event)
        {
            eventLine.Write(target, session, (TimelineEvent)output, includeBytes);
            return;
        }
        Utf8JsonWriter w = lineWriter ??= new Utf8JsonWriter(target, WriterOptions);
        w.Reset(target);
        Write(w, session, output);
        w.Flush();
    }

    /// <summary>A timestamp as a JSON string, formatted without a string in between.</summary>
    public static void WriteTime(Utf8JsonWriter w, ReadOnlySpan<byte> name, Timestamp time)
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
                w.WriteString("type"u8, "finding"u8);
                w.WriteNumber("session"u8, session);
                WriteTime(w, "time"u8, f.Time);
                w.WriteString("name"u8, f.Name);
                w.WriteString("severity"u8, f.Severity.WireName());
                // "side" keeps to client|server|unknown; "blame" also says both or network.
                w.WriteString("side"u8, f.Side is Side.Client or Side.Server ? f.Side.WireName() : "unknown");
                w.WriteString("blame"u8, f.Side.WireName());
                WriteDirection(w, f.Direction);
                w.WriteNumber("offset"u8, f.Offset);
                w.WriteString("summary"u8, f.Summary);
                w.WriteString("explanation"u8, f.Explanation);
                w.WriteStartObject("evidence"u8);
                w.WriteString("hex"u8, Convert.ToHexStringLower(f.Evidence.Span));
                w.WriteString("text"u8, TlsDiagnosis.Printable(f.Evidence.Span));
                w.WriteEndObject();
                break;
            case ExpectedDataConnection x:
                w.WriteString("type"u8, "expect_data"u8);
                w.WriteNumber("session"u8, session);
                WriteTime(w, "time"u8, x.Time);
                w.WriteString("listener"u8, x.Listener.WireName());
                w.WriteString("endpoint"u8, ConnectionInfo.Format(x.Endpoint));
                w.WriteString("via"u8, x.Via);
                w.WriteString("prot"u8, x.ProtectionLevel.ToString());
                break;
            case DataConnectionReport r:
                w.WriteString("type"u8, "data_connection"u8);
                w.WriteNumber("session"u8, session);
                WriteTime(w, "time"u8, r.Time);
                w.WriteNumber("data_session"u8, r.DataSession);
                if (r.Command is null) w.WriteNull("command"u8);
                else w.WriteString("command"u8, r.Command);
                if (r.Argument is not null) w.WriteString("argument"u8, r.Argument);
                w.WriteString("mode"u8, r.Passive ? "passive" : "active");
                w.WriteBoolean("inferred"u8, r.Inferred);
                w.WriteString("protection"u8, r.Protection switch { DataProtection.Tls => "tls", DataProtection.Plaintext => "plaintext", _ => "none" });
                w.WriteNumber("client_bytes"u8, r.ClientBytes);
                w.WriteNumber("server_bytes"u8, r.ServerBytes);
                w.WriteNumber("duration_s"u8, Math.Round(r.Duration.TotalSeconds, 6));
                if (r.BitsPerSecond is double bps) w.WriteNumber("bits_per_second"u8, Math.Round(bps));
                else w.WriteNull("bits_per_second"u8);
                w.WriteString("outcome"u8, r.Outcome);
                break;
            default:
                w.WriteString("type"u8, output.GetType().Name);
                w.WriteNumber("session"u8, session);
                WriteTime(w, "time"u8, output.Time);
                break;
        }
        w.WriteEndObject();
    }

    private static void WriteDirection(Utf8JsonWriter w, Direction? d)
    {
        if (d is { } dir) w.WriteString("dir"u8, dir == Direction.ClientToServer ? "c2s" : "s2c");
        else w.WriteNull("dir"u8);
    }
}
