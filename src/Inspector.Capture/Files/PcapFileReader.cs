using System.Buffers.Binary;
using Inspector.Core.Model;

namespace Inspector.Capture.Files;

/// <summary>
/// Classic pcap (https://www.tcpdump.org/manpages/pcap-savefile.5.html, draft-ietf-opsawg-pcap):
/// a 24-byte file header, then 16-byte record headers each followed by the captured bytes.
/// Either byte order; microsecond (0xA1B2C3D4) or nanosecond (0xA1B23C4D) timestamps.
/// </summary>
public sealed class PcapFileReader : ICaptureReader
{
    private readonly string path;
    private readonly FileBuffer file;
    private readonly bool bigEndian;
    private readonly bool nanoseconds;
    private readonly int linkType;

    internal PcapFileReader(string path, FileBuffer file, uint magic)
    {
        this.path = path;
        this.file = file;
        bigEndian = magic is 0xD4C3B2A1 or 0x4D3CB2A1;
        nanoseconds = magic is 0xA1B23C4D or 0x4D3CB2A1;
        int got = file.Read(20, out Memory<byte> rest);
        if (got < 20) throw new CaptureFormatException(path, 0, $"pcap file header cut off: {got + 4} of 24 bytes");
        // The link type is the low 16 bits of the network field; the upper bits carry FCS information.
        linkType = (int)(U32(rest.Span[16..]) & 0xFFFF);
        Format = nanoseconds ? "pcap (nanoseconds)" : "pcap (microseconds)";
    }

    public string Format { get; }

    /// <summary>Reads the next record. The packet's data is only valid until the next call.</summary>
    public bool TryRead(out CapturedPacket packet)
    {
        packet = default;
        long start = file.Position;
        int got = file.Read(16, out Memory<byte> header);
        if (got == 0) return false;
        if (got < 16) throw new CaptureFormatException(path, start, $"packet record header cut off: {got} of 16 bytes");
        ReadOnlySpan<byte> h = header.Span;
        uint seconds = U32(h), fraction = U32(h[4..]), captured = U32(h[8..]), original = U32(h[12..]);
        if (captured > CaptureFileReader.MaxRecordLength) throw new CaptureFormatException(path, start, $"corrupt packet record: captured length {captured}");
        if (!nanoseconds && fraction >= 1_000_000 || nanoseconds && fraction >= 1_000_000_000)
        {
            throw new CaptureFormatException(path, start, $"corrupt packet record: sub-second timestamp {fraction}");
        }
        got = file.Read((int)captured, out Memory<byte> data);
        if (got < captured) throw new CaptureFormatException(path, start, $"packet record cut off: needs 16+{captured} bytes, {16 + got} left");
        var time = Timestamp.FromUnixSeconds(seconds, nanoseconds ? fraction : fraction * 1000L);
        packet = new CapturedPacket(linkType, time, data, (int)Math.Min(Math.Max(original, captured), int.MaxValue), start, 0);
        return true;
    }

    public void Dispose() => file.Dispose();

    private uint U32(ReadOnlySpan<byte> b) => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);
}
