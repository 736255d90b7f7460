namespace Inspector.Tui.Views;

/// <summary>The keys, as the help overlay and the status bar describe them.</summary>
internal static class KeyHelp
{
    /// <summary>Short enough for the status bar of an 80-column terminal.</summary>
    public const string StatusKeys = "?:help /:filter n/N:finding f:follow p:pause s:save q:quit";

    /// <summary>For narrow terminals: the letters, with help first.</summary>
    public const string ShortStatusKeys = "?:help / n N f p s q";

    /// <summary>Each line fits an 80-column terminal.</summary>
    public static readonly (string Keys, string What)[] All =
    [
        ("Tab, Shift+Tab", "next / previous pane"),
        ("Enter", "open: session -> timeline -> detail"),
        ("Up Down PgUp PgDn", "move in the focused pane"),
        ("Home End", "first / last row (mouse: click, wheel)"),
        ("/", "filter sessions by text, address or finding;"),
        ("", "error, warning, info: at least that severe;"),
        ("", "addr: finding: sev: text: say which"),
        ("n, N", "next / previous finding, all sessions"),
        ("f", "follow the newest session and row"),
        ("p", "pause / resume the display"),
        ("", "(traffic that arrives meanwhile is kept)"),
        ("o, O", "sort by the next column / reverse"),
        ("", "(or click a column header)"),
        ("s, S", "save selected / all listed as pcapng"),
        ("Esc", "close help or prompt; clear the filter"),
        ("q", "quit (asks if live sessions are open)"),
        ("Ctrl+C", "quit at once"),
        ("", ""),
        ("!! ! i", "error, warning, note finding"),
        ("»", "the bytes a finding is about"),
        ("12*", "session 12 is still open"),
    ];
}
