using System.Buffers.Binary;
using System.Text;

namespace Inspector.Capture.Tests.Files;

/// <summary>
/// Writes pcapng blocks by hand (draft-ietf-opsawg-pcapng §3-§4, Appendix A). Each section is
/// written in its own byte order; <see cref="LastOffset"/> is where the last block started.
/// </summary>
internal sealed class PcapngBuilder
{
    private readonly List<byte> bytes = [];
    private bool bigEndian;

    public long LastOffset { get; private set; }

    public int Length => bytes.Count;

    public byte[] ToArray() => [.. bytes];

    /// <summary>§4.1: byte-order magic, version, section length -1 (unknown), an shb_userappl option.</summary>
    public PcapngBuilder Section(bool bigEndian = false, ushort major = 1, ushort minor = 0)
    {
        this.bigEndian = bigEndian;
        return Block(0x0A0D0D0A, [.. U32(0x1A2B3C4D), .. U16(major), .. U16(minor), .. U64(ulong.MaxValue),
            .. Option(4, Encoding.ASCII.GetBytes("inspector tests")), .. EndOfOptions()]);
    }

    /// <summary>§4.2, with if_name, and if_tsresol (9) / if_tsoffset (14) when given.</summary>
    public PcapngBuilder Interface(int linkType, uint snapLength = 0, byte? tsresol = null, long? tsoffset = null)
    {
        List<byte> body = [.. U16((ushort)linkType), 0, 0, .. U32(snapLength), .. Option(2, Encoding.ASCII.GetBytes("test0"))];
        if (tsresol is byte r) body.AddRange(Option(9, [r]));
        if (tsoffset is long o) body.AddRange(Option(14, U64((ulong)o)));
        body.AddRange(EndOfOptions());
        return Block(1, [.. body]);
    }

    /// <summary>§4.3, with an epb_flags and an opt_comment option after the data.</summary>
    public PcapngBuilder Enhanced(uint iface, ulong units, byte[] data, uint? original = null, uint? captured = null) =>
        Block(6, [.. U32(iface), .. U32((uint)(units >> 32)), .. U32((uint)units), .. U32(captured ?? (uint)data.Length),
            .. U32(original ?? (uint)data.Length), .. Pad(data),
            .. Option(2, U32(1)), .. Option(1, Encoding.UTF8.GetBytes("a comment")), .. EndOfOptions()]);

    /// <summary>Appendix A: the obsolete Packet Block (16-bit interface, 16-bit drops count).</summary>
    public PcapngBuilder Obsolete(ushort iface, ulong units, byte[] data, uint? original = null) =>
        Block(2, [.. U16(iface), .. U16(0), .. U32((uint)(units >> 32)), .. U32((uint)units), .. U32((uint)data.Length),
            .. U32(original ?? (uint)data.Length), .. Pad(data)]);

    /// <summary>§4.4: original length, then the data (already cut to the snap length by the caller).</summary>
    public PcapngBuilder Simple(byte[] data, uint? original = null) =>
        Block(3, [.. U32(original ?? (uint)data.Length), .. Pad(data)]);

    /// <summary>§4.5: one IPv4 record, then nrb_record_end.</summary>
    public PcapngBuilder NameResolution() =>
        Block(4, [.. Option(1, [192, 0, 2, 1, .. Encoding.ASCII.GetBytes("ftp.test\0")]), .. EndOfOptions()]);

    /// <summary>§4.6: interface, timestamp, isb_ifrecv.</summary>
    public PcapngBuilder Statistics(uint iface) =>
        Block(5, [.. U32(iface), .. U32(0), .. U32(0), .. Option(4, U64(42)), .. EndOfOptions()]);

    /// <summary>§4.8: a custom block with a Private Enterprise Number.</summary>
    public PcapngBuilder Custom() => Block(0x00000BAD, [.. U32(32473), 1, 2, 3, 4]);

    /// <summary>Any block; the body must be a multiple of 4 bytes long.</summary>
    public PcapngBuilder Block(uint type, byte[] body)
    {
        LastOffset = bytes.Count;
        uint total = (uint)(12 + body.Length);
        bytes.AddRange(U32(type));
        bytes.AddRange(U32(total));
        bytes.AddRange(body);
        bytes.AddRange(U32(total));
        return this;
    }

    /// <summary>§3.5: code, length, value padded to 32 bits.</summary>
    private byte[] Option(ushort code, byte[] value) => [.. U16(code), .. U16((ushort)value.Length), .. Pad(value)];

    private byte[] EndOfOptions() => [.. U16(0), .. U16(0)];

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
