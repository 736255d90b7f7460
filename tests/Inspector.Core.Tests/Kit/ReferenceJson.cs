using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Inspector.Core.Timeline;

namespace Inspector.Core.Tests.Kit;

/// <summary>
/// The JSON contract written the plain way, with <see cref="Utf8JsonWriter"/> and the output's
/// encoder, field by field: the oracle the hand-written event line is compared with.
/// </summary>
public static class ReferenceJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.Default };

    public static string EventLine(long session, TimelineEvent e, bool includeBytes) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "event");
        w.WriteNumber("session", session);
        w.WriteString("time", e.Time.ToString());
        if (e.Direction is { } d) w.WriteString("dir", d == Model.Direction.ClientToServer ? "c2s" : "s2c");
        else w.WriteNull("dir");
        w.WriteNumber("offset", e.Offset);
        w.WriteNumber("length", e.Length);
        w.WriteString("layer", e.Layer.WireName());
        w.WriteString("kind", e.Kind);
        w.WriteString("summary", e.Summary);
        if (e.Detail is not null)
        {
            w.WriteString("message", e.Detail.Name);
            WriteFields(w, e.Detail);
        }
        if (includeBytes && !e.Bytes.IsEmpty) w.WriteString("bytes", Convert.ToHexStringLower(e.Bytes.Span));
        w.WriteEndObject();
    });

    /// <summary>A detail tree on its own: objects become objects, lists arrays, leaves strings, numbers or booleans.</summary>
    public static string Detail(DetailNode node) => Write(w => WriteValue(w, node));

    private static string Write(Action<Utf8JsonWriter> build)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Options)) build(w);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteFields(Utf8JsonWriter w, DetailNode node)
    {
        foreach (DetailNode child in node.Children)
        {
            w.WritePropertyName(child.Name);
            WriteValue(w, child);
        }
    }

    private static void WriteValue(Utf8JsonWriter w, DetailNode node)
    {
        switch (node.Value)
        {
            case string s: w.WriteStringValue(s); return;
            case long l: w.WriteNumberValue(l); return;
            case bool b: w.WriteBooleanValue(b); return;
        }
        if (node.IsList)
        {
            w.WriteStartArray();
            foreach (DetailNode item in node.Children) WriteValue(w, item);
            w.WriteEndArray();
        }
        else
        {
            w.WriteStartObject();
            WriteFields(w, node);
            w.WriteEndObject();
        }
    }
}
