using Terminal.Gui.Views;

namespace Inspector.Tui.Views;

/// <summary>
/// A table that skips the blanking Terminal.Gui does before a view draws: the table paints every
/// line of its viewport itself, and each character drawn costs time on every key press.
/// </summary>
internal sealed class PaneTable(ITableSource source) : TableView(source)
{
    protected override bool OnClearingViewport() => true;
}
