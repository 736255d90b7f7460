using Inspector.Tui.Tests.Kit;
using Terminal.Gui.Input;
using Xunit.Abstractions;

namespace Inspector.Tui.Tests.Views;

public sealed class LayoutTests(ITestOutputHelper output)
{
    private static TuiSource Seed() => new() { Title = "read seed", Store = Stores.FromCapture(TestEnvironment.SeedCapture) };

    [Fact(Timeout = 30_000)]
    public async Task At_80x24_every_pane_the_desync_and_the_keys_are_visible()
    {
        await Task.Yield();
        using var ui = new Headless(Seed(), 80, 24);
        output.WriteLine(ui.Screen);
        Assert.Equal(24, ui.Lines.Count(l => l.Length > 0));
        Assert.Contains("Sessions — read seed", ui.Screen);
        Assert.Contains("Timeline — session 1", ui.Screen);
        Assert.Contains("Detail", ui.Screen);
        Assert.Contains("550 TLS handshake failed", ui.Screen);
        Assert.Contains("ftps.plaintext_after_auth", ui.Screen);
        Assert.Contains("?:help", ui.Lines[23]);
        Assert.All(ui.Lines.Take(24), l => Assert.True(l.TrimEnd().Length <= 80));
    }

    [Fact(Timeout = 30_000)]
    public async Task The_panes_follow_a_resize()
    {
        await Task.Yield();
        using var ui = new Headless(Seed(), 80, 24);
        ui.App.Driver!.SetScreenSize(140, 45);
        ui.Draw();
        output.WriteLine(ui.Screen);
        // Wider: the whole ClientHello summary fits, and the taller timeline shows the reset at the end.
        Assert.Contains("7 suites, 0 extensions", ui.Screen);
        Assert.Contains("server resets the connection (RST)", ui.Screen);
        int timeline = ui.LineOf("Timeline — session 1");
        int detail = ui.LineOf("─┤Detail");
        Assert.True(detail - timeline > 10, $"timeline pane {detail - timeline} lines high at 45 rows");

        ui.App.Driver.SetScreenSize(60, 20);
        ui.Draw();
        output.WriteLine(ui.Screen);
        Assert.Contains("Timeline", ui.Screen);
        Assert.Contains("?:help", ui.Lines[19]);
    }

    [Fact(Timeout = 30_000)]
    public async Task Tab_and_Enter_move_between_panes_and_help_opens_and_closes()
    {
        await Task.Yield();
        using var ui = new Headless(Seed(), 100, 30);
        Assert.True(ui.Ui.Window.SessionsTable.HasFocus);
        ui.Press(Key.Enter);
        Assert.True(ui.Ui.Window.TimelineTable.HasFocus);
        Assert.Contains("▶ Timeline", ui.Screen);
        ui.Press(Key.Enter);
        Assert.True(ui.Ui.Window.Detail.HasFocus);
        ui.Press(Key.Tab);
        Assert.True(ui.Ui.Window.SessionsTable.HasFocus);
        ui.Press(Key.Tab.WithShift);
        Assert.True(ui.Ui.Window.Detail.HasFocus);

        // The detail pane scrolls with the keys when focused.
        ui.Press(Key.PageDown);
        Assert.True(ui.Ui.Window.Detail.Top > 0);

        ui.Press('?');
        Assert.Contains("Keys (any key closes)", ui.Screen);
        Assert.Contains("next / previous finding", ui.Screen);
        ui.Press('x');
        Assert.DoesNotContain("Keys (any key closes)", ui.Screen);
        Assert.False(ui.Ui.QuitRequested);
    }

    [Fact(Timeout = 30_000)]
    public async Task Switching_to_a_shorter_session_leaves_nothing_of_the_longer_one_on_screen()
    {
        await Task.Yield();
        var store = new SessionStore();
        for (int i = 0; i < 12; i++) store.Output(Stores.Session(1), Stores.Event(i, $"alpha row {i} " + new string('a', 60)));
        store.Output(Stores.Session(2), Stores.Event(20, "beta"));
        using var ui = new Headless(new TuiSource { Title = "t", Store = store }, 100, 30);
        Assert.Contains("alpha row 3", ui.Screen);
        ui.Press(Key.CursorDown);
        output.WriteLine(ui.Screen);
        Assert.Equal(2, ui.Ui.CurrentSession!.Id);
        Assert.DoesNotContain("alpha", ui.Screen);
        Assert.DoesNotContain("aaaa", ui.Screen);
    }
}
