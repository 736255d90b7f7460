using System.Buffers.Binary;
using System.Globalization;

namespace Inspector.Capture.Files;

/// <summary>
/// Opens pcap and pcapng files by their magic number. Managed rather than libpcap: libpcap 1.10
/// rejects pcapng files whose interfaces have different link types, and cannot say at which
/// byte offset a file is cut off.
/// </summary>
public static class CaptureFileReader
{
    /// <summary>Larger records than this are treated as corruption, not as a reason to allocate.</summary>
    public const int MaxRecordLength = 256 * 1024 * 1024;

    public static ICaptureReader Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        var file = new FileBuffer(new BufferedStream(stream, 256 * 1024));
        try
        {
            int got = file.Read(4, out Memory<byte> magicBytes);
            if (got == 0) throw new CaptureFormatException(path, 0, "empty file");
            if (got < 4) throw new CaptureFormatException(path, 0, $"file too short for a capture header: {got} bytes");
            uint magic = BinaryPrimitives.ReadUInt32LittleEndian(magicBytes.Span);
            return magic switch
            {
                0xA1B2C3D4 or 0xD4C3B2A1 or 0xA1B23C4D or 0x4D3CB2A1 => new PcapFileReader(path, file, magic),
                0x0A0D0D0A => new PcapngFileReader(path, file),
                _ => throw new CaptureFormatException(path, 0, $"not a pcap or pcapng file (magic 0x{BinaryPrimitives.ReverseEndianness(magic).ToString("x8", CultureInfo.InvariantCulture)})"),
            };
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}
