using System.Buffers.Binary;

namespace Inspector.Core.Tls;

/// <summary>
/// Reads big-endian TLS wire fields (RFC 8446 §3) from a span. Every read says whether the
/// bytes were there; nothing throws, so a truncated or lying length becomes a clean "malformed".
/// </summary>
internal ref struct WireReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> data = data;
    private int pos;

    public readonly int Remaining => data.Length - pos;

    public readonly int Position => pos;

    public readonly bool AtEnd => pos >= data.Length;

    public bool TryU8(out byte value)
    {
        if (Remaining < 1) { value = 0; return false; }
        value = data[pos++];
        return true;
    }

    public bool TryU16(out ushort value)
    {
        if (Remaining < 2) { value = 0; return false; }
        value = BinaryPrimitives.ReadUInt16BigEndian(data[pos..]);
        pos += 2;
        return true;
    }

    public bool TryU24(out int value)
    {
        if (Remaining < 3) { value = 0; return false; }
        value = (data[pos] << 16) | (data[pos + 1] << 8) | data[pos + 2];
        pos += 3;
        return true;
    }

    public bool TryBytes(int count, out ReadOnlySpan<byte> value)
    {
        if (count < 0 || Remaining < count) { value = default; return false; }
        value = data.Slice(pos, count);
        pos += count;
        return true;
    }

    /// <summary>A vector with a one-byte length prefix (opaque x&lt;0..2^8-1&gt;).</summary>
    public bool TryVector8(out ReadOnlySpan<byte> value)
    {
        value = default;
        return TryU8(out byte n) && TryBytes(n, out value);
    }

    /// <summary>A vector with a two-byte length prefix.</summary>
    public bool TryVector16(out ReadOnlySpan<byte> value)
    {
        value = default;
        return TryU16(out ushort n) && TryBytes(n, out value);
    }

    /// <summary>A vector with a three-byte length prefix.</summary>
    public bool TryVector24(out ReadOnlySpan<byte> value)
    {
        value = default;
        return TryU24(out int n) && TryBytes(n, out value);
    }

    /// <summary>Reads a whole span as a list of big-endian u16 values; false when its length is odd.</summary>
    public static bool TryU16List(ReadOnlySpan<byte> bytes, out ushort[] values)
    {
        if ((bytes.Length & 1) != 0) { values = []; return false; }
        values = new ushort[bytes.Length / 2];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadUInt16BigEndian(bytes[(2 * i)..]);
        }
        return true;
    }
}
