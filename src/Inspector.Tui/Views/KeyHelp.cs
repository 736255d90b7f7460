namespace Inspector.Tui.Views;

/// <summary>The keys, as the help overlay and the status bar describe them.</summary>
internal static class KeyHelp
{
    /// <summary>Short enough for the status bar of an 80-column terminal.</summary>
    public const string StatusKeys = "?:help /:filter n/N:finding f:follow p:pause s:save q:quit";

    public static readonly (string Keys, string What)[] All =
    [
        ("Tab, Shift+Tab", "next / previous pane (sessions, timeline, detail)"),
        ("Enter", "open: a session's timeline, a row's detail"),
        ("↑ ↓ PgUp PgDn Home End", "move in the focused pane (mouse: click, wheel)"),
        ("/", "filter sessions: words match text, address, finding name;"),
        ("", "error, warning or info: sessions with findings that severe;"),
        ("", "addr:, finding:, sev:, text: say which; \"quotes\" keep spaces"),
        ("n, N", "next / previous finding, across sessions"),
        ("f", "follow the newest session and row (live)"),
        ("p", "pause / resume the display (traffic is still kept)"),
        ("o, O", "sort sessions by the next column / reverse the order"),
        ("s, S", "save the selected / all listed sessions as pcapng"),
        ("Esc", "close this help or a prompt; clear the filter"),
        ("q", "quit (asks while a live proxy has sessions open)"),
        ("Ctrl+C", "quit at once"),
        ("", ""),
        ("Marks", "!! error  ! warning  i note  » bytes a finding is about"),
        ("", "* after a session number: still open"),
    ];
}
