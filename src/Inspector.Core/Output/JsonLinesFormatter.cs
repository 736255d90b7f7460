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
    private readonly EncodedTextCache encoded = new(JavaScriptEncoder.Default);

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

    public void Write(Utf8JsonWriter w, long session, AnalysisOutput output)
    {
        w.WriteStartObject();
        switch (output)
        {
            case TimelineEvent e:
                // The bulk of every output: names and fixed values pre-encoded once.
                w.WriteString(Names.Type, Names.Event);
                w.WriteNumber(Names.Session, session);
                WriteTime(w, Names.Time, e.Time);
                WriteDirection(w, e.Direction);
                w.WriteNumber(Names.Offset, e.Offset);
                w.WriteNumber(Names.Length, e.Length);
                w.WriteString(Names.Layer, Names.LayerName(e.Layer));
                encoded.WriteString(w, Names.Kind, e.Kind);
                encoded.WriteString(w, Names.Summary, e.Summary);
                if (e.Detail is not null)
                {
                    // Decoded fields sit beside the common ones (the JSON contract); the detail
                    // tree's own name says which message they belong to.
                    encoded.WriteString(w, Names.Message, e.Detail.Name);
                    WriteFields(w, e.Detail, encoded);
                }
                if (includeBytes && !e.Bytes.IsEmpty) w.WriteString("bytes", Convert.ToHexStringLower(e.Bytes.Span));
                break;
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
        if (d is { } dir) w.WriteString(Names.Dir, dir == Direction.ClientToServer ? Names.C2s : Names.S2c);
        else w.WriteNull(Names.Dir);
    }

    /// <summary>Property names and values written on every line, encoded once.</summary>
    private static class Names
    {
        public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
        public static readonly JsonEncodedText Event = JsonEncodedText.Encode("event");
        public static readonly JsonEncodedText Session = JsonEncodedText.Encode("session");
        public static readonly JsonEncodedText Time = JsonEncodedText.Encode("time");
        public static readonly JsonEncodedText Dir = JsonEncodedText.Encode("dir");
        public static readonly JsonEncodedText C2s = JsonEncodedText.Encode("c2s");
        public static readonly JsonEncodedText S2c = JsonEncodedText.Encode("s2c");
        public static readonly JsonEncodedText Offset = JsonEncodedText.Encode("offset");
        public static readonly JsonEncodedText Length = JsonEncodedText.Encode("length");
        public static readonly JsonEncodedText Layer = JsonEncodedText.Encode("layer");
        public static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
        public static readonly JsonEncodedText Summary = JsonEncodedText.Encode("summary");
        public static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
        private static readonly JsonEncodedText[] Layers = Enum.GetValues<Timeline.Layer>().Select(l => JsonEncodedText.Encode(l.WireName())).ToArray();

        public static JsonEncodedText LayerName(Timeline.Layer layer) =>
            (int)layer < Layers.Length ? Layers[(int)layer] : JsonEncodedText.Encode(layer.WireName());
    }

    /// <summary>Writes an object node's children as properties of the object being written.</summary>
    public static void WriteFields(Utf8JsonWriter w, DetailNode node) => WriteFields(w, node, null);

    /// <summary>Objects become JSON objects, lists arrays, leaves strings, numbers or booleans.</summary>
    public static void WriteDetail(Utf8JsonWriter w, DetailNode node) => WriteDetail(w, node, null);

    private static void WriteFields(Utf8JsonWriter w, DetailNode node, EncodedTextCache? cache)
    {
        IReadOnlyList<DetailNode> children = node.Children;
        for (int i = 0; i < children.Count; i++)
        {
            if (cache is null) w.WritePropertyName(children[i].Name);
            else cache.WritePropertyName(w, children[i].Name);
            WriteValue(w, children[i], cache);
        }
    }

    private static void WriteDetail(Utf8JsonWriter w, DetailNode node, EncodedTextCache? cache)
    {
        if (node.IsList)
        {
            w.WriteStartArray();
            if (node.TryGetStringItems(out ReadOnlySpan<string> items))
            {
                foreach (string item in items) WriteStringValue(w, item, cache);
            }
            else
            {
                IReadOnlyList<DetailNode> list = node.Children;
                for (int i = 0; i < list.Count; i++) WriteValue(w, list[i], cache);
            }
            w.WriteEndArray();
            return;
        }
        w.WriteStartObject();
        WriteFields(w, node, cache);
        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, DetailNode c, EncodedTextCache? cache)
    {
        switch (c.Value)
        {
            case string s: WriteStringValue(w, s, cache); break;
            case long l: w.WriteNumberValue(l); break;
            case bool b: w.WriteBooleanValue(b); break;
            default: WriteDetail(w, c, cache); break;
        }
    }

    private static void WriteStringValue(Utf8JsonWriter w, string s, EncodedTextCache? cache)
    {
        if (cache is null) w.WriteStringValue(s);
        else cache.WriteStringValue(w, s);
    }
}
