namespace Inspector.Capture.Files;

/// <summary>
/// Reads a file front to back in exact-size pieces through one reusable buffer, and knows the
/// byte offset of everything it returns, so errors can name where a file is cut off.
/// </summary>
internal sealed class FileBuffer(Stream stream) : IDisposable
{
    private byte[] buffer = new byte[64 * 1024];

    /// <summary>Offset in the file of the next byte to read.</summary>
    public long Position { get; private set; }

    /// <summary>
    /// Reads exactly <paramref name="count"/> bytes into the reusable buffer. Returns how many
    /// were there: fewer than asked means the file ended.
    /// </summary>
    public int Read(int count, out Memory<byte> bytes)
    {
        // A corrupt length must not cost memory: never ask for more than the file still holds
        // (when its length is known), and grow the buffer only to that.
        if (count > buffer.Length && stream.CanSeek) count = (int)Math.Min(count, Math.Max(0, stream.Length - Position));
        if (buffer.Length < count) buffer = new byte[Math.Max(count, Math.Min(buffer.Length * 2, int.MaxValue / 2))];
        int got = stream.ReadAtLeast(buffer.AsSpan(0, count), count, throwOnEndOfStream: false);
        Position += got;
        bytes = buffer.AsMemory(0, got);
        return got;
    }

    /// <summary>Skips bytes; returns how many could be skipped.</summary>
    public long Skip(long count)
    {
        long left = count;
        while (left > 0)
        {
            int n = Read((int)Math.Min(left, 64 * 1024), out _);
            if (n == 0) break;
            left -= n;
        }
        return count - left;
    }

    public void Dispose() => stream.Dispose();
}
