using Inspector.Tui.Model;
using Terminal.Gui.Input;
using Terminal.Gui.Text;
using Terminal.Gui.ViewBase;

namespace Inspector.Tui.Views;

/// <summary>
/// Draws a <see cref="DetailDocument"/>: styled spans, long lines wrapped to the pane's width,
/// scrolled with the arrows, PageUp/PageDown, Home/End and the mouse wheel when focused.
/// </summary>
internal sealed class DetailView : View
{
    private readonly Palette palette;
    private DetailDocument document = DetailDocument.Empty;
    private List<DetailLine> wrapped = [];
    private int wrappedWidth = -1;
    private int top;

    public DetailView(Palette palette)
    {
        this.palette = palette;
        CanFocus = true;
        SetScheme(palette.Base);
    }

    public DetailDocument Document
    {
        get => document;
        set
        {
            document = value;
            wrappedWidth = -1;
            top = 0;
            SetNeedsDraw();
        }
    }

    /// <summary>The first line shown (after wrapping).</summary>
    public int Top => top;

    /// <summary>The document as drawn at the current width, for tests.</summary>
    public IReadOnlyList<DetailLine> WrappedLines => Wrapped(Viewport.Width);

    public void ScrollBy(int lines)
    {
        int max = Math.Max(0, Wrapped(Viewport.Width).Count - Viewport.Height);
        int next = Math.Clamp(top + lines, 0, max);
        if (next == top) return;
        top = next;
        SetNeedsDraw();
    }

    /// <summary>Every cell is painted by <see cref="OnDrawingContent"/>; blanking them first would only double the work.</summary>
    protected override bool OnClearingViewport() => true;

    protected override bool OnDrawingContent(Terminal.Gui.ViewBase.DrawContext? context)
    {
        int width = Viewport.Width, height = Viewport.Height;
        List<DetailLine> lines = Wrapped(width);
        top = Math.Clamp(top, 0, Math.Max(0, lines.Count - height));
        for (int y = 0; y < height; y++)
        {
            Move(0, y);
            int used = 0;
            if (top + y < lines.Count)
            {
                foreach (DetailSpan span in lines[top + y].Spans)
                {
                    if (used >= width) break;
                    SetAttribute(palette.For(span.Style));
                    AddStr(span.Text); // clipped at the pane's edge
                    used += span.Text.GetColumns(); // wide and combining characters counted as drawn
                }
            }
            if (used < width)
            {
                SetAttribute(palette.Base.Normal);
                AddStr(new string(' ', width - used));
            }
        }
        if (top + height < lines.Count && width > 8)
        {
            SetAttribute(palette.Dim);
            AddStr(width - 8, height - 1, " ↓ more ");
        }
        return true;
    }

    protected override bool OnKeyDown(Key key)
    {
        int page = Math.Max(1, Viewport.Height - 1);
        int? by = key == Key.CursorDown ? 1
            : key == Key.CursorUp ? -1
            : key == Key.PageDown ? page
            : key == Key.PageUp ? -page
            : key == Key.Home ? int.MinValue / 2
            : key == Key.End ? int.MaxValue / 2
            : null;
        if (by is not { } lines) return base.OnKeyDown(key);
        ScrollBy(lines);
        return true;
    }

    protected override bool OnMouseEvent(Mouse mouse)
    {
        if (mouse.Flags.HasFlag(MouseFlags.WheeledDown)) ScrollBy(3);
        else if (mouse.Flags.HasFlag(MouseFlags.WheeledUp)) ScrollBy(-3);
        else return base.OnMouseEvent(mouse);
        return true;
    }

    private List<DetailLine> Wrapped(int width)
    {
        if (width != wrappedWidth)
        {
            wrapped = DetailWrap.Lines(document.Lines, Math.Max(1, width));
            wrappedWidth = width;
        }
        return wrapped;
    }
}
