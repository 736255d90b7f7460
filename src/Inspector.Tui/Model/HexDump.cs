using System.Globalization;
using System.Text;

namespace Inspector.Tui.Model;

/// <summary>
/// Bytes as hex and ASCII, 16 to a line, like <c>hexdump -C</c>, with chosen byte ranges in a
/// highlight style on both sides. Only printable ASCII is shown as itself: every other byte is
/// a dot, so nothing a peer sent can reach the terminal raw.
/// </summary>
internal static class HexDump
{
    public const int BytesPerLine = 16;

    /// <param name="firstOffset">Stream offset of the first byte, printed at the start of each line.</param>
    /// <param name="highlights">Byte ranges [Start, End) and their style; a later range wins where ranges overlap.</param>
    public static IEnumerable<DetailLine> Lines(ReadOnlySpan<byte> bytes, long firstOffset, IReadOnlyList<(int Start, int End, DetailStyle Style)> highlights, int indent = 2)
    {
        var styles = new DetailStyle[bytes.Length];
        foreach ((int start, int end, DetailStyle style) in highlights)
        {
            for (int i = Math.Max(0, start); i < Math.Min(end, bytes.Length); i++) styles[i] = style;
        }
        int offsetWidth = Math.Max(4, (firstOffset + bytes.Length).ToString(CultureInfo.InvariantCulture).Length);
        var lines = new List<DetailLine>();
        for (int lineStart = 0; lineStart < bytes.Length; lineStart += BytesPerLine)
        {
            int count = Math.Min(BytesPerLine, bytes.Length - lineStart);
            var spans = new SpanBuilder();
            spans.Add(new string(' ', indent) + (firstOffset + lineStart).ToString(CultureInfo.InvariantCulture).PadLeft(offsetWidth) + "  ", DetailStyle.Dim);
            for (int i = 0; i < BytesPerLine; i++)
            {
                if (i == 8) spans.Add(" ", DetailStyle.Normal);
                if (i < count)
                {
                    // The space after a byte takes the byte's style only inside a highlighted run, so runs read as one block.
                    DetailStyle s = styles[lineStart + i];
                    spans.Add(bytes[lineStart + i].ToString("x2", CultureInfo.InvariantCulture), s);
                    bool runGoesOn = i + 1 < count && i != 7 && styles[lineStart + i + 1] == s;
                    spans.Add(" ", runGoesOn ? s : DetailStyle.Normal);
                }
                else
                {
                    spans.Add("   ", DetailStyle.Normal);
                }
            }
            spans.Add(" |", DetailStyle.Dim);
            for (int i = 0; i < count; i++)
            {
                byte b = bytes[lineStart + i];
                spans.Add(b is >= 0x20 and < 0x7f ? ((char)b).ToString() : ".", styles[lineStart + i]);
            }
            spans.Add("|", DetailStyle.Dim);
            lines.Add(new DetailLine(spans.Build()));
        }
        return lines;
    }

    /// <summary>Joins neighbouring pieces of the same style into one span.</summary>
    private sealed class SpanBuilder
    {
        private readonly List<DetailSpan> spans = [];
        private readonly StringBuilder text = new();
        private DetailStyle style;

        public void Add(string piece, DetailStyle pieceStyle)
        {
            if (text.Length > 0 && pieceStyle != style) Flush();
            style = pieceStyle;
            text.Append(piece);
        }

        public IReadOnlyList<DetailSpan> Build()
        {
            Flush();
            return spans;
        }

        private void Flush()
        {
            if (text.Length == 0) return;
            spans.Add(new DetailSpan(text.ToString(), style));
            text.Clear();
        }
    }
}
