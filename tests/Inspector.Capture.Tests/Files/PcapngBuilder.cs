using System.Buffers.Binary;

namespace Inspector.Capture.Tests.Files;

/// <summary>Writes pcapng blocks by hand (draft-ietf-opsawg-pcapng §3-§4), in either byte order.</summary>
internal sealed class PcapngBuilder(bool bigEndian = false)
{
    private readonly List<byte> bytes = [];

    public byte[] ToArray() => bytes.ToArray();

    public PcapngBuilder Section()
    {
        // Byte-order magic, version 1.0, section length -1 (unknown).
        Block(0x0A0D0D0A, [.. U32(0x1A2B3C4D), .. U16(1), .. U16(0), .. U64(ulong.MaxValue)]);
        return this;
    }

    public PcapngBuilder Interface(int linkType, byte? tsresol = null, int snapLength = 0)
    {
        List<byte> body = [.. U16((ushort)linkType), 0, 0, .. U32((uint)snapLength)];
        if (tsresol is byte r) body.AddRange([.. U16(9), .. U16(1), r, 0, 0, 0]);
        body.AddRange([0, 0, 0, 0]); // opt_endofopt
        Block(1, body.ToArray());
        return this;
    }

    public PcapngBuilder Enhanced(int iface, ulong units, byte[] data, int? original = null)
    {
        Block(6, [.. U32((uint)iface), .. U32((uint)(units >> 32)), .. U32((uint)units), .. U32((uint)data.Length),
            .. U32((uint)(original ?? data.Length)), .. Pad(data)]);
        return this;
    }

    public PcapngBuilder Simple(byte[] data)
    {
        Block(3, [.. U32((uint)data.Length), .. Pad(data)]);
        return this;
    }

    public PcapngBuilder Unknown(uint type, int length)
    {
        Block(type, new byte[length]);
        return this;
    }

    private void Block(uint type, byte[] body)
    {
        uint total = (uint)(12 + body.Length);
        // The section header's type is a palindrome; its byte-order magic is always written in the section's order.
        bytes.AddRange(U32(type));
        bytes.AddRange(U32(total));
        bytes.AddRange(body);
        bytes.AddRange(U32(total));
    }

    private static byte[] Pad(byte[] data) => [.. data, .. new byte[(4 - data.Length % 4) % 4]];

    private byte[] U16(ushort v)
    {
        var b = new byte[2];
        if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b, v); else BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        return b;
    }

    private byte[] U32(uint v)
    {
        var b = new byte[4];
        if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, v); else BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return b;
    }

    private byte[] U64(ulong v)
    {
        var b = new byte[8];
        if (bigEndian) BinaryPrimitives.WriteUInt64BigEndian(b, v); else BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        return b;
    }
}
