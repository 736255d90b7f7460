using System.Text;

namespace Inspector.Core.Output;

/// <summary>
/// Writes lines that were built as UTF-8 (JSON) to a <see cref="TextWriter"/>: as bytes when it
/// is a <see cref="Utf8StreamWriter"/>, else through one reusable character buffer, so a line
/// costs no string either way.
/// </summary>
internal sealed class Utf8LineWriter(TextWriter writer)
{
    private readonly Utf8StreamWriter? bytes = writer as Utf8StreamWriter;
    private char[] chars = new char[1024];

    public void WriteLine(ReadOnlySpan<byte> utf8)
    {
        if (bytes is not null)
        {
            bytes.WriteUtf8Line(utf8);
            return;
        }
        if (chars.Length < utf8.Length) chars = new char[Math.Max(utf8.Length, chars.Length * 2)];
        int n = Encoding.UTF8.GetChars(utf8, chars);
        writer.WriteLine(chars.AsSpan(0, n));
    }

    /// <summary>Writes a block of whole lines, each ended by '\n' (which JSON never holds raw).</summary>
    public void WriteLines(ReadOnlySpan<byte> block)
    {
        if (bytes is { NewLineIsLineFeed: true })
        {
            bytes.WriteUtf8(block);
            return;
        }
        while (!block.IsEmpty)
        {
            int end = block.IndexOf((byte)'\n');
            WriteLine(block[..end]);
            block = block[(end + 1)..];
        }
    }
}
