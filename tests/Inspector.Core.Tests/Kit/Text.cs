using System.Text;
using System.Text.Json;
using Inspector.Core.Output;
using Inspector.Core.Timeline;

namespace Inspector.Core.Tests.Kit;

public static class Text
{
    /// <summary>Bytes as Latin-1 text, one char per byte, for assertions on evidence.</summary>
    public static string Of(ReadOnlyMemory<byte> bytes) => Encoding.Latin1.GetString(bytes.Span);

    /// <summary>A detail tree as the JSON output writes it.</summary>
    public static string Json(DetailNode node)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream)) JsonLinesFormatter.WriteDetail(w, node);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
