using System.Text;

namespace Inspector.Core.Output;

/// <summary>
/// Writes lines that were built as UTF-8 (JSON) to a <see cref="TextWriter"/> through one
/// reusable character buffer, so a line costs no string.
/// </summary>
internal sealed class Utf8LineWriter(TextWriter writer)
{
    private char[] chars = new char[1024];

    public void WriteLine(ReadOnlySpan<byte> utf8)
    {
        if (chars.Length < utf8.Length) chars = new char[Math.Max(utf8.Length, chars.Length * 2)];
        int n = Encoding.UTF8.GetChars(utf8, chars);
        writer.WriteLine(chars.AsSpan(0, n));
    }
}
