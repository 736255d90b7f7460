using Inspector.Tui.Tests.Kit;

namespace Inspector.Tui.Tests.EndToEnd;

public sealed class TuiNeedsTerminalTests
{
    [Fact(Timeout = 30_000)]
    public async Task Without_a_terminal_read_tui_says_so_instead_of_drawing_into_a_pipe()
    {
        await Task.Yield();
        Assert.True(Console.IsOutputRedirected, "the test host's output is a pipe");
        (int code, string text) = Tools.InspectorRead("--tui", TestEnvironment.Capture(TestEnvironment.SeedCapture));
        Assert.Equal(2, code);
        Assert.Contains("--tui needs a terminal", text);
        Assert.DoesNotContain("\u001b[", text);
    }
}
