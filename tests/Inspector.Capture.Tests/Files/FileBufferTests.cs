using Inspector.Capture.Files;

namespace Inspector.Capture.Tests.Files;

/// <summary>The read-ahead buffer returns exactly the file's bytes, in any piece sizes, across its megabyte chunks.</summary>
public class FileBufferTests
{
    private static byte[] Content(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData((1 << 20) - 1, 3)]
    [InlineData(1 << 20, 4)]
    [InlineData((3 << 20) + 12345, 5)]
    public void Random_piece_sizes_read_back_the_file_and_its_end(int length, int seed)
    {
        byte[] content = Content(length, seed);
        var random = new Random(seed);
        using var file = new FileBuffer(new MemoryStream(content));
        int at = 0;
        while (true)
        {
            // Mostly small pieces (block headers, packets), now and then one larger than a chunk.
            int ask = random.Next(10) == 0 ? random.Next(1, 3 << 20) : random.Next(0, 70_000);
            int got = file.Read(ask, out Memory<byte> bytes);
            Assert.Equal(Math.Min(ask, length - at), got);
            Assert.True(bytes.Span.SequenceEqual(content.AsSpan(at, got)), $"bytes differ at {at}");
            at += got;
            Assert.Equal(at, file.Position);
            if (got < ask) break;
        }
        Assert.Equal(length, at);
        Assert.Equal(0, file.Read(10, out _));
    }

    [Fact]
    public void Skip_moves_the_position_and_stops_at_the_end()
    {
        byte[] content = Content(3_000_000, 7);
        using var file = new FileBuffer(new MemoryStream(content));
        Assert.Equal(2_500_000, file.Skip(2_500_000));
        file.Read(4, out Memory<byte> four);
        Assert.True(four.Span.SequenceEqual(content.AsSpan(2_500_000, 4)));
        Assert.Equal(499_996, file.Skip(1_000_000));
        Assert.Equal(content.Length, file.Position);
    }

    /// <summary>A stream that fails part-way, like a disk error.</summary>
    private sealed class FailingStream(byte[] before) : MemoryStream(before)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = base.Read(buffer, offset, count);
            return n > 0 ? n : throw new IOException("Input/output error");
        }
    }

    [Fact]
    public void A_read_error_reaches_the_reader_after_the_bytes_before_it()
    {
        byte[] content = Content(100_000, 8);
        using var file = new FileBuffer(new FailingStream(content));
        Assert.Equal(100_000, file.Read(100_000, out Memory<byte> all));
        Assert.True(all.Span.SequenceEqual(content));
        IOException e = Assert.Throws<IOException>(() => file.Read(1, out _));
        Assert.Equal("Input/output error", e.Message);
    }

    [Fact]
    public void Disposing_before_the_end_stops_the_read_ahead()
    {
        var file = new FileBuffer(new MemoryStream(Content(20 << 20, 9)));
        file.Read(10, out _);
        file.Dispose();
        file.Dispose();
    }
}
