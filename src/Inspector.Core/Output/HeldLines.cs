using System.Buffers;

namespace Inspector.Core.Output;

/// <summary>
/// A session's output lines held back for grouped output, as UTF-8 in pooled 16 KB chunks:
/// a growing array per session was a quarter of what `read --json` allocated, since each
/// doubling copied it again. A line never straddles chunks.
/// </summary>
internal sealed class HeldLines
{
    private const int ChunkSize = 16 * 1024;
    private readonly List<(byte[] Chunk, int Used)> chunks = [];

    public int Count { get; private set; }

    public void Add(ReadOnlySpan<byte> utf8)
    {
        int need = utf8.Length + 1;
        if (chunks.Count == 0 || chunks[^1].Chunk.Length - chunks[^1].Used < need)
        {
            chunks.Add((ArrayPool<byte>.Shared.Rent(Math.Max(ChunkSize, need)), 0));
        }
        (byte[] chunk, int used) = chunks[^1];
        utf8.CopyTo(chunk.AsSpan(used));
        chunk[used + utf8.Length] = (byte)'\n';
        chunks[^1] = (chunk, used + need);
        Count++;
    }

    /// <summary>Writes every line in order and returns the chunks to the pool.</summary>
    public void WriteTo(Utf8LineWriter lines)
    {
        foreach ((byte[] chunk, int used) in chunks)
        {
            // JSON lines never hold a raw newline (the encoder escapes it), so '\n' ends each.
            lines.WriteLines(chunk.AsSpan(0, used));
            ArrayPool<byte>.Shared.Return(chunk);
        }
        chunks.Clear();
        Count = 0;
    }
}
