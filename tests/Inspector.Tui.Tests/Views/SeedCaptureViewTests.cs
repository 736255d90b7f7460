using Inspector.Core.Findings;
using Inspector.Tui.Tests.Kit;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Xunit.Abstractions;

namespace Inspector.Tui.Tests.Views;

/// <summary>The case the project exists for, as the UI shows it: the seed capture on the headless driver.</summary>
public sealed class SeedCaptureViewTests(ITestOutputHelper output)
{
    private static Headless Open(int width = 100, int height = 30, bool color = true) =>
        new(new TuiSource { Title = "read seed", Store = Stores.FromCapture(TestEnvironment.SeedCapture) }, width, height, color);

    [Fact(Timeout = 30_000)]
    public async Task The_failed_session_is_drawn_red()
    {
        await Task.Yield();
        using Headless ui = Open();
        // Select nothing in the sessions pane so the row shows its own colours, not the selection's.
        ui.Press(Key.Tab);
        output.WriteLine(ui.Screen);
        Assert.Contains("127.0.0.1:48864 → 127.0.0.1:2128", ui.Screen);
        Assert.Contains("failed", ui.Screen);
        Assert.Contains("1E 1W", ui.Screen);
        var cell = ui.AttributeAt("127.0.0.1:48864 →");
        // Unfocused and focused-selected rows both draw in the error colours (red as the background or the text).
        Assert.True(cell.Background == Color.Red || cell.Foreground == Color.Red, $"session row drawn {cell}");
    }

    [Fact(Timeout = 30_000)]
    public async Task The_timeline_shows_the_plaintext_550_right_after_the_ClientHello_marked_as_the_desync()
    {
        await Task.Yield();
        using Headless ui = Open();
        output.WriteLine(ui.Screen);
        int hello = ui.LineOf("TLS ClientHello");
        int reply = ui.LineOf("550 TLS handshake failed");
        int finding = ui.LineOf("ftps.plaintext_after_auth");
        Assert.True(hello >= 0 && reply > hello && finding > reply, $"ClientHello at line {hello}, 550 at {reply}, finding at {finding}:\n{ui.Screen}");
        // Nothing else from the server between the ClientHello and the 550 except the client's own warning.
        Assert.All(ui.Lines[(hello + 1)..reply], l => Assert.DoesNotContain("S→C", l));
        // The 550 reply carries the mark of bytes an error is about, in the error colour.
        Assert.StartsWith("»", ui.Lines[reply].TrimStart());
        Assert.Equal(Color.BrightRed, ui.AttributeAt("550 TLS handshake failed").Foreground);
        // The finding row is selected (its colours swapped); once the selection moves off it, it is red.
        Assert.Equal(Color.Red, ui.AttributeAt("ftps.plaintext_after_auth").Foreground);
        ui.Press('N');
        Assert.Equal(Color.Red, ui.AttributeAt("ftps.plaintext_after_auth").Background);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_detail_pane_opens_on_the_error_with_its_explanation_and_highlighted_evidence()
    {
        await Task.Yield();
        using Headless ui = Open(width: 120, height: 50);
        output.WriteLine(ui.Screen);
        Assert.True(ui.Ui.CurrentSession is { Errors: 1 });
        string detail = ui.Ui.Window.Detail.Document.Text;
        Assert.Contains("ERROR ftps.plaintext_after_auth", detail);
        Assert.Contains("Explanation", detail);
        Assert.Contains("Content Type 53 is not supported", detail);
        Assert.Contains("Explanation", ui.Screen);
        // The evidence: "550 T..." inside the reply's bytes, highlighted in the hex dump at the end of the pane.
        ui.Press(Key.Tab);
        ui.Press(Key.Tab);
        ui.Press(Key.End);
        output.WriteLine(ui.Screen);
        int dump = ui.LineOf("|550 TLS handshak|");
        Assert.True(dump >= 0, "the hex dump is on the screen");
        Assert.Contains("95  35 35 30 20 54 4c 53 20  68 61 6e 64 73 68 61 6b", ui.Lines[dump]);
        int x = ui.Lines[dump].IndexOf("35 35 30", StringComparison.Ordinal);
        Assert.Equal(Color.Red, ui.App.Driver!.Contents![dump, x].Attribute!.Value.Background);
    }

    [Fact(Timeout = 30_000)]
    public async Task Next_and_previous_finding_move_the_selection()
    {
        await Task.Yield();
        using Headless ui = Open();
        int error = ui.Ui.CurrentRow;
        Assert.Contains("plaintext_after_auth", ui.Ui.Window.Detail.Document.Text);

        ui.Press('N');
        int warning = ui.Ui.CurrentRow;
        Assert.True(warning < error, $"N went back from row {error} to {warning}");
        Assert.Contains("tls.legacy_version_only", ui.Ui.Window.Detail.Document.Text);
        Assert.Contains($"row {warning + 1}/", ui.Screen);

        ui.Press('n');
        Assert.Equal(error, ui.Ui.CurrentRow);

        // One session, two findings: the next one wraps round to the warning, and the status says so.
        ui.Press('n');
        Assert.Equal(warning, ui.Ui.CurrentRow);
        Assert.Contains("wrapped", ui.Screen);
    }

    [Fact(Timeout = 30_000)]
    public async Task Filtering_by_finding_name_severity_and_text_moves_the_selection()
    {
        await Task.Yield();
        using Headless ui = Open();

        ui.Press('/');
        Assert.True(ui.Ui.Window.Prompt.IsOpen);
        ui.Type("legacy_version");
        ui.Press(Key.Enter);
        Assert.False(ui.Ui.Window.Prompt.IsOpen);
        Assert.Equal(1, ui.Ui.Sessions.Count);
        Assert.Contains("tls.legacy_version_only", ui.Ui.Window.Detail.Document.Text);
        output.WriteLine(ui.Screen);
        Assert.Contains("1 of 1 match \"legacy_version\"", ui.Screen);

        // A word no row has hides the session.
        ui.Ui.ApplyFilter("no-such-thing-anywhere");
        ui.Draw();
        Assert.Equal(0, ui.Ui.Sessions.Count);
        Assert.DoesNotContain("127.0.0.1:48864 →", ui.Screen);

        // A severity selects the session and its first finding of that severity.
        ui.Ui.ApplyFilter("error");
        ui.Draw();
        Assert.Equal(1, ui.Ui.Sessions.Count);
        Assert.Contains("ftps.plaintext_after_auth", ui.Ui.Window.Detail.Document.Text);

        // Text from a peer: the row with the 550 reply is selected.
        ui.Ui.ApplyFilter("\"handshake failed\"");
        ui.Draw();
        Assert.Contains("550 TLS handshake failed", ui.Ui.Window.Detail.Document.Lines[1].Text);

        // The prompt opens with the filter in force; Esc closes it unchanged, a second Esc clears the filter.
        ui.Press('/');
        Assert.Equal("\"handshake failed\"", ui.Ui.Window.Prompt.Answer);
        ui.Press(Key.Esc);
        Assert.False(ui.Ui.Window.Prompt.IsOpen);
        Assert.False(ui.Ui.Sessions.Filter.IsEmpty);
        ui.Press(Key.Esc);
        Assert.True(ui.Ui.Sessions.Filter.IsEmpty);
        Assert.Contains("127.0.0.1:48864 →", ui.Screen);
    }

    [Fact(Timeout = 30_000)]
    public async Task Without_colour_rows_are_still_told_apart_by_marks_and_styles()
    {
        await Task.Yield();
        using Headless ui = Open(color: false);
        output.WriteLine(ui.Screen);
        Assert.Contains("!!", ui.Lines[ui.LineOf("ftps.plaintext_after_auth")]);
        Terminal.Gui.Drawing.Attribute finding = ui.AttributeAt("ftps.plaintext_after_auth");
        Assert.True(finding.Style.HasFlag(TextStyle.Reverse) || finding.Style.HasFlag(TextStyle.Bold), $"finding row drawn {finding}");
        Assert.Equal(finding.Foreground, ui.AttributeAt("AUTH TLS successful").Foreground);
    }
}
