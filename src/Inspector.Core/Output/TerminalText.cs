using System.Globalization;
using System.Text;

namespace Inspector.Core.Output;

/// <summary>
/// Makes peer-controlled text safe for a terminal: every C0 and C1 control character (ESC and
/// so CSI/OSC sequences included), DEL, and the Unicode bidirectional controls that can reorder
/// what a reader sees (Trojan Source, CVE-2021-42574) are shown as visible escapes.
/// </summary>
public static class TerminalText
{
    public static string Escape(string text)
    {
        int i = 0;
        while (i < text.Length && !NeedsEscape(text[i])) i++;
        if (i == text.Length) return text;

        var sb = new StringBuilder(text.Length + 16);
        sb.Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (!NeedsEscape(c))
            {
                sb.Append(c);
            }
            else if (c < 0x100)
            {
                sb.Append(c switch
                {
                    '\r' => "\\r",
                    '\n' => "\\n",
                    '\t' => "\\t",
                    _ => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                });
            }
            else
            {
                sb.Append("\\u{").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)).Append('}');
            }
        }
        return sb.ToString();
    }

    /// <summary>True for characters that must not reach a terminal as they are.</summary>
    public static bool NeedsEscape(char c) =>
        c < 0x20 || c is >= '\u007f' and <= '\u009f'
        || c is '\u061c' or '\u200e' or '\u200f' or >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069'
        || c is '\ufeff';
}
