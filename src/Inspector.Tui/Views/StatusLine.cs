using Terminal.Gui.ViewBase;

namespace Inspector.Tui.Views;

/// <summary>
/// The bottom line: what the source is doing, the counts, the modes, and the keys. Drawn
/// directly rather than as a Label, because it changes on almost every key and a label's text
/// change makes Terminal.Gui lay out the whole window again.
/// </summary>
internal sealed class StatusLine : View
{
    private readonly Palette palette;
    private string text = "";

    public StatusLine(Palette palette)
    {
        this.palette = palette;
        Height = 1;
        Width = Dim.Fill();
        CanFocus = false;
    }

    public new string Text
    {
        get => text;
        set
        {
            if (value == text) return;
            text = value;
            SetNeedsDraw();
        }
    }

    protected override bool OnDrawingContent(DrawContext? context)
    {
        int width = Viewport.Width;
        SetAttribute(palette.Status);
        string shown = text.Length > width ? text[..Math.Max(0, width)] : text.PadRight(width);
        AddStr(0, 0, shown);
        return true;
    }
}
