using System.Buffers;

namespace Inspector.Core.Output;

/// <summary>
/// A session's output lines held back for grouped output, as UTF-8 in 16 KB chunks reused across
/// sessions (<see cref="HeldChunks"/>): a growing array per session was a quarter of what
/// `read --json` allocated, since each doubling copied it again. The JSON writer writes each line straight in (it is an
/// <see cref="IBufferWriter{T}"/>), one copy fewer per line than formatting elsewhere and
/// copying. A line never straddles chunks, and every line ends with '\n'.
/// </summary>
internal sealed class HeldLines(HeldChunks chunks) : IBufferWriter<byte>
{
    /// <summary>Lines with chunks of their own (tests).</summary>
    public HeldLines()
        : this(new HeldChunks())
    {
    }

    private readonly List<(byte[] Chunk, int Used)> full = [];
    private byte[]? current;
    private int used;
    private int lineStart;

    public int Count { get; private set; }

    public void Add(ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(GetSpan(utf8.Length));
        Advance(utf8.Length);
        EndLine();
    }

    /// <summary>Ends the line written so far.</summary>
    public void EndLine()
    {
        // GetSpan always keeps this one byte free.
        if (current is null) Reserve(0);
        current![used++] = (byte)'\n';
        lineStart = used;
        Count++;
    }

    public void Advance(int count)
    {
        if (current is null || count < 0 || used + count > current.Length - 1) throw new InvalidOperationException("advanced past the buffer given");
        used += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return current.AsMemory(used, current!.Length - 1 - used);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return current.AsSpan(used, current!.Length - 1 - used);
    }

    /// <summary>Writes every line in order and returns the chunks to the pool.</summary>
    public void WriteTo(Utf8LineWriter lines)
    {
        foreach ((byte[] chunk, int n) in full)
        {
            lines.WriteLines(chunk.AsSpan(0, n));
            chunks.Return(chunk);
        }
        full.Clear();
        if (current is not null)
        {
            lines.WriteLines(current.AsSpan(0, lineStart));
            chunks.Return(current);
            current = null;
        }
        used = lineStart = 0;
        Count = 0;
    }

    // Room for sizeHint bytes (at least one) and the line end. A line that does not fit moves,
    // whole, to a new chunk: chunks hold only whole lines.
    private void Reserve(int sizeHint)
    {
        int need = Math.Max(sizeHint, 1) + 1;
        if (current is not null && current.Length - used >= need) return;
        int partial = used - lineStart;
        byte[] next = chunks.Rent(partial + need);
        if (current is not null)
        {
            current.AsSpan(lineStart, partial).CopyTo(next);
            if (lineStart > 0) full.Add((current, lineStart));
            else chunks.Return(current);
        }
        current = next;
        used = partial;
        lineStart = 0;
    }
}
