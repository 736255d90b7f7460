using System.Drawing;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Tui.Model;
using Inspector.Tui.Tests.Kit;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;
using Xunit.Abstractions;

namespace Inspector.Tui.Tests.Views;

public sealed class MouseTests(ITestOutputHelper output)
{
    private static SessionStore FourSessions()
    {
        var store = new SessionStore();
        for (int id = 1; id <= 4; id++)
        {
            var info = Stores.Session(id);
            store.Output(info, Stores.Event(id, $"220 session {id}", Direction.ServerToClient, 0, "220\r\n"));
            if (id == 3) store.Output(info, Stores.Finding(id, "ftps.plaintext_after_auth", Severity.Error));
        }
        return store;
    }

    private static void Click(Headless ui, int x, int y)
    {
        ui.App.InjectSequence(InputInjectionExtensions.LeftButtonClick(new Point(x, y)));
        ui.Draw();
    }

    [Fact(Timeout = 30_000)]
    public async Task A_click_on_a_header_sorts_and_a_click_on_a_row_selects()
    {
        await Task.Yield();
        using var ui = new Headless(new TuiSource { Title = "mouse", Store = FourSessions() }, 100, 30);
        output.WriteLine(ui.Screen);
        Assert.Equal(3, ui.Ui.CurrentSession!.Id); // the session with the error was opened first

        int header = ui.LineOf("Client → Server");
        Click(ui, ui.Lines[header].IndexOf("Findings", StringComparison.Ordinal) + 1, header);
        output.WriteLine(ui.Screen);
        Assert.Equal(SessionSortKey.Findings, ui.Ui.Sessions.Order.Key);
        Assert.Equal(3, ui.Ui.Sessions[0].Id);
        Click(ui, ui.Lines[header].IndexOf("Findings", StringComparison.Ordinal) + 1, header);
        Assert.False(ui.Ui.Sessions.Order.Descending); // a second click reverses
        Assert.Equal(3, ui.Ui.Sessions[ui.Ui.Sessions.Count - 1].Id);

        int row = ui.LineOf("10.0.0.1:40002");
        Click(ui, 5, row);
        Assert.Equal(2, ui.Ui.CurrentSession!.Id);
        Assert.Contains("220 session 2", ui.Screen);
    }
}
