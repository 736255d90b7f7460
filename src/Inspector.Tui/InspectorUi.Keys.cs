using Inspector.Tui.Views;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Inspector.Tui;

/// <summary>What each key does: the UI's own keys first, the rest left to the focused pane.</summary>
internal sealed partial class InspectorUi
{
    /// <summary>Every key the UI handles itself; the rest go on to the focused pane.</summary>
    public bool HandleKey(Key key)
    {
        if (Window.HelpShown)
        {
            Window.ShowHelp(false);
            return true;
        }
        if (key == Key.C.WithCtrl)
        {
            Quit();
            return true;
        }
        if (Window.Prompt.IsOpen) return HandlePromptKey(key);
        if (key == Key.Esc)
        {
            if (!Sessions.Filter.IsEmpty) ApplyFilter("");
            return true; // never Terminal.Gui's default of quitting
        }
        if (key == Key.Tab || key == Key.Tab.WithShift)
        {
            CycleFocus(key == Key.Tab ? 1 : -1);
            return true;
        }
        if (key == Key.Enter)
        {
            Open();
            return true;
        }
        if (key.IsCtrl || key.IsAlt)
        {
            return false;
        }
        switch (key.AsRune.Value)
        {
            case '/': AskFilter(); return true;
            case 'n': NextFinding(forward: true); return true;
            case 'N': NextFinding(forward: false); return true;
            case 'f': ToggleFollow(); return true;
            case 'p': TogglePause(); return true;
            case 'o': SetOrder(Sessions.Order.Next()); return true;
            case 'O': SetOrder(Sessions.Order.Reversed()); return true;
            case 's': AskSave(all: false); return true;
            case 'S': AskSave(all: true); return true;
            case '?': Window.ShowHelp(true); return true;
            case 'q': AskQuit(); return true;
        }
        if ((key == Key.Home || key == Key.End) && Window.MostFocused is TableView table)
        {
            // In a table whose rows are selected whole, Home and End mean the first and last row.
            int last = table.Table?.Rows - 1 ?? -1;
            if (last >= 0)
            {
                table.SetSelection(0, key == Key.Home ? 0 : last, false, null);
                table.EnsureCursorIsVisible();
            }
            userMoved = true;
            return true;
        }
        if (key == Key.CursorUp || key == Key.CursorDown || key == Key.PageUp || key == Key.PageDown)
        {
            userMoved = true;
        }
        return false;
    }

    private bool HandlePromptKey(Key key)
    {
        PromptLine prompt = Window.Prompt;
        if (prompt.IsYesNo)
        {
            int answer = key.AsRune.Value;
            if (answer is 'y' or 'Y') prompt.Answered(true);
            else if (answer is 'n' or 'N' || key == Key.Esc) prompt.Answered(false);
            return true; // nothing else means anything here
        }
        if (key == Key.Enter)
        {
            prompt.Accept();
            return true;
        }
        if (key == Key.Esc)
        {
            prompt.Cancel();
            return true;
        }
        return false; // typing goes to the text field
    }

    private void Open()
    {
        View? focused = Window.MostFocused;
        if (focused == Window.SessionsTable) Window.TimelineTable.SetFocus();
        else if (focused == Window.TimelineTable) Window.Detail.SetFocus();
        userMoved = true;
    }

    private void CycleFocus(int direction)
    {
        View[] panes = Window.Panes;
        int at = Array.IndexOf(panes, Window.MostFocused);
        panes[((at < 0 ? 0 : at + direction) % panes.Length + panes.Length) % panes.Length].SetFocus();
    }
}
