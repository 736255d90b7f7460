using Inspector.Core.Analysis;
using Inspector.Core.Model;
using Inspector.Core.Streams;
using Inspector.Tui.Tests.Kit;
using Terminal.Gui.Input;

namespace Inspector.Tui.Tests.Views;

/// <summary>PASS arguments are redacted in every pane unless the user asked to see them (--show-passwords).</summary>
public sealed class PasswordTests
{
    private static SessionStore Login(bool showPasswords)
    {
        var store = new SessionStore();
        Stores.Analyze(store, Stores.Session(1), AnalyzerOptions.Default with { ShowPasswords = showPasswords },
            new OpenEvent(Stores.T(0), false),
            new DataEvent(Direction.ServerToClient, 0, Stores.T(1), "220 ready\r\n"u8.ToArray()),
            new DataEvent(Direction.ClientToServer, 0, Stores.T(2), "USER alice\r\n"u8.ToArray()),
            new DataEvent(Direction.ServerToClient, 11, Stores.T(3), "331 password please\r\n"u8.ToArray()),
            new DataEvent(Direction.ClientToServer, 12, Stores.T(4), "PASS s3cr3t-hunter2\r\n"u8.ToArray()),
            new DataEvent(Direction.ServerToClient, 32, Stores.T(5), "230 logged in\r\n"u8.ToArray()));
        return store;
    }

    /// <summary>Everything the UI can show of the session: the screen with each row selected in turn, and each row's detail.</summary>
    private static string EverythingShown(Headless ui)
    {
        var seen = new System.Text.StringBuilder();
        ui.Press(Key.Tab);
        ui.Press(Key.Home);
        for (int i = 0; i < ui.Ui.CurrentSession!.RowCount; i++)
        {
            seen.AppendLine(ui.Screen).AppendLine(ui.Ui.Window.Detail.Document.Text);
            ui.Press(Key.CursorDown);
        }
        return seen.ToString();
    }

    [Fact(Timeout = 30_000)]
    public async Task The_password_is_redacted_everywhere_by_default()
    {
        await Task.Yield();
        using var ui = new Headless(new TuiSource { Title = "login", Store = Login(showPasswords: false) }, 120, 40);
        string shown = EverythingShown(ui);
        Assert.Contains("PASS ********", shown);
        Assert.DoesNotContain("s3cr3t", shown);
        Assert.DoesNotContain("73 33 63 72", shown); // nor in the hex dump ("s3cr")
    }

    [Fact(Timeout = 30_000)]
    public async Task The_password_is_shown_when_asked_for()
    {
        await Task.Yield();
        using var ui = new Headless(new TuiSource { Title = "login", Store = Login(showPasswords: true) }, 120, 40);
        Assert.Contains("PASS s3cr3t-hunter2", EverythingShown(ui));
    }

    /// <summary>A real login recorded from curl against proftpd: the password it sent, read from the capture's own bytes.</summary>
    private const string RealCapture = "ftp-plain-curl-proftpd.pcap";

    private static string RealPassword()
    {
        string raw = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(TestEnvironment.Capture(RealCapture)));
        int at = raw.IndexOf("PASS ", StringComparison.Ordinal) + 5;
        return raw[at..raw.IndexOf('\r', at)];
    }

    [Fact(Timeout = 60_000)]
    public async Task A_real_sessions_password_is_redacted_everywhere_by_default()
    {
        await Task.Yield();
        string password = RealPassword();
        Assert.True(password.Length >= 6, password);
        using (var ui = new Headless(new TuiSource { Title = "real", Store = Stores.FromCapture(RealCapture) }, 120, 40))
        {
            string shown = EverythingShown(ui);
            Assert.Contains("PASS ********", shown);
            Assert.DoesNotContain(password, shown);
            Assert.DoesNotContain(string.Join(' ', System.Text.Encoding.ASCII.GetBytes(password[..4]).Select(b => b.ToString("x2"))), shown);
        }
        using (var ui = new Headless(new TuiSource { Title = "real", Store = Stores.FromCapture(RealCapture, AnalyzerOptions.Default with { ShowPasswords = true }) }, 120, 40))
        {
            Assert.Contains("PASS " + password, EverythingShown(ui)); // asked for, it is there: the check above would have seen it
        }
    }
}
