using System.Buffers.Binary;
using Inspector.Core.Model;

namespace Inspector.Capture.Files;

/// <summary>
/// pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks (type, total length, body, total
/// length again). Section headers set the byte order and reset the interfaces; interface
/// descriptions give each interface its own link type, snap length and time resolution;
/// enhanced, simple and obsolete packet blocks carry packets. Other blocks are skipped.
/// </summary>
public sealed class PcapngFileReader : ICaptureReader
{
    private const uint SectionHeader = 0x0A0D0D0A, InterfaceDescription = 1, ObsoletePacket = 2, SimplePacket = 3, EnhancedPacket = 6;

    private readonly string path;
    private readonly FileBuffer file;
    private readonly List<Interface> interfaces = [];
    private bool bigEndian;
    private bool firstBlock = true;
    private Timestamp lastTime;

    internal PcapngFileReader(string path, FileBuffer file)
    {
        this.path = path;
        this.file = file;
    }

    public string Format => "pcapng";

    /// <summary>Reads the next packet. The packet's data is only valid until the next call.</summary>
    public bool TryRead(out CapturedPacket packet)
    {
        while (true)
        {
            long start = file.Position - (firstBlock ? 4 : 0);
            uint type;
            if (firstBlock)
            {
                type = SectionHeader;
            }
            else
            {
                int got = file.Read(4, out Memory<byte> t);
                if (got == 0)
                {
                    packet = default;
                    return false;
                }
                if (got < 4) throw Cut(start, $"block header cut off: {got} of 8 bytes");
                type = U32(t.Span);
            }
            firstBlock = false;

            if (type == SectionHeader)
            {
                ReadSectionHeader(start);
                continue;
            }
            int lengthGot = file.Read(4, out Memory<byte> lengthBytes);
            if (lengthGot < 4) throw Cut(start, $"block header cut off: {4 + lengthGot} of 8 bytes");
            uint total = U32(lengthBytes.Span);
            ValidateLength(start, total);
            int bodyLength = (int)total - 12;
            int bodyGot = file.Read((int)total - 8, out Memory<byte> rest);
            if (bodyGot < total - 8) throw Cut(start, $"block cut off: needs {total} bytes, {8 + bodyGot} left");
            if (U32(rest.Span[bodyLength..]) != total) throw Corrupt(start, "block's trailing length does not match its leading length");
            Memory<byte> body = rest[..bodyLength];
            switch (type)
            {
                case InterfaceDescription:
                    ReadInterface(start, body.Span);
                    continue;
                case EnhancedPacket:
                    packet = ReadEnhanced(start, body);
                    return true;
                case SimplePacket:
                    packet = ReadSimple(start, body);
                    return true;
                case ObsoletePacket:
                    packet = ReadObsolete(start, body);
                    return true;
                default:
                    continue; // name resolution, statistics, secrets, custom blocks: not needed
            }
        }
    }

    public void Dispose() => file.Dispose();

    /// <summary>§4.1: the byte-order magic decides how every later field is read.</summary>
    private void ReadSectionHeader(long start)
    {
        int got = file.Read(8, out Memory<byte> head);
        if (got < 8) throw Cut(start, $"section header cut off: {4 + got} of 12 bytes");
        uint order = BinaryPrimitives.ReadUInt32LittleEndian(head.Span[4..]);
        bigEndian = order switch
        {
            0x1A2B3C4D => false,
            0x4D3C2B1A => true,
            _ => throw Corrupt(start, "section header has no valid byte-order magic"),
        };
        uint total = U32(head.Span);
        ValidateLength(start, total);
        if (total < 28) throw Corrupt(start, $"section header length {total} is below 28");
        long skip = total - 12;
        if (file.Skip(skip) < skip) throw Cut(start, $"section header cut off: needs {total} bytes");
        interfaces.Clear();
    }

    /// <summary>§4.2: link type, snap length, and the if_tsresol (9) and if_tsoffset (14) options.</summary>
    private void ReadInterface(long start, ReadOnlySpan<byte> body)
    {
        if (body.Length < 8) throw Corrupt(start, "interface description shorter than 8 bytes");
        var iface = new Interface(U16(body), (int)U32(body[4..]));
        ReadOnlySpan<byte> options = body[8..];
        while (options.Length >= 4)
        {
            int code = U16(options), length = U16(options[2..]);
            if (code == 0) break;
            if (options.Length < 4 + length) throw Corrupt(start, "interface option runs past its block");
            ReadOnlySpan<byte> value = options.Slice(4, length);
            if (code == 9 && length >= 1) iface.Resolution = value[0];
            if (code == 14 && length >= 8) iface.OffsetSeconds = (long)(bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(value) : BinaryPrimitives.ReadUInt64LittleEndian(value));
            options = options[(4 + ((length + 3) & ~3))..];
        }
        interfaces.Add(iface);
    }

    /// <summary>§4.3: interface, 64-bit timestamp, captured and original lengths, data.</summary>
    private CapturedPacket ReadEnhanced(long start, Memory<byte> body)
    {
        ReadOnlySpan<byte> b = body.Span;
        if (b.Length < 20) throw Corrupt(start, "enhanced packet block shorter than 20 bytes");
        Interface iface = InterfaceAt(start, (int)U32(b));
        ulong units = ((ulong)U32(b[4..]) << 32) | U32(b[8..]);
        uint captured = U32(b[12..]), original = U32(b[16..]);
        if (captured > b.Length - 20) throw Corrupt(start, $"captured length {captured} is larger than the block");
        lastTime = iface.ToTime(units);
        return new CapturedPacket(iface.LinkType, lastTime, body.Slice(20, (int)captured), (int)Math.Min(Math.Max(original, captured), int.MaxValue), start, interfaces.IndexOf(iface));
    }

    /// <summary>§4.4: interface 0, no timestamp, captured length = min(original, snap length).</summary>
    private CapturedPacket ReadSimple(long start, Memory<byte> body)
    {
        if (body.Length < 4) throw Corrupt(start, "simple packet block shorter than 4 bytes");
        Interface iface = InterfaceAt(start, 0);
        uint original = U32(body.Span);
        int captured = (int)Math.Min(original, (uint)(body.Length - 4));
        if (iface.SnapLength > 0) captured = Math.Min(captured, iface.SnapLength);
        return new CapturedPacket(iface.LinkType, lastTime, body.Slice(4, captured), (int)Math.Min(original, int.MaxValue), start, 0);
    }

    /// <summary>Appendix (obsolete Packet Block): 16-bit interface, drops, timestamp, lengths, data.</summary>
    private CapturedPacket ReadObsolete(long start, Memory<byte> body)
    {
        ReadOnlySpan<byte> b = body.Span;
        if (b.Length < 20) throw Corrupt(start, "packet block shorter than 20 bytes");
        Interface iface = InterfaceAt(start, U16(b));
        ulong units = ((ulong)U32(b[4..]) << 32) | U32(b[8..]);
        uint captured = U32(b[12..]), original = U32(b[16..]);
        if (captured > b.Length - 20) throw Corrupt(start, $"captured length {captured} is larger than the block");
        lastTime = iface.ToTime(units);
        return new CapturedPacket(iface.LinkType, lastTime, body.Slice(20, (int)captured), (int)Math.Min(Math.Max(original, captured), int.MaxValue), start, U16(b));
    }

    private Interface InterfaceAt(long start, int index) =>
        index < interfaces.Count ? interfaces[index] : throw Corrupt(start, $"packet names interface {index}, but only {interfaces.Count} were described");

    private void ValidateLength(long start, uint total)
    {
        if (total < 12 || total % 4 != 0 || total > CaptureFileReader.MaxRecordLength) throw Corrupt(start, $"invalid block length {total}");
    }

    private CaptureFormatException Cut(long start, string problem) => new(path, start, problem);

    private CaptureFormatException Corrupt(long start, string problem) => new(path, start, "corrupt pcapng: " + problem);

    private uint U32(ReadOnlySpan<byte> b) => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    private int U16(ReadOnlySpan<byte> b) => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

    private sealed class Interface(int linkType, int snapLength)
    {
        public int LinkType { get; } = linkType;
        public int SnapLength { get; } = snapLength;

        /// <summary>if_tsresol: high bit clear = 10^-n seconds per unit, set = 2^-n (default 10^-6).</summary>
        public byte Resolution { get; set; } = 6;

        public long OffsetSeconds { get; set; }

        /// <summary>Exact conversion to nanoseconds, no floating point.</summary>
        public Timestamp ToTime(ulong units)
        {
            int n = Resolution & 0x7F;
            Int128 nanos;
            if ((Resolution & 0x80) == 0)
            {
                nanos = n <= 9 ? (Int128)units * Pow10(9 - n) : (Int128)units / Pow10(n - 9);
            }
            else
            {
                nanos = (Int128)units * 1_000_000_000 >> Math.Min(n, 127);
            }
            nanos += (Int128)OffsetSeconds * 1_000_000_000;
            return new Timestamp((long)Int128.Clamp(nanos, long.MinValue, long.MaxValue));
        }

        private static Int128 Pow10(int e)
        {
            Int128 r = 1;
            for (int i = 0; i < e; i++) r *= 10;
            return r;
        }
    }
}
