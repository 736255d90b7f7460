using Inspector.Core.Findings;
using Inspector.Tui.Model;
using Terminal.Gui.Drawing;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace Inspector.Tui.Views;

/// <summary>
/// Every colour the UI uses, in one place. Errors are red, warnings yellow, notes cyan. Without
/// colour (<c>NO_COLOR</c>) the same roles are told apart by bold, underline and reverse video,
/// and every coloured row also carries a text mark (!!, !, i, »), so nothing depends on colour.
/// </summary>
internal sealed class Palette
{
    private Palette(bool color)
    {
        Color = color;
        if (color)
        {
            Base = Scheme(new Attribute(Terminal.Gui.Drawing.Color.Gray, Terminal.Gui.Drawing.Color.Black),
                focus: new Attribute(Terminal.Gui.Drawing.Color.Black, Terminal.Gui.Drawing.Color.BrightCyan));
            ErrorRow = Scheme(new Attribute(Terminal.Gui.Drawing.Color.White, Terminal.Gui.Drawing.Color.Red),
                focus: new Attribute(Terminal.Gui.Drawing.Color.Red, Terminal.Gui.Drawing.Color.White));
            WarningRow = Scheme(new Attribute(Terminal.Gui.Drawing.Color.Black, Terminal.Gui.Drawing.Color.Yellow),
                focus: new Attribute(Terminal.Gui.Drawing.Color.Yellow, Terminal.Gui.Drawing.Color.Black));
            InfoRow = Scheme(new Attribute(Terminal.Gui.Drawing.Color.BrightCyan, Terminal.Gui.Drawing.Color.Black),
                focus: new Attribute(Terminal.Gui.Drawing.Color.Black, Terminal.Gui.Drawing.Color.BrightCyan));
            ErrorText = Scheme(new Attribute(Terminal.Gui.Drawing.Color.BrightRed, Terminal.Gui.Drawing.Color.Black, TextStyle.Bold),
                focus: new Attribute(Terminal.Gui.Drawing.Color.Black, Terminal.Gui.Drawing.Color.BrightRed));
            WarningText = Scheme(new Attribute(Terminal.Gui.Drawing.Color.BrightYellow, Terminal.Gui.Drawing.Color.Black, TextStyle.Bold),
                focus: new Attribute(Terminal.Gui.Drawing.Color.Black, Terminal.Gui.Drawing.Color.BrightYellow));
            Dim = new Attribute(Terminal.Gui.Drawing.Color.DarkGray, Terminal.Gui.Drawing.Color.Black);
            Heading = new Attribute(Terminal.Gui.Drawing.Color.White, Terminal.Gui.Drawing.Color.Black, TextStyle.Bold);
            Label = new Attribute(Terminal.Gui.Drawing.Color.BrightCyan, Terminal.Gui.Drawing.Color.Black);
            Status = new Attribute(Terminal.Gui.Drawing.Color.Black, Terminal.Gui.Drawing.Color.Gray);
            Header = Scheme(new Attribute(Terminal.Gui.Drawing.Color.White, Terminal.Gui.Drawing.Color.Black, TextStyle.Bold | TextStyle.Underline),
                focus: new Attribute(Terminal.Gui.Drawing.Color.White, Terminal.Gui.Drawing.Color.Black, TextStyle.Bold | TextStyle.Underline));
        }
        else
        {
            var plain = new Attribute(Terminal.Gui.Drawing.Color.White, Terminal.Gui.Drawing.Color.Black);
            Attribute With(TextStyle style) => new(plain.Foreground, plain.Background, style);
            Base = Scheme(plain, focus: With(TextStyle.Reverse));
            ErrorRow = Scheme(With(TextStyle.Bold | TextStyle.Underline), focus: With(TextStyle.Reverse | TextStyle.Bold));
            WarningRow = Scheme(With(TextStyle.Underline), focus: With(TextStyle.Reverse | TextStyle.Underline));
            InfoRow = Scheme(plain, focus: With(TextStyle.Reverse));
            ErrorText = Scheme(With(TextStyle.Bold), focus: With(TextStyle.Reverse | TextStyle.Bold));
            WarningText = Scheme(With(TextStyle.Bold), focus: With(TextStyle.Reverse | TextStyle.Bold));
            Dim = plain;
            Heading = With(TextStyle.Bold);
            Label = plain;
            Status = With(TextStyle.Reverse);
            Header = Scheme(With(TextStyle.Bold | TextStyle.Underline), focus: With(TextStyle.Bold | TextStyle.Underline));
        }
    }

    /// <summary>NO_COLOR set to anything non-empty turns colour off (https://no-color.org).</summary>
    public static Palette FromEnvironment(bool? color = null) =>
        new(color ?? string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")));

    public bool Color { get; }

    public Scheme Base { get; }

    /// <summary>A session with an error, an error finding row.</summary>
    public Scheme ErrorRow { get; }

    public Scheme WarningRow { get; }

    public Scheme InfoRow { get; }

    /// <summary>A timeline event whose bytes an error finding is about: the point where the desync happened.</summary>
    public Scheme ErrorText { get; }

    public Scheme WarningText { get; }

    public Attribute Dim { get; }

    public Attribute Heading { get; }

    public Attribute Label { get; }

    public Attribute Status { get; }

    /// <summary>Table column headers.</summary>
    public Scheme Header { get; }

    public Scheme? RowScheme(Severity? severity) => severity switch
    {
        Severity.Error => ErrorRow,
        Severity.Warning => WarningRow,
        Severity.Info => InfoRow,
        _ => null,
    };

    public Scheme? EvidenceScheme(Severity? severity) => severity switch
    {
        Severity.Error => ErrorText,
        Severity.Warning => WarningText,
        _ => null,
    };

    public Attribute For(DetailStyle style) => style switch
    {
        DetailStyle.Heading => Heading,
        DetailStyle.Label => Label,
        DetailStyle.Dim => Dim,
        DetailStyle.Error => ErrorText.Normal,
        DetailStyle.Warning => WarningText.Normal,
        DetailStyle.Info => InfoRow.Normal,
        DetailStyle.ErrorEvidence => ErrorRow.Normal,
        DetailStyle.WarningEvidence => WarningRow.Normal,
        DetailStyle.InfoEvidence => InfoRow.Focus,
        _ => Base.Normal,
    };

    private static Scheme Scheme(Attribute normal, Attribute focus) => new(normal)
    {
        Focus = focus,
        Active = focus,
        HotNormal = normal,
        HotFocus = focus,
        Highlight = focus,
    };
}
