using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace Inspector.Tui.Views;

/// <summary>
/// A one-line question in place of the status bar, like vim's command line: a text answer
/// (filter, file name) ended by Enter, or a yes/no answer by one key. Esc cancels. Kept in the
/// main window rather than a dialog, so no nested run loop is needed and tests can drive it.
/// </summary>
internal sealed class PromptLine : View
{
    private readonly Label question = new() { X = 0, Y = 0, HotKeySpecifier = InspectorWindow.NoHotKey };
    private readonly TextField answer;
    private Action<string>? onText;
    private Action<bool>? onYesNo;
    private View? returnFocusTo;

    public PromptLine(Palette palette)
    {
        Height = 1;
        Width = Dim.Fill();
        Visible = false;
        CanFocus = true;
        answer = new TextField { X = Pos.Right(question), Y = 0, Width = Dim.Fill() };
        question.SetScheme(new Terminal.Gui.Drawing.Scheme(palette.Status));
        SetScheme(palette.Base);
        Add(question, answer);
    }

    public bool IsOpen => Visible;

    public bool IsYesNo => IsOpen && onYesNo is not null;

    public string Question => question.Text;

    public string Answer => answer.Text;

    public void AskText(string prompt, string initial, Action<string> done)
    {
        Open(prompt);
        onText = done;
        answer.Visible = true;
        answer.Text = initial;
        answer.MoveEnd();
        answer.SetFocus();
    }

    public void AskYesNo(string prompt, Action<bool> done)
    {
        Open(prompt + " (y/n) ");
        onYesNo = done;
        answer.Visible = false;
        SetFocus();
    }

    /// <summary>Enter: hands the text on (text prompts only).</summary>
    public void Accept()
    {
        Action<string>? done = onText;
        string text = answer.Text;
        Close();
        done?.Invoke(text);
    }

    public void Answered(bool yes)
    {
        Action<bool>? done = onYesNo;
        Close();
        done?.Invoke(yes);
    }

    public void Cancel() => Close();

    private void Open(string prompt)
    {
        returnFocusTo = SuperView?.MostFocused;
        question.Text = prompt;
        Visible = true;
    }

    private void Close()
    {
        onText = null;
        onYesNo = null;
        Visible = false;
        returnFocusTo?.SetFocus();
        returnFocusTo = null;
    }
}
