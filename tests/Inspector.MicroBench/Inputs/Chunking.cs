namespace Inspector.MicroBench.Inputs;

/// <summary>How a benchmark hands a stream to a decoder.</summary>
public enum Chunking
{
    /// <summary>The whole direction in one call: the decoder's best case.</summary>
    Whole,
    /// <summary>Eight bytes per call: every line and record header is cut, the worst case a slow link or a fuzzer gives.</summary>
    EightBytes,
}

public static class Chunks
{
    /// <summary>Cuts <paramref name="stream"/> once, in the benchmark's setup, so the measured loop only decodes.</summary>
    public static ReadOnlyMemory<byte>[] Cut(byte[] stream, Chunking chunking)
    {
        if (chunking == Chunking.Whole) return [stream];
        const int size = 8;
        var chunks = new ReadOnlyMemory<byte>[(stream.Length + size - 1) / size];
        for (int i = 0; i < chunks.Length; i++)
        {
            chunks[i] = stream.AsMemory(i * size, Math.Min(size, stream.Length - i * size));
        }
        return chunks;
    }
}
