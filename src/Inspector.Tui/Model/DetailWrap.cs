namespace Inspector.Tui.Model;

/// <summary>Breaks wrapping detail lines at spaces to a width, keeping each character's style.</summary>
internal static class DetailWrap
{
    public static List<DetailLine> Lines(IReadOnlyList<DetailLine> lines, int width)
    {
        var result = new List<DetailLine>(lines.Count);
        foreach (DetailLine line in lines)
        {
            if (!line.Wrap || width <= line.Indent + 8) result.Add(line);
            else Wrap(line, width, result);
        }
        return result;
    }

    private static void Wrap(DetailLine line, int width, List<DetailLine> into)
    {
        string text = line.Text;
        if (text.Length <= width)
        {
            into.Add(line);
            return;
        }
        var styles = new DetailStyle[text.Length];
        int at = 0;
        foreach (DetailSpan span in line.Spans)
        {
            Array.Fill(styles, span.Style, at, span.Text.Length);
            at += span.Text.Length;
        }
        int start = 0;
        bool first = true;
        while (start < text.Length)
        {
            int room = first ? width : width - line.Indent;
            int end;
            if (text.Length - start <= room)
            {
                end = text.Length;
            }
            else
            {
                int space = text.LastIndexOf(' ', start + room, room);
                end = space > start ? space : start + room;
            }
            into.Add(Slice(text, styles, start, end, first ? 0 : line.Indent));
            start = end;
            while (start < text.Length && text[start] == ' ') start++;
            first = false;
        }
    }

    private static DetailLine Slice(string text, DetailStyle[] styles, int start, int end, int indent)
    {
        var spans = new List<DetailSpan>();
        if (indent > 0) spans.Add(new DetailSpan(new string(' ', indent), DetailStyle.Normal));
        int runStart = start;
        for (int i = start + 1; i <= end; i++)
        {
            if (i == end || styles[i] != styles[runStart])
            {
                spans.Add(new DetailSpan(text[runStart..i], styles[runStart]));
                runStart = i;
            }
        }
        return new DetailLine(spans);
    }
}
