using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Inspector.Tui.Views;

/// <summary>The <c>?</c> overlay: every key, over the panes, until any key closes it.</summary>
internal sealed class HelpView : FrameView
{
    public HelpView(Palette palette)
    {
        HotKeySpecifier = InspectorWindow.NoHotKey;
        Title = "Keys (any key closes)";
        int keyWidth = KeyHelp.All.Max(k => k.Keys.Length) + 2;
        string text = string.Join("\n", KeyHelp.All.Select(k => k.Keys.PadRight(keyWidth) + k.What));
        X = Pos.Center();
        Y = Pos.Center();
        Width = Dim.Auto(minimumContentDim: 20, maximumContentDim: Dim.Percent(100));
        Height = Dim.Auto(maximumContentDim: Dim.Percent(100));
        SetScheme(palette.Base);
        Add(new Label { Text = text, HotKeySpecifier = InspectorWindow.NoHotKey });
    }
}
