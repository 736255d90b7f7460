using System.Buffers.Binary;
using System.Text;
using Inspector.Core.Model;

namespace Inspector.Capture.Files;

/// <summary>
/// Writes a pcapng file (draft-ietf-opsawg-pcapng): one Section Header Block, then Interface
/// Description Blocks as interfaces are added, then Enhanced Packet Blocks. Interfaces declare
/// nanosecond timestamps (if_tsresol = 9, §4.2) so no precision is lost. Little-endian, as the
/// byte-order magic of the section header says. Not thread-safe: one writer per caller or a lock.
/// </summary>
public sealed class PcapngWriter : IDisposable
{
    private const uint SectionHeaderBlock = 0x0A0D0D0A;
    private const uint InterfaceDescriptionBlock = 0x00000001;
    private const uint EnhancedPacketBlock = 0x00000006;
    private const uint ByteOrderMagic = 0x1A2B3C4D;
    private const ushort OptEndOfOpt = 0;
    private const ushort OptComment = 1;
    private const ushort ShbUserAppl = 4;
    private const ushort IfName = 2;
    private const ushort IfDescription = 3;
    private const ushort IfTsResol = 9;

    private readonly Stream stream;
    private readonly bool leaveOpen;
    private readonly List<int> linkTypes = [];
    private byte[] scratch = new byte[4096];
    private bool disposed;

    public PcapngWriter(Stream stream, string application, bool leaveOpen = false)
    {
        this.stream = stream;
        this.leaveOpen = leaveOpen;
        var block = new BlockBuilder(this, SectionHeaderBlock);
        block.UInt32(ByteOrderMagic);
        block.UInt16(1); // major version (§4.1)
        block.UInt16(0);
        block.UInt64(ulong.MaxValue); // section length not given: the file is written as a stream
        block.StringOption(ShbUserAppl, application);
        block.Finish();
    }

    /// <summary>Bytes written so far (for size-based rotation).</summary>
    public long BytesWritten { get; private set; }

    public int PacketsWritten { get; private set; }

    /// <summary>Declares an interface and returns its index for <see cref="WritePacket"/>.</summary>
    public int AddInterface(int linkType, int snapLength, string? name = null, string? description = null)
    {
        var block = new BlockBuilder(this, InterfaceDescriptionBlock);
        block.UInt16((ushort)linkType);
        block.UInt16(0); // reserved
        block.UInt32((uint)snapLength);
        if (name is not null) block.StringOption(IfName, name);
        if (description is not null) block.StringOption(IfDescription, description);
        block.ByteOption(IfTsResol, 9);
        block.Finish();
        linkTypes.Add(linkType);
        return linkTypes.Count - 1;
    }

    public int InterfaceCount => linkTypes.Count;

    /// <summary>One packet: <paramref name="data"/> as captured, <paramref name="originalLength"/> as on the wire.</summary>
    public void WritePacket(int interfaceId, Timestamp time, ReadOnlySpan<byte> data, int originalLength, string? comment = null)
    {
        if ((uint)interfaceId >= (uint)linkTypes.Count) throw new ArgumentOutOfRangeException(nameof(interfaceId), "no such interface was added");
        var block = new BlockBuilder(this, EnhancedPacketBlock);
        block.UInt32((uint)interfaceId);
        ulong ns = (ulong)time.UnixNanoseconds;
        block.UInt32((uint)(ns >> 32));
        block.UInt32((uint)ns);
        block.UInt32((uint)data.Length);
        block.UInt32((uint)Math.Max(originalLength, data.Length));
        block.Bytes(data);
        if (comment is not null) block.StringOption(OptComment, comment);
        block.Finish();
        PacketsWritten++;
    }

    public void Flush() => stream.Flush();

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        stream.Flush();
        if (!leaveOpen) stream.Dispose();
    }

    /// <summary>
    /// Builds one block in the scratch buffer: type, length, body padded to 32 bits, options
    /// closed by opt_endofopt, and the trailing length copy (§3.1).
    /// </summary>
    private ref struct BlockBuilder
    {
        private readonly PcapngWriter writer;
        private int length;
        private bool hasOptions;

        public BlockBuilder(PcapngWriter writer, uint type)
        {
            this.writer = writer;
            length = 0;
            hasOptions = false;
            UInt32(type);
            UInt32(0); // total length, filled in by Finish
        }

        public void UInt16(ushort value)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), value);
        }

        public void UInt32(uint value)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);
        }

        public void UInt64(ulong value)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);
        }

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(Reserve(bytes.Length));
            Pad();
        }

        public void StringOption(ushort code, string value)
        {
            int count = Encoding.UTF8.GetByteCount(value);
            Option(code, count);
            Encoding.UTF8.GetBytes(value, Reserve(count));
            Pad();
        }

        public void ByteOption(ushort code, byte value)
        {
            Option(code, 1);
            Reserve(1)[0] = value;
            Pad();
        }

        public void Finish()
        {
            if (hasOptions)
            {
                UInt16(OptEndOfOpt);
                UInt16(0);
            }
            int total = length + 4;
            UInt32((uint)total);
            BinaryPrimitives.WriteUInt32LittleEndian(writer.scratch.AsSpan(4), (uint)total);
            writer.stream.Write(writer.scratch, 0, length);
            writer.BytesWritten += length;
        }

        private void Option(ushort code, int valueLength)
        {
            if (valueLength > ushort.MaxValue) throw new ArgumentException("a pcapng option holds at most 65535 bytes");
            hasOptions = true;
            UInt16(code);
            UInt16((ushort)valueLength);
        }

        private void Pad()
        {
            int pad = (4 - (length & 3)) & 3;
            Reserve(pad).Clear();
        }

        private Span<byte> Reserve(int count)
        {
            if (length + count > writer.scratch.Length)
                Array.Resize(ref writer.scratch, Math.Max(writer.scratch.Length * 2, length + count + 64));
            Span<byte> span = writer.scratch.AsSpan(length, count);
            length += count;
            return span;
        }
    }
}
