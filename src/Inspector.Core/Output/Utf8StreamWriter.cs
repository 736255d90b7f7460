using System.Text;

namespace Inspector.Core.Output;

/// <summary>
/// A buffered UTF-8 text writer over a byte stream that also takes text already encoded as
/// UTF-8. JSON lines are built as UTF-8; through a <see cref="StreamWriter"/> each was decoded to
/// characters and encoded back, which was a tenth of the output thread's time on a control-heavy
/// capture. Text and raw lines share one buffer, so they stay in order. Not thread-safe, like
/// <see cref="StreamWriter"/>.
/// </summary>
public sealed class Utf8StreamWriter : TextWriter
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private readonly Stream stream;
    private readonly bool leaveOpen;
    private readonly Encoder encoder = Utf8NoBom.GetEncoder();
    private readonly byte[] buffer;
    private int used;

    public Utf8StreamWriter(Stream stream, int bufferSize = 1 << 16, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        // Room for at least one encoded character (4 bytes) after a flush.
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 16);
        this.stream = stream;
        this.leaveOpen = leaveOpen;
        buffer = new byte[bufferSize];
        CoreNewLine = ['\n'];
    }

    public override Encoding Encoding => Utf8NoBom;

    public override void Write(char value) => Write(new ReadOnlySpan<char>(in value));

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(ReadOnlySpan<char> chars)
    {
        while (true)
        {
            // The encoder throws rather than write nothing when one character (up to 4 bytes) does not fit.
            if (buffer.Length - used < 4) Drain();
            // An encoder, not a one-shot conversion: a surrogate pair split across two writes stays one character.
            encoder.Convert(chars, buffer.AsSpan(used), flush: false, out int charsUsed, out int bytesUsed, out _);
            used += bytesUsed;
            chars = chars[charsUsed..];
            // A trailing high surrogate stays in the encoder until its pair comes.
            if (chars.IsEmpty) return;
            Drain();
        }
    }

    public override void WriteLine(ReadOnlySpan<char> chars)
    {
        Write(chars);
        Write(CoreNewLine);
    }

    public override void WriteLine(string? value) => WriteLine(value.AsSpan());

    /// <summary>Appends bytes that are already UTF-8, as they are.</summary>
    public void WriteUtf8(ReadOnlySpan<byte> utf8)
    {
        EndPendingCharacter();
        while (!utf8.IsEmpty)
        {
            if (used == buffer.Length) Drain();
            int n = Math.Min(utf8.Length, buffer.Length - used);
            utf8[..n].CopyTo(buffer.AsSpan(used));
            used += n;
            utf8 = utf8[n..];
        }
    }

    /// <summary>Appends one UTF-8 line and the line end.</summary>
    public void WriteUtf8Line(ReadOnlySpan<byte> utf8)
    {
        WriteUtf8(utf8);
        Write(CoreNewLine);
    }

    /// <summary>True when the line end is a single '\n', so '\n'-separated UTF-8 lines can be written as one block.</summary>
    public bool NewLineIsLineFeed => CoreNewLine is ['\n'];

    public override void Flush()
    {
        EndPendingCharacter();
        Drain();
        stream.Flush();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
            if (!leaveOpen) stream.Dispose();
        }
        base.Dispose(disposing);
    }

    // A high surrogate still waiting for its pair when raw bytes or a flush come is written as
    // U+FFFD, as StreamWriter does at a flush, rather than dropped.
    private void EndPendingCharacter()
    {
        if (used + 4 > buffer.Length) Drain();
        encoder.Convert(ReadOnlySpan<char>.Empty, buffer.AsSpan(used), flush: true, out _, out int bytesUsed, out _);
        used += bytesUsed;
    }

    private void Drain()
    {
        if (used == 0) return;
        stream.Write(buffer, 0, used);
        used = 0;
    }
}
