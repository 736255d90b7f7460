using System.Buffers.Binary;
using static System.FormattableString;

namespace Inspector.Capture.Files;

/// <summary>
/// Opens pcap and pcapng files by their magic number. Managed rather than libpcap: libpcap 1.10
/// rejects pcapng files whose interfaces have different link types, and cannot say at which
/// byte offset a file is cut off.
/// </summary>
/// <remarks>
/// Readers stream the file front to back through one reusable buffer: the
/// <see cref="CapturedPacket.Data"/> they return is only valid until the next
/// <see cref="ICaptureReader.TryRead"/> call. A missing or unreadable file throws the usual
/// <see cref="FileNotFoundException"/>, <see cref="UnauthorizedAccessException"/> or
/// <see cref="IOException"/>; a file that is not a capture, or is cut off or corrupt, throws
/// <see cref="CaptureFormatException"/> with the byte offset of the record at fault.
/// </remarks>
public static class CaptureFileReader
{
    /// <summary>Larger records or blocks than this are treated as corruption, not as a reason to allocate.</summary>
    public const int MaxRecordLength = 256 * 1024 * 1024;

    // Magic numbers as read little-endian from the first four bytes of the file.
    private const uint PcapMicroseconds = 0xA1B2C3D4, PcapMicrosecondsSwapped = 0xD4C3B2A1;
    private const uint PcapNanoseconds = 0xA1B23C4D, PcapNanosecondsSwapped = 0x4D3CB2A1;
    private const uint PcapngSectionHeader = 0x0A0D0D0A; // a palindrome: the same in both byte orders

    // FileBuffer reads ahead a megabyte at a time; a second buffer in the stream would only copy again.
    private const int FileBufferSize = 0;

    public static ICaptureReader Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileBufferSize, FileOptions.SequentialScan);
        var file = new FileBuffer(stream);
        try
        {
            return Open(path, file, ReadMagic(path, file));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static uint ReadMagic(string path, FileBuffer file)
    {
        int got = file.Read(4, out Memory<byte> magic);
        if (got == 0) throw new CaptureFormatException(path, 0, "empty file");
        if (got < 4) throw new CaptureFormatException(path, 0, Invariant($"file header cut off: {got} bytes, too short for a magic number"));
        return BinaryPrimitives.ReadUInt32LittleEndian(magic.Span);
    }

    private static ICaptureReader Open(string path, FileBuffer file, uint magic) => magic switch
    {
        PcapMicroseconds or PcapMicrosecondsSwapped => new PcapFileReader(path, file, bigEndian: magic == PcapMicrosecondsSwapped, nanoseconds: false),
        PcapNanoseconds or PcapNanosecondsSwapped => new PcapFileReader(path, file, bigEndian: magic == PcapNanosecondsSwapped, nanoseconds: true),
        PcapngSectionHeader => new PcapngFileReader(path, file),
        // Shown in file byte order, the way a hex dump shows it.
        _ => throw new CaptureFormatException(path, 0, Invariant($"not a pcap or pcapng file (magic 0x{BinaryPrimitives.ReverseEndianness(magic):x8})")),
    };
}
