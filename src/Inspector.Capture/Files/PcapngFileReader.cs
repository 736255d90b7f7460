using System.Buffers.Binary;
using Inspector.Core.Model;
using static System.FormattableString;

namespace Inspector.Capture.Files;

/// <summary>
/// pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks (type, total length, body, total
/// length again, §3.1). Section headers set the byte order and reset the interfaces; interface
/// descriptions give each interface its own link type, snap length and time resolution;
/// enhanced, simple and obsolete packet blocks carry packets. Every other block (name
/// resolution, interface statistics, decryption secrets, custom, unknown) is skipped.
/// </summary>
/// <remarks>
/// The packet data returned by <see cref="TryRead"/> lives in a buffer that the next call reuses.
/// After a <see cref="CaptureFormatException"/> every later call throws the same exception.
/// </remarks>
public sealed class PcapngFileReader : ICaptureReader
{
    // Block types, §10.1 and Appendix A.
    private const uint SectionHeader = 0x0A0D0D0A, InterfaceDescription = 1, ObsoletePacket = 2, SimplePacket = 3, EnhancedPacket = 6;

    private const uint ByteOrderMagic = 0x1A2B3C4D;
    private const int BlockHeaderLength = 8, BlockTrailerLength = 4;
    private const uint MinimumBlockLength = 12, MinimumSectionHeaderLength = 28; // SHB: + magic, version, section length

    private readonly string path;
    private readonly FileBuffer file;
    private readonly List<Interface> interfaces = [];
    private bool bigEndian;
    private bool magicConsumed = true;
    private bool skippingSection;
    private Timestamp lastTime;
    private CaptureFormatException? failure;

    internal PcapngFileReader(string path, FileBuffer file)
    {
        this.path = path;
        this.file = file;
    }

    public string Format => "pcapng";

    /// <summary>Reads the next packet. The packet's data is only valid until the next call.</summary>
    public bool TryRead(out CapturedPacket packet)
    {
        if (failure is not null) throw failure;
        while (ReadBlock(out long start, out uint type, out Memory<byte> body))
        {
            if (type == SectionHeader) StartSection(body.Span);
            else if (!skippingSection && ReadBlockBody(start, type, body, out packet)) return true;
        }
        packet = default;
        return false;
    }

    public void Dispose() => file.Dispose();

    /// <summary>
    /// Acts on a block of the current section: interfaces are remembered, packets returned, and
    /// everything else (name resolution, interface statistics, decryption secrets, custom,
    /// unknown and local-use blocks) skipped.
    /// </summary>
    private bool ReadBlockBody(long start, uint type, Memory<byte> body, out CapturedPacket packet)
    {
        packet = default;
        switch (type)
        {
            case InterfaceDescription:
                interfaces.Add(ReadInterface(start, body.Span));
                return false;
            case EnhancedPacket:
                packet = ReadEnhanced(start, body);
                return true;
            case ObsoletePacket:
                packet = ReadObsolete(start, body);
                return true;
            case SimplePacket:
                packet = ReadSimple(start, body);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Reads one whole block (§3.1) and checks its two length fields. The body excludes the
    /// type and length fields and the trailing length; for a section header it also excludes
    /// the byte-order magic, which is consumed here. Returns false at a clean end of file.
    /// </summary>
    private bool ReadBlock(out long start, out uint type, out Memory<byte> body)
    {
        start = file.Position;
        body = default;
        if (!ReadType(ref start, out type)) return false;
        uint total = ReadLength(start, type);
        int headerLength = type == SectionHeader ? BlockHeaderLength + 4 : BlockHeaderLength;
        int restLength = (int)total - headerLength;
        int restGot = file.Read(restLength, out Memory<byte> rest);
        if (restGot < restLength) throw Fail(start, Invariant($"{Name(type)} cut off: needs {total} bytes, {headerLength + restGot} left"));
        uint trailer = U32(rest.Span[^BlockTrailerLength..]);
        if (trailer != total) throw Corrupt(start, type, Invariant($"trailing length {trailer} does not match the leading length {total}"));
        body = rest[..^BlockTrailerLength];
        return true;
    }

    /// <summary>
    /// Reads the Block Type; the section header's type is a palindrome, readable before the
    /// byte order is known. Returns false at a clean end of file.
    /// </summary>
    private bool ReadType(ref long start, out uint type)
    {
        type = SectionHeader;
        if (magicConsumed)
        {
            // CaptureFileReader read the first block's type to recognise the file.
            magicConsumed = false;
            start -= 4;
            return true;
        }
        int got = file.Read(4, out Memory<byte> typeBytes);
        if (got == 0) return false;
        if (got < 4) throw Fail(start, Invariant($"block cut off: its header needs {BlockHeaderLength} bytes, {got} left"));
        type = U32(typeBytes.Span);
        return true;
    }

    /// <summary>
    /// Reads and checks the Block Total Length (§3.1: a multiple of 4, at least 12). For a
    /// section header, first reads the byte-order magic that says how to read it (§4.1).
    /// </summary>
    private uint ReadLength(long start, uint type)
    {
        int got = file.Read(4, out Memory<byte> lengthBytes);
        if (got < 4) throw Fail(start, Invariant($"{Name(type)} cut off: its header needs {BlockHeaderLength} bytes, {4 + got} left"));
        uint raw = BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes.Span);
        if (type == SectionHeader) ReadByteOrder(start);
        uint total = bigEndian ? BinaryPrimitives.ReverseEndianness(raw) : raw;
        uint minimum = type == SectionHeader ? MinimumSectionHeaderLength : MinimumBlockLength;
        if (total < minimum || total % 4 != 0 || total > CaptureFileReader.MaxRecordLength)
        {
            throw Corrupt(start, type, Invariant($"invalid block length {total} (must be a multiple of 4, at least {minimum}, at most {CaptureFileReader.MaxRecordLength >> 20} MiB)"));
        }
        return total;
    }

    /// <summary>§4.1: the byte-order magic 0x1A2B3C4D, written in the section's byte order.</summary>
    private void ReadByteOrder(long start)
    {
        int got = file.Read(4, out Memory<byte> magic);
        if (got < 4) throw Fail(start, Invariant($"section header block cut off: needs at least {MinimumSectionHeaderLength} bytes, {BlockHeaderLength + got} left"));
        uint little = BinaryPrimitives.ReadUInt32LittleEndian(magic.Span);
        bigEndian = little switch
        {
            ByteOrderMagic => false,
            _ when BinaryPrimitives.ReverseEndianness(little) == ByteOrderMagic => true,
            _ => throw Corrupt(start, SectionHeader, Invariant($"byte-order magic 0x{BinaryPrimitives.ReverseEndianness(little):x8} is neither 1a2b3c4d nor 4d3c2b1a")),
        };
    }

    /// <summary>
    /// §4.1: major and minor version, section length, options. A new section forgets the
    /// previous section's interfaces (§4.2: an IDB is valid only inside its section).
    /// </summary>
    private void StartSection(ReadOnlySpan<byte> body)
    {
        interfaces.Clear();
        // §3.4: a reader that does not understand a section's version skips the whole section.
        // Only major version 1 exists; its minor versions 0 and 2 are read the same way.
        skippingSection = U16(body) != 1;
    }

    /// <summary>
    /// §4.2: LinkType, reserved, SnapLen, then options (§3.5) of which if_tsresol (9) and
    /// if_tsoffset (14) matter. Options with an unexpected length are ignored.
    /// </summary>
    private Interface ReadInterface(long start, ReadOnlySpan<byte> body)
    {
        if (body.Length < 8) throw Corrupt(start, InterfaceDescription, Invariant($"body is {body.Length} bytes, needs at least 8"));
        int linkType = U16(body);
        uint snapLength = U32(body[4..]);
        byte resolution = 6;
        long offsetSeconds = 0;
        for (ReadOnlySpan<byte> options = body[8..]; options.Length >= 4;)
        {
            int code = U16(options), length = U16(options[2..]);
            if (code == 0) break; // opt_endofopt
            if (options.Length < 4 + length) throw Corrupt(start, InterfaceDescription, Invariant($"option {code} runs past the end of the block"));
            ReadOnlySpan<byte> value = options.Slice(4, length);
            if (code == 9 && length == 1) resolution = value[0];
            if (code == 14 && length == 8) offsetSeconds = bigEndian ? BinaryPrimitives.ReadInt64BigEndian(value) : BinaryPrimitives.ReadInt64LittleEndian(value);
            options = options[Math.Min(options.Length, 4 + ((length + 3) & ~3))..]; // values are padded to 32 bits
        }
        return Interface.Create(linkType, snapLength, resolution, offsetSeconds)
            ?? throw Corrupt(start, InterfaceDescription, Invariant($"if_tsresol 0x{resolution:x2} is out of range"));
    }

    /// <summary>
    /// §4.3: Interface ID (32 bits), timestamp (upper, lower 32 bits), captured length,
    /// original length, packet data padded to 32 bits, options (ignored).
    /// </summary>
    private CapturedPacket ReadEnhanced(long start, Memory<byte> body)
    {
        ReadOnlySpan<byte> b = body.Span;
        if (b.Length < 20) throw Corrupt(start, EnhancedPacket, Invariant($"body is {b.Length} bytes, needs at least 20"));
        return Packet(start, EnhancedPacket, body, U32(b), U64(b[4..]), U32(b[12..]), U32(b[16..]));
    }

    /// <summary>
    /// Appendix A (obsolete Packet Block): Interface ID (16 bits), drops count (16 bits),
    /// timestamp, captured length, original length, data, options; otherwise like an EPB.
    /// </summary>
    private CapturedPacket ReadObsolete(long start, Memory<byte> body)
    {
        ReadOnlySpan<byte> b = body.Span;
        if (b.Length < 20) throw Corrupt(start, ObsoletePacket, Invariant($"body is {b.Length} bytes, needs at least 20"));
        return Packet(start, ObsoletePacket, body, (uint)U16(b), U64(b[4..]), U32(b[12..]), U32(b[16..]));
    }

    private CapturedPacket Packet(long start, uint type, Memory<byte> body, uint interfaceId, ulong units, uint captured, uint original)
    {
        Interface iface = InterfaceAt(start, type, interfaceId);
        int room = body.Length - 20;
        if (captured > room) throw Corrupt(start, type, Invariant($"captured length {captured} is larger than the block ({room} bytes of data)"));
        lastTime = iface.ToTime(units);
        return new CapturedPacket(iface.LinkType, lastTime, body.Slice(20, (int)captured), ClampLength(Math.Max(original, captured)), start, (int)interfaceId);
    }

    /// <summary>
    /// §4.4: Original Packet Length, then data; interface 0; the captured length is
    /// min(original length, SnapLen) with SnapLen 0 meaning no limit. There is no timestamp:
    /// the last one seen is used (0 before any).
    /// </summary>
    private CapturedPacket ReadSimple(long start, Memory<byte> body)
    {
        if (body.Length < 4) throw Corrupt(start, SimplePacket, Invariant($"body is {body.Length} bytes, needs at least 4"));
        Interface iface = InterfaceAt(start, SimplePacket, 0);
        uint original = U32(body.Span);
        uint captured = iface.SnapLength == 0 ? original : Math.Min(original, iface.SnapLength);
        int room = body.Length - 4;
        if (captured > room) throw Corrupt(start, SimplePacket, Invariant($"captured length {captured} is larger than the block ({room} bytes of data)"));
        return new CapturedPacket(iface.LinkType, lastTime, body.Slice(4, (int)captured), ClampLength(original), start, 0);
    }

    private Interface InterfaceAt(long start, uint type, uint id) => id < (uint)interfaces.Count
        ? interfaces[(int)id]
        : throw Corrupt(start, type, Invariant($"names interface {id}, but this section describes only {interfaces.Count}"));

    private static int ClampLength(uint length) => (int)Math.Min(length, int.MaxValue);

    private static string Name(uint type) => type switch
    {
        SectionHeader => "section header block",
        InterfaceDescription => "interface description block",
        ObsoletePacket => "packet block",
        SimplePacket => "simple packet block",
        EnhancedPacket => "enhanced packet block",
        _ => Invariant($"block of type 0x{type:x8}"),
    };

    /// <summary>Remembers the failure so that later calls report it again instead of reading garbage.</summary>
    private CaptureFormatException Fail(long offset, string problem) => failure = new CaptureFormatException(path, offset, problem);

    private CaptureFormatException Corrupt(long offset, uint type, string problem) => Fail(offset, "corrupt " + Name(type) + ": " + problem);

    private uint U32(ReadOnlySpan<byte> b) => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    private int U16(ReadOnlySpan<byte> b) => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

    /// <summary>§4.3: a 64-bit timestamp stored as two 32-bit words, upper word first, each in the section's byte order.</summary>
    private ulong U64(ReadOnlySpan<byte> b) => ((ulong)U32(b) << 32) | U32(b[4..]);

    /// <summary>One interface of the current section (§4.2) and how to turn its timestamps into nanoseconds.</summary>
    private readonly record struct Interface(int LinkType, uint SnapLength, ulong UnitsPerSecond, long NanosecondsPerUnit, long OffsetNanoseconds)
    {
        /// <summary>
        /// if_tsresol: high bit clear = 10^-n seconds per unit, set = 2^-n (default 10^-6).
        /// Returns null when the resolution is finer than a 64-bit timestamp can use.
        /// </summary>
        public static Interface? Create(int linkType, uint snapLength, byte resolution, long offsetSeconds)
        {
            int n = resolution & 0x7F;
            bool binary = (resolution & 0x80) != 0;
            if (binary ? n > 63 : n > 19) return null;
            ulong unitsPerSecond = binary ? 1UL << n : Pow10(n);
            long perUnit = unitsPerSecond <= 1_000_000_000 && 1_000_000_000 % unitsPerSecond == 0 ? 1_000_000_000 / (long)unitsPerSecond : 0;
            long offset = (long)Int128.Clamp((Int128)offsetSeconds * 1_000_000_000, long.MinValue, long.MaxValue);
            return new Interface(linkType, snapLength, unitsPerSecond, perUnit, offset);
        }

        /// <summary>
        /// Exact integer conversion, no floating point: units × 10^9 / units-per-second, rounded
        /// down when a unit is not a whole number of nanoseconds (2^-n, or finer than 10^-9),
        /// as Wireshark does; then if_tsoffset. Clamped to the range of <see cref="Timestamp"/>.
        /// </summary>
        public Timestamp ToTime(ulong units)
        {
            Int128 nanos = NanosecondsPerUnit != 0
                ? (Int128)units * NanosecondsPerUnit
                : (Int128)units * 1_000_000_000 / UnitsPerSecond;
            nanos += OffsetNanoseconds;
            return new Timestamp((long)Int128.Clamp(nanos, long.MinValue, long.MaxValue));
        }

        private static ulong Pow10(int n)
        {
            ulong r = 1;
            for (int i = 0; i < n; i++) r *= 10;
            return r;
        }
    }
}
