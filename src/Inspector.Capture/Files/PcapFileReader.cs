using System.Buffers.Binary;
using Inspector.Core.Model;
using static System.FormattableString;

namespace Inspector.Capture.Files;

/// <summary>
/// Classic pcap (https://www.tcpdump.org/manpages/pcap-savefile.5.html, draft-ietf-opsawg-pcap):
/// a 24-byte file header, then 16-byte record headers each followed by the captured bytes.
/// Either byte order; microsecond (0xA1B2C3D4) or nanosecond (0xA1B23C4D) timestamps.
/// </summary>
/// <remarks>
/// The packet data returned by <see cref="TryRead"/> lives in a buffer that the next call reuses.
/// After a <see cref="CaptureFormatException"/> every later call throws the same exception.
/// </remarks>
public sealed class PcapFileReader : ICaptureReader
{
    private const int FileHeaderLength = 24, RecordHeaderLength = 16;

    private readonly string path;
    private readonly FileBuffer file;
    private readonly bool bigEndian;
    private readonly long fractionToNanoseconds;
    private readonly int linkType;
    private CaptureFormatException? failure;

    /// <summary>Reads the file header; the 4-byte magic has already been consumed.</summary>
    internal PcapFileReader(string path, FileBuffer file, bool bigEndian, bool nanoseconds)
    {
        this.path = path;
        this.file = file;
        this.bigEndian = bigEndian;
        fractionToNanoseconds = nanoseconds ? 1 : 1000;
        Format = nanoseconds ? "pcap (nanoseconds)" : "pcap (microseconds)";
        linkType = ReadFileHeader();
    }

    public string Format { get; }

    /// <summary>Reads the next record. The packet's data is only valid until the next call.</summary>
    public bool TryRead(out CapturedPacket packet)
    {
        if (failure is not null) throw failure;
        long start = file.Position;
        packet = default;
        if (!ReadRecordHeader(start, out uint seconds, out uint fraction, out uint captured, out uint original)) return false;
        int got = file.Read((int)captured, out Memory<byte> data);
        if (got < captured) throw Fail(start, Invariant($"packet record cut off: needs {RecordHeaderLength}+{captured} bytes, {RecordHeaderLength + got} left"));
        // A sub-second field of 10^6 (10^9) or more is not valid, but libpcap and Wireshark read it: carry it over.
        var time = new Timestamp(seconds * 1_000_000_000L + fraction * fractionToNanoseconds);
        packet = new CapturedPacket(linkType, time, data, (int)Math.Min(Math.Max(original, captured), int.MaxValue), start, 0);
        return true;
    }

    public void Dispose() => file.Dispose();

    /// <summary>
    /// File header (draft-ietf-opsawg-pcap §4): magic, version, reserved, reserved, SnapLen,
    /// LinkType and additional information. Returns the link type: the low 16 bits of the last
    /// field (the upper bits carry the FCS length, §4.1).
    /// </summary>
    private int ReadFileHeader()
    {
        int got = file.Read(FileHeaderLength - 4, out Memory<byte> rest);
        if (got < FileHeaderLength - 4) throw Fail(0, Invariant($"pcap file header cut off: {4 + got} of {FileHeaderLength} bytes"));
        return (int)(U32(rest.Span[16..]) & 0xFFFF);
    }

    /// <summary>
    /// Packet record header (§5): seconds, micro- or nanoseconds, captured length, original
    /// length. Returns false at a clean end of file.
    /// </summary>
    private bool ReadRecordHeader(long start, out uint seconds, out uint fraction, out uint captured, out uint original)
    {
        int got = file.Read(RecordHeaderLength, out Memory<byte> header);
        seconds = fraction = captured = original = 0;
        if (got == 0) return false;
        if (got < RecordHeaderLength) throw Fail(start, Invariant($"packet record header cut off: {got} of {RecordHeaderLength} bytes"));
        ReadOnlySpan<byte> h = header.Span;
        seconds = U32(h);
        fraction = U32(h[4..]);
        captured = U32(h[8..]);
        original = U32(h[12..]);
        if (captured > CaptureFileReader.MaxRecordLength)
        {
            throw Fail(start, Invariant($"corrupt packet record: captured length {captured} is above the {CaptureFileReader.MaxRecordLength >> 20} MiB limit"));
        }
        return true;
    }

    /// <summary>Remembers the failure so that later calls report it again instead of reading garbage.</summary>
    private CaptureFormatException Fail(long offset, string problem) => failure = new CaptureFormatException(path, offset, problem);

    private uint U32(ReadOnlySpan<byte> b) => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);
}
