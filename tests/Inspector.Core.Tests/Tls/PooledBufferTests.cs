using System.Buffers;
using System.Runtime.InteropServices;
using Inspector.Core.Tests.Kit;
using Inspector.Core.Tests.Seed;
using Inspector.Core.Tls;

namespace Inspector.Core.Tests.Tls;

/// <summary>
/// Record payloads and handshake bodies are views of buffers rented from the shared pool: they
/// must stay intact until the reader or reassembler is next called, however busy the pool is.
/// </summary>
public class PooledBufferTests
{
    /// <summary>Rents what the pool has for this size, as another connection would, and scribbles on it.</summary>
    private static void ScribbleOnPooledArrays(int size)
    {
        var rented = new List<byte[]>();
        for (int i = 0; i < 16; i++)
        {
            byte[] a = ArrayPool<byte>.Shared.Rent(size);
            a.AsSpan().Fill(0xEE);
            rented.Add(a);
        }
        foreach (byte[] a in rented) ArrayPool<byte>.Shared.Return(a);
    }

    [Fact]
    public void A_record_payload_survives_other_users_of_the_pool_until_the_next_feed()
    {
        var reader = new TlsRecordReader();
        byte[] wire = [.. SeedHello.Record, .. TlsBytes.Alert(2, 40)];
        Assert.Equal(RecordStatus.Record, reader.Feed(wire, 0, out int used));
        ScribbleOnPooledArrays(reader.Current.Length);
        Assert.Equal(SeedHello.Record.AsSpan(5).ToArray(), reader.Current.Payload.ToArray());

        Assert.Equal(RecordStatus.Record, reader.Feed(wire.AsSpan(used), used, out _));
        ScribbleOnPooledArrays(2);
        Assert.Equal([2, 40], reader.Current.Payload.ToArray());
    }

    [Fact]
    public void A_handshake_body_survives_other_users_of_the_pool_until_the_next_call()
    {
        var handshakes = new HandshakeReassembler(1 << 16);
        byte[] hello = TlsBytes.Handshake(1, SeedHello.HandshakeBody);
        byte[] done = TlsBytes.Handshake(14, []);
        byte[] both = [.. hello, .. done];
        // Two records: a 5-byte header at 0, seven bytes, another header at 12, the rest from 17.
        handshakes.Append(both.AsSpan(0, 7), 5);
        handshakes.Append(both.AsSpan(7), 17);

        Assert.Equal(HandshakeStatus.Message, handshakes.TryNext(out HandshakeMessage first));
        ScribbleOnPooledArrays(both.Length);
        Assert.Equal(SeedHello.HandshakeBody, first.Body.ToArray());
        Assert.Equal(hello, first.Wire.ToArray()); // header and body, as sent, read in place
        Assert.Equal(5, first.Offset);

        Assert.Equal(HandshakeStatus.Message, handshakes.TryNext(out HandshakeMessage second));
        Assert.Equal(14, second.Type);
        Assert.Equal(17 + hello.Length - 7, second.Offset);
        Assert.Equal(HandshakeStatus.NeedMoreData, handshakes.TryNext(out _));

        // After everything was taken the buffer went back; the next message is whole all the same.
        handshakes.Append(hello, 500);
        ScribbleOnPooledArrays(hello.Length);
        Assert.Equal(HandshakeStatus.Message, handshakes.TryNext(out HandshakeMessage again));
        Assert.Equal(SeedHello.HandshakeBody, again.Body.ToArray());
        Assert.Equal(500, again.Offset);
    }

    private static byte[] ArrayBehind(ReadOnlyMemory<byte> view)
    {
        Assert.True(MemoryMarshal.TryGetArray(view, out ArraySegment<byte> segment));
        return segment.Array!;
    }

    // The shared pool keeps the array last given back on this thread for each size class, so a
    // rent of the same size on the same thread hands back that very array if it was returned.
    [Fact]
    public void A_record_payload_goes_back_to_the_pool_when_the_reader_is_next_fed()
    {
        var reader = new TlsRecordReader();
        byte[] wire = [.. SeedHello.Record, .. TlsBytes.Alert(2, 40)];
        Assert.Equal(RecordStatus.Record, reader.Feed(wire, 0, out int used));
        byte[] helloArray = ArrayBehind(reader.Current.Payload);

        Assert.Equal(RecordStatus.Record, reader.Feed(wire.AsSpan(used), used, out _));
        byte[] next = ArrayPool<byte>.Shared.Rent(helloArray.Length);
        Assert.Same(helloArray, next);
        ArrayPool<byte>.Shared.Return(next);
    }

    [Fact]
    public void A_partial_record_payload_goes_back_to_the_pool_after_a_gap()
    {
        var reader = new TlsRecordReader();
        byte[] hello = SeedHello.Record;
        Assert.Equal(RecordStatus.NeedMoreData, reader.Feed(hello.AsSpan(0, hello.Length - 3), 0, out _));
        byte[] probe = ArrayPool<byte>.Shared.Rent(hello.Length - 5);
        ArrayPool<byte>.Shared.Return(probe);

        reader.ResyncAfterGap(10_000);
        byte[] after = ArrayPool<byte>.Shared.Rent(hello.Length - 5);
        Assert.NotSame(probe, after); // the reader's own array was given back last, on top of the probe
        ArrayPool<byte>.Shared.Return(after);
    }

    [Fact]
    public void A_handshake_buffer_goes_back_to_the_pool_once_every_message_is_taken()
    {
        var handshakes = new HandshakeReassembler(1 << 16);
        byte[] hello = TlsBytes.Handshake(1, SeedHello.HandshakeBody);
        handshakes.Append(hello, 5);
        Assert.Equal(HandshakeStatus.Message, handshakes.TryNext(out HandshakeMessage message));
        byte[] held = ArrayBehind(message.Body);

        Assert.Equal(HandshakeStatus.NeedMoreData, handshakes.TryNext(out _));
        byte[] next = ArrayPool<byte>.Shared.Rent(held.Length);
        Assert.Same(held, next);
        ArrayPool<byte>.Shared.Return(next);
    }
}
