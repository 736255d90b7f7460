namespace Inspector.Capture.Files;

/// <summary>
/// Reads a file front to back in exact-size pieces through one reusable buffer, and knows the
/// byte offset of everything it returns, so errors can name where a file is cut off.
/// </summary>
internal sealed class FileBuffer(Stream stream) : IDisposable
{
    // A window of the file read ahead in large reads: asking the stream for each 8-byte block
    // header and each packet separately cost two stream calls per packet (a tenth of `read` on
    // a bulk capture went to the stream's own buffering and copying).
    private const int WindowSize = 1 << 20;
    private byte[] window = new byte[WindowSize];
    private int start, end; // unread bytes: window[start..end)

    /// <summary>Offset in the file of the next byte to read.</summary>
    public long Position { get; private set; }

    /// <summary>
    /// Reads exactly <paramref name="count"/> bytes; they stay valid until the next call. Returns
    /// how many were there: fewer than asked means the file ended.
    /// </summary>
    public int Read(int count, out Memory<byte> bytes)
    {
        // A corrupt length must not cost memory: never ask for more than the file still holds
        // (when its length is known), and grow the window only to that.
        if (count > window.Length && stream.CanSeek) count = (int)Math.Min(count, Math.Max(0, stream.Length - Position));
        if (end - start < count) Fill(count);
        int got = Math.Min(count, end - start);
        bytes = window.AsMemory(start, got);
        start += got;
        Position += got;
        return got;
    }

    /// <summary>Moves the unread bytes to the front and reads until at least <paramref name="count"/> are there or the file ends.</summary>
    private void Fill(int count)
    {
        int unread = end - start;
        if (window.Length < count)
        {
            var bigger = new byte[Math.Max(count, Math.Min(window.Length * 2, int.MaxValue / 2))];
            window.AsSpan(start, unread).CopyTo(bigger);
            window = bigger;
        }
        else
        {
            window.AsSpan(start, unread).CopyTo(window);
        }
        start = 0;
        end = unread;
        while (end < count)
        {
            int n = stream.Read(window.AsSpan(end));
            if (n == 0) break;
            end += n;
        }
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
