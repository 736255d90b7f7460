using Inspector.Core.Model;
using Inspector.Core.Streams;
using Inspector.Tui.Tests.Kit;
using Terminal.Gui.Input;
using Xunit.Abstractions;

namespace Inspector.Tui.Tests.Views;

/// <summary>Every byte a peer sent is escaped before it is drawn: nothing it sent can drive the user's terminal.</summary>
public sealed class EscapingTests(ITestOutputHelper output)
{
    [Fact(Timeout = 30_000)]
    public async Task A_banner_with_escape_sequences_is_shown_escaped_everywhere()
    {
        await Task.Yield();
        var store = new SessionStore();
        Stores.Analyze(store, Stores.Session(1),
            new OpenEvent(Stores.T(0), false),
            new DataEvent(Direction.ServerToClient, 0, Stores.T(1), EvilBanner.Bytes),
            new DataEvent(Direction.ClientToServer, 0, Stores.T(2), "USER anonymous\r\n"u8.ToArray()));
        using var ui = new Headless(new TuiSource { Title = "escaping", Store = store }, width: 140, height: 40);

        // Select the banner row so the detail pane decodes it too.
        ui.Press(Key.Tab);
        ui.Press(Key.Home);
        ui.Press(Key.CursorDown);
        output.WriteLine(ui.Screen);

        Assert.Contains(EvilBanner.Escaped, ui.Screen);                    // in the timeline
        Assert.Contains(@"\u{202e}evil\u{202c}", ui.Screen);              // the bidi override is shown, not obeyed
        Assert.Contains(EvilBanner.Escaped, ui.Ui.Window.Detail.Document.Text); // in the decoded fields
        Assert.Contains("|220 .[2J.[31mPWN|", ui.Ui.Window.Detail.Document.Text); // the hex dump's ASCII side

        // No cell of the screen holds a control character or a bidi control, nor Terminal.Gui's own
        // picture of one (which would mean the raw byte reached the driver).
        for (int y = 0; y < ui.App.Driver!.Rows; y++)
        {
            for (int x = 0; x < ui.App.Driver.Cols; x++)
            {
                string grapheme = ui.App.Driver.Contents![y, x].Grapheme ?? "";
                foreach (char c in grapheme)
                {
                    Assert.False(Core.Output.TerminalText.NeedsEscape(c), $"control U+{(int)c:x4} drawn at {x},{y}");
                    Assert.False(c is >= '\u2400' and <= '\u2426', $"control picture U+{(int)c:x4} drawn at {x},{y}");
                }
            }
        }
    }
}
