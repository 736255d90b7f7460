using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Inspector.Core.Concurrency;

namespace Inspector.Capture.Files;

/// <summary>
/// Reads a file front to back in exact-size pieces, and knows the byte offset of everything it
/// returns, so errors can name where a file is cut off. A thread of its own reads the file a
/// megabyte at a time, a few megabytes ahead: the copy out of the kernel then overlaps the
/// analysis instead of preceding it (a tenth of `read` on a bulk capture), and the analysis
/// asks no system call per block.
/// </summary>
internal sealed class FileBuffer : IDisposable
{
    private const int ChunkSize = 1 << 20;

    /// <summary>Chunks read ahead at most (memory: this many megabytes, plus the one in use).</summary>
    private const int ChunksAhead = 3;

    /// <summary>A piece of the file; a null <see cref="Bytes"/> is the end (or the failure that ended it).</summary>
    private readonly record struct Chunk(byte[]? Bytes, int Length, ExceptionDispatchInfo? Failure = null);

    private readonly Stream stream;
    private readonly BlockingHandoff<Chunk> ahead = new(ChunksAhead);
    private readonly Thread reader;

    // The few chunks in flight, reused for the whole file. The shared array pool, rented on the
    // read-ahead thread and returned on this one, still handed out fresh megabyte arrays (large
    // objects, which start full collections): 61 MB allocated reading a 1 GB capture, now 21 MB.
    private readonly ConcurrentQueue<byte[]> spare = new();

    // The chunk being consumed: bytes current[start..end) are not yet returned.
    private byte[] current = [];
    private int start, end;
    private bool atEnd;

    // A piece that spans two chunks is put together here.
    private byte[] joined = new byte[64 * 1024];

    public FileBuffer(Stream stream)
    {
        this.stream = stream;
        reader = new Thread(ReadAhead) { IsBackground = true, Name = "inspector file read-ahead" };
        reader.Start();
    }

    /// <summary>Offset in the file of the next byte to read.</summary>
    public long Position { get; private set; }

    /// <summary>
    /// Reads exactly <paramref name="count"/> bytes; they stay valid until the next call. Returns
    /// how many were there: fewer than asked means the file ended.
    /// </summary>
    public int Read(int count, out Memory<byte> bytes)
    {
        // A corrupt length must not cost memory: never ask for more than the file still holds
        // (when its length is known), and grow the joining buffer only to that.
        if (count > ChunkSize && Length() is long total) count = (int)Math.Min(count, Math.Max(0, total - Position));
        while (start == end && !atEnd) NextChunk();
        if (end - start >= count)
        {
            bytes = current.AsMemory(start, count);
            start += count;
            Position += count;
            return count;
        }
        if (joined.Length < count) joined = new byte[count];
        int have = 0;
        while (true)
        {
            int take = Math.Min(end - start, count - have);
            current.AsSpan(start, take).CopyTo(joined.AsSpan(have));
            start += take;
            have += take;
            if (have == count || atEnd) break;
            NextChunk();
        }
        bytes = joined.AsMemory(0, have);
        Position += have;
        return have;
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

    public void Dispose()
    {
        if (ahead.IsAddingCompleted) return;
        ahead.CompleteAdding(); // the read-ahead thread stops at its next hand-over
        reader.Join();
        while (ahead.TryTake(out Chunk left)) Return(left.Bytes);
        Return(current);
        current = [];
        stream.Dispose();
    }

    private long? Length() => stream switch
    {
        // Asked of the handle, not the stream, which the read-ahead thread is using.
        FileStream file => RandomAccess.GetLength(file.SafeFileHandle),
        { CanSeek: true } => stream.Length,
        _ => null,
    };

    private void NextChunk()
    {
        Return(current);
        current = [];
        start = end = 0;
        if (!ahead.Take(out Chunk next)) next = new Chunk(null, 0, ExceptionDispatchInfo.Capture(new ObjectDisposedException(nameof(FileBuffer))));
        if (next.Bytes is null)
        {
            atEnd = true;
            // Read errors surface where the bytes were asked for, as they did without read-ahead.
            next.Failure?.Throw();
            return;
        }
        current = next.Bytes;
        end = next.Length;
    }

    private void ReadAhead()
    {
        while (true)
        {
            byte[] chunk = spare.TryDequeue(out byte[]? reused) ? reused : GC.AllocateUninitializedArray<byte>(ChunkSize);
            int n;
            try
            {
                n = stream.Read(chunk, 0, ChunkSize);
            }
            catch (Exception e)
            {
                Return(chunk);
                ahead.Add(new Chunk(null, 0, ExceptionDispatchInfo.Capture(e)));
                return;
            }
            if (n == 0)
            {
                Return(chunk);
                ahead.Add(new Chunk(null, 0));
                return;
            }
            if (!ahead.Add(new Chunk(chunk, n))) return; // disposed before the end of the file
        }
    }

    private void Return(byte[]? chunk)
    {
        if (chunk is { Length: > 0 }) spare.Enqueue(chunk);
    }
}
