using Terminal.Gui.ViewBase;

namespace Inspector.Tui.Views;

/// <summary>
/// The bottom line: on the left what the source is doing, the counts and the modes; on the right
/// a message, or the keys. When the line is too narrow the keys shrink to their short form and
/// then the left side is cut, so a message and the way to help always show. Drawn directly
/// rather than as a Label, because it changes on almost every key and a label's text change
/// makes Terminal.Gui lay out the whole window again.
/// </summary>
internal sealed class StatusLine : View
{
    private const string Separator = " │ ";
    private readonly Palette palette;
    private string state = "";
    private string? message;

    public StatusLine(Palette palette)
    {
        this.palette = palette;
        Height = 1;
        Width = Dim.Fill();
        CanFocus = false;
    }

    /// <summary>The line as drawn at the current width (tests read it).</summary>
    public new string Text => Compose(Math.Max(Viewport.Width, 1));

    public void Show(string stateText, string? messageText)
    {
        if (stateText == state && messageText == message) return;
        state = stateText;
        message = messageText;
        SetNeedsDraw();
    }

    protected override bool OnDrawingContent(DrawContext? context)
    {
        SetAttribute(palette.Status);
        AddStr(0, 0, Compose(Viewport.Width));
        return true;
    }

    private string Compose(int width)
    {
        string right = message ?? KeyHelp.StatusKeys;
        string left = " " + state;
        if (message is null && left.Length + Separator.Length + right.Length > width) right = KeyHelp.ShortStatusKeys;
        int room = width - right.Length - Separator.Length;
        if (left.Length > room) left = room > 1 ? left[..(room - 1)] + "…" : "";
        string line = left + (left.Length > 0 ? Separator : " ") + right;
        return line.Length >= width ? line[..width] : line.PadRight(width);
    }
}
