using Inspector.Tui.Views;
using Terminal.Gui.App;
using Terminal.Gui.Drawing;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace Inspector.Tui.Tests.Kit;

/// <summary>
/// The real UI on Terminal.Gui's ANSI driver with terminal I/O switched off: build, lay out,
/// draw, press keys, and read back the screen's text and colours.
/// </summary>
internal sealed class Headless : IDisposable
{
    private readonly SessionToken? token;

    public Headless(TuiSource source, int width = 100, int height = 30, bool color = true)
    {
        App = Application.Create();
        App.Init(DriverRegistry.Names.ANSI);
        App.Driver!.SetScreenSize(width, height);
        Ui = new InspectorUi(App, source, Palette.FromEnvironment(color));
        token = App.Begin(Ui.Window);
        Draw();
    }

    public IApplication App { get; }

    public InspectorUi Ui { get; }

    public string Screen => App.Driver!.ToString() ?? "";

    public string[] Lines => Screen.Split('\n');

    public void Draw() => App.LayoutAndDraw();

    /// <summary>Presses a key as the terminal would deliver it, then redraws.</summary>
    public void Press(Key key)
    {
        App.InjectKey(key);
        Draw();
    }

    public void Press(char c) => Press((Key)c);

    public void Type(string text)
    {
        foreach (char c in text) App.InjectKey((Key)c);
        Draw();
    }

    /// <summary>What one timer round of the running application does: queued Invokes, then the UI's refresh.</summary>
    public void Tick()
    {
        App.TimedEvents!.RunTimers();
        Ui.Tick();
        Draw();
    }

    /// <summary>The line of the screen holding <paramref name="text"/>, or -1.</summary>
    public int LineOf(string text) => Array.FindIndex(Lines, l => l.Contains(text, StringComparison.Ordinal));

    public Attribute AttributeAt(string text)
    {
        int y = LineOf(text);
        Assert.True(y >= 0, $"\"{text}\" is not on the screen:\n{Screen}");
        int x = Lines[y].IndexOf(text, StringComparison.Ordinal);
        return App.Driver!.Contents![y, x].Attribute ?? default;
    }

    public void Dispose()
    {
        if (token is not null) App.End(token);
        Ui.Window.Dispose();
        App.Dispose();
    }
}
