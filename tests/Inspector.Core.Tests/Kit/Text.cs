using System.Text;
using Inspector.Core.Timeline;

namespace Inspector.Core.Tests.Kit;

public static class Text
{
    /// <summary>Bytes as Latin-1 text, one char per byte, for assertions on evidence.</summary>
    public static string Of(ReadOnlyMemory<byte> bytes) => Encoding.Latin1.GetString(bytes.Span);

    /// <summary>A detail tree as the JSON output writes it.</summary>
    public static string Json(DetailNode node) => ReferenceJson.Detail(node);
}
