namespace Inspector.Tui.Model;

/// <summary>What a piece of detail text is, so the view can colour it (or, without colour, underline or invert it).</summary>
internal enum DetailStyle
{
    Normal,
    Heading,
    Label,
    Dim,
    Error,
    Warning,
    Info,
    /// <summary>Evidence bytes of an error, warning or info finding in a hex dump.</summary>
    ErrorEvidence,
    WarningEvidence,
    InfoEvidence,
}

/// <summary>A run of text in one style. The text is already escaped.</summary>
internal sealed record DetailSpan(string Text, DetailStyle Style);

/// <summary>
/// One line of the detail pane. A line that may <see cref="Wrap"/> is broken at spaces to the
/// pane's width, its continuation lines indented by <see cref="Indent"/>; hex dump lines never wrap.
/// </summary>
internal sealed record DetailLine(IReadOnlyList<DetailSpan> Spans, bool Wrap = false, int Indent = 0)
{
    public static DetailLine Empty { get; } = new([]);

    public static DetailLine Of(string text, DetailStyle style = DetailStyle.Normal, bool wrap = false, int indent = 0) =>
        new([new DetailSpan(text, style)], wrap, indent);

    public string Text => string.Concat(Spans.Select(s => s.Text));
}

/// <summary>The detail pane's content for one timeline row, decoded when the row is selected.</summary>
internal sealed record DetailDocument(IReadOnlyList<DetailLine> Lines)
{
    public static DetailDocument Empty { get; } = new([]);

    public string Text => string.Join("\n", Lines.Select(l => l.Text));
}
