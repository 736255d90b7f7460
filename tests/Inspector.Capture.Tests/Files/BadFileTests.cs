using System.Buffers.Binary;
using Inspector.Capture.Files;
using static Inspector.Capture.Tests.Files.ReaderTestSupport;

namespace Inspector.Capture.Tests.Files;

/// <summary>
/// Files that are not captures, are cut off, or are corrupt: a <see cref="CaptureFormatException"/>
/// naming the problem and the offset of the record or block at fault, after every whole packet
/// before it was returned.
/// </summary>
public sealed class BadFileTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private CaptureFormatException OpenFails(byte[] bytes)
    {
        string path = temp.Write("bad.cap", bytes);
        var e = Assert.Throws<CaptureFormatException>(() => CaptureFileReader.Open(path).Dispose());
        Assert.Equal(path, e.Path);
        Assert.Equal($"{path}: {e.Problem} at byte offset {e.Offset}", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    [Fact]
    public void Empty_file()
    {
        CaptureFormatException e = OpenFails([]);
        Assert.Equal(("empty file", 0L), (e.Problem, e.Offset));
    }

    [Fact]
    public void File_shorter_than_a_magic_number()
    {
        CaptureFormatException e = OpenFails([0xD4, 0xC3, 0xB2]);
        Assert.Equal(("file header cut off: 3 bytes, too short for a magic number", 0L), (e.Problem, e.Offset));
    }

    [Fact]
    public void Random_bytes()
    {
        var bytes = new byte[4096];
        new Random(3).NextBytes(bytes);
        CaptureFormatException e = OpenFails(bytes);
        Assert.Equal(0, e.Offset);
        Assert.Equal($"not a pcap or pcapng file (magic 0x{bytes[0]:x2}{bytes[1]:x2}{bytes[2]:x2}{bytes[3]:x2})", e.Problem);
    }

    [Fact]
    public void Wrong_magic()
    {
        byte[] real = File.ReadAllBytes(CapturePath("seed-proftpd-1.3.7f-openssl-1.0.2n.pcap"));
        real[0] ^= 0xFF; // d4 c3 b2 a1 -> 2b c3 b2 a1
        CaptureFormatException e = OpenFails(real);
        Assert.Equal(("not a pcap or pcapng file (magic 0x2bc3b2a1)", 0L), (e.Problem, e.Offset));
    }

    [Fact]
    public void Text_file()
    {
        CaptureFormatException e = OpenFails("USER anonymous\r\n"u8.ToArray());
        Assert.Equal("not a pcap or pcapng file (magic 0x55534552)", e.Problem);
    }

    [Fact]
    public void Pcap_file_header_cut_short()
    {
        byte[] real = File.ReadAllBytes(CapturePath("seed-pyftpdlib.pcap"));
        CaptureFormatException e = OpenFails(real[..10]);
        Assert.Equal(("pcap file header cut off: 10 of 24 bytes", 0L), (e.Problem, e.Offset));
    }

    [Fact]
    public void Pcapng_section_header_cut_short()
    {
        byte[] file = new PcapngBuilder().Section().ToArray();
        Assert.Equal(("section header block cut off: its header needs 8 bytes, 6 left", 0L), ReadFails(file[..6]));
        Assert.Equal(("section header block cut off: needs at least 28 bytes, 10 left", 0L), ReadFails(file[..10]));
        Assert.Equal(($"section header block cut off: needs {file.Length} bytes, 20 left", 0L), ReadFails(file[..20]));
    }

    [Fact]
    public void Missing_file_is_an_ordinary_IO_error()
    {
        Assert.Throws<FileNotFoundException>(() => CaptureFileReader.Open(temp.File("missing.pcap")));
        Assert.Throws<DirectoryNotFoundException>(() => CaptureFileReader.Open(temp.File("no/such/folder.pcap")));
    }

    [Fact]
    public void Folder_is_an_ordinary_IO_error()
    {
        Exception e = Assert.ThrowsAny<Exception>(() => CaptureFileReader.Open(temp.Path));
        Assert.True(e is UnauthorizedAccessException or IOException, e.GetType().Name);
    }

    /// <summary>Just the file header and one record header: the record's data is missing.</summary>
    [Fact]
    public void Record_header_without_its_data()
    {
        byte[] real = File.ReadAllBytes(CapturePath("seed-pyftpdlib.pcap"));
        uint captured = BinaryPrimitives.ReadUInt32LittleEndian(real.AsSpan(24 + 8));
        Assert.Equal(($"packet record cut off: needs 16+{captured} bytes, 16 left", 24L), ReadFails(real[..(24 + 16)]));
        Assert.Equal(("packet record header cut off: 10 of 16 bytes", 24L), ReadFails(real[..(24 + 10)]));
    }

    [Fact]
    public void Block_header_without_its_body()
    {
        var b = new PcapngBuilder().Section().Interface(1);
        byte[] file = b.Enhanced(0, 0, new byte[60]).ToArray();
        long at = b.LastOffset;
        long total = file.Length - at;
        Assert.Equal(($"enhanced packet block cut off: needs {total} bytes, 8 left", at), ReadFails(file[..(int)(at + 8)]));
        Assert.Equal(("enhanced packet block cut off: its header needs 8 bytes, 6 left", at), ReadFails(file[..(int)(at + 6)]));
        Assert.Equal(("block cut off: its header needs 8 bytes, 2 left", at), ReadFails(file[..(int)(at + 2)]));
    }

    [Fact]
    public void Trailing_length_that_differs_from_the_leading_one()
    {
        var b = new PcapngBuilder().Section().Interface(1).Enhanced(0, 0, [1, 2, 3, 4]);
        long at = b.LastOffset, total = b.Length - at;
        byte[] file = b.Enhanced(0, 0, [5, 6, 7, 8]).ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan((int)(at + total - 4)), (uint)total + 4);
        var (packets, error) = ReadUntilError(temp.Write("trailer.pcapng", file));
        Assert.Empty(packets);
        Assert.Equal(($"corrupt enhanced packet block: trailing length {total + 4} does not match the leading length {total}", at), (error?.Problem, error?.Offset));
    }

    [Theory]
    [InlineData(46u, "invalid block length 46")]     // not a multiple of 4
    [InlineData(8u, "invalid block length 8")]       // below 12
    [InlineData(0x10000004u, "invalid block length 268435460")] // above 256 MiB
    public void Invalid_block_lengths(uint length, string problem)
    {
        var b = new PcapngBuilder().Section().Interface(1);
        long at = b.Length;
        byte[] file = b.Enhanced(0, 0, new byte[40]).ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan((int)at + 4), length);
        var (_, error) = ReadUntilError(temp.Write("length.pcapng", file));
        Assert.NotNull(error);
        Assert.Equal(at, error.Offset);
        Assert.StartsWith("corrupt enhanced packet block: " + problem, error.Problem);
    }

    [Fact]
    public void Pcap_record_above_256_MiB_is_corrupt_not_allocated()
    {
        byte[] real = File.ReadAllBytes(CapturePath("seed-pyftpdlib.pcap"));
        int second = 24 + 16 + (int)BinaryPrimitives.ReadUInt32LittleEndian(real.AsSpan(24 + 8));
        BinaryPrimitives.WriteUInt32LittleEndian(real.AsSpan(second + 8), 0x7FFFFFFF);
        var (packets, error) = ReadUntilError(temp.Write("huge.pcap", real));
        Assert.Single(packets);
        Assert.Equal(("corrupt packet record: captured length 2147483647 is above the 256 MiB limit", (long)second), (error?.Problem, error?.Offset));
    }

    [Fact]
    public void Captured_length_larger_than_the_block_is_corrupt()
    {
        var b = new PcapngBuilder().Section().Interface(1);
        byte[] file = b.Enhanced(0, 0, new byte[8], captured: 2000).ToArray();
        var (_, error) = ReadUntilError(temp.Write("caplen.pcapng", file));
        Assert.Equal(b.LastOffset, error?.Offset);
        // 8 bytes of data and 28 of options (epb_flags, opt_comment, opt_endofopt) follow the fixed fields.
        Assert.Equal("corrupt enhanced packet block: captured length 2000 is larger than the block (36 bytes of data)", error?.Problem);
    }

    [Fact]
    public void Simple_packet_longer_than_its_block_is_corrupt()
    {
        var b = new PcapngBuilder().Section().Interface(1).Simple([1, 2, 3, 4], original: 100);
        var (_, error) = ReadUntilError(temp.Write("spb.pcapng", b.ToArray()));
        Assert.Equal(b.LastOffset, error?.Offset);
        Assert.Equal("corrupt simple packet block: captured length 100 is larger than the block (4 bytes of data)", error?.Problem);
    }

    [Fact]
    public void Packet_naming_an_undescribed_interface()
    {
        var b = new PcapngBuilder().Section().Interface(1).Enhanced(0, 0, [1]).Enhanced(3, 0, [1, 2]);
        var (packets, error) = ReadUntilError(temp.Write("iface.pcapng", b.ToArray()));
        Assert.Single(packets);
        Assert.Equal(("corrupt enhanced packet block: names interface 3, but this section describes only 1", b.LastOffset), (error?.Problem, error?.Offset));
    }

    [Fact]
    public void Interfaces_do_not_outlive_their_section()
    {
        var b = new PcapngBuilder().Section().Interface(1).Enhanced(0, 0, [1]).Section().Simple([1, 2]);
        var (packets, error) = ReadUntilError(temp.Write("iface.pcapng", b.ToArray()));
        Assert.Single(packets);
        Assert.Equal(("corrupt simple packet block: names interface 0, but this section describes only 0", b.LastOffset), (error?.Problem, error?.Offset));
    }

    [Fact]
    public void Bad_byte_order_magic()
    {
        byte[] file = new PcapngBuilder().Section().ToArray();
        file[8] = 0x99;
        Assert.Equal(("corrupt section header block: byte-order magic 0x993c2b1a is neither 1a2b3c4d nor 4d3c2b1a", 0L), ReadFails(file));
    }

    [Fact]
    public void A_failed_reader_keeps_failing()
    {
        byte[] real = File.ReadAllBytes(CapturePath("seed-pyftpdlib.pcap"));
        int secondRecord = 24 + 16 + (int)BinaryPrimitives.ReadUInt32LittleEndian(real.AsSpan(24 + 8));
        string path = temp.Write("cut.pcap", real[..(secondRecord + 10)]);
        using ICaptureReader reader = CaptureFileReader.Open(path);
        Assert.True(reader.TryRead(out _));
        var first = Assert.Throws<CaptureFormatException>(() => reader.TryRead(out _));
        var second = Assert.Throws<CaptureFormatException>(() => reader.TryRead(out _));
        Assert.Same(first, second);
    }

    /// <summary>Cuts at every tenth of real captures, classic and pcapng (tcpdump, tshark, dumpcap).</summary>
    [Theory]
    [InlineData("ftps-curl-proftpd.pcap", false)]
    [InlineData("ftps-curl-proftpd.pcap", true)]
    [InlineData("ftps-curl-proftpd-dumpcap.pcapng", false)]
    [InlineData("ftps-curl-proftpd-any-sll2.pcap", false)]
    public void Cut_at_every_tenth(string name, bool toPcapng)
    {
        byte[] whole = Source(name, toPcapng);
        for (int tenth = 1; tenth <= 9; tenth++) AssertCut(whole, whole.Length * tenth / 10);
    }

    /// <summary>Small captures cut at every byte: record and block headers, bodies, boundaries.</summary>
    [Theory]
    [InlineData("seed-pyftpdlib.pcap", false)]
    [InlineData("seed-pyftpdlib.pcap", true)]
    public void Cut_at_every_byte(string name, bool toPcapng)
    {
        byte[] whole = Source(name, toPcapng);
        for (int cut = 1; cut < whole.Length; cut++) AssertCut(whole, cut);
    }

    private byte[] Source(string name, bool toPcapng)
    {
        if (!toPcapng) return File.ReadAllBytes(CapturePath(name));
        string converted = temp.File(name + ".pcapng");
        Run("tshark", "-r", CapturePath(name), "-F", "pcapng", "-w", converted);
        return File.ReadAllBytes(converted);
    }

    /// <summary>
    /// The file cut to <paramref name="cut"/> bytes gives exactly the packets wholly before the
    /// cut, then (unless the cut falls between two records) a "cut off" error at the start of
    /// the record or block the cut falls in.
    /// </summary>
    private void AssertCut(byte[] whole, int cut)
    {
        List<Extent> extents = Layout(whole);
        List<ReadPacket> all = ReadAll(temp.Write("whole.cap", whole));
        var (packets, error) = ReadUntilError(temp.Write("cut.cap", whole[..cut]));

        List<ReadPacket> complete = all.Where(p => extents.Single(e => e.Start == p.FileOffset).End <= cut).ToList();
        Assert.Equal(complete.Count, packets.Count);
        for (int i = 0; i < complete.Count; i++)
        {
            Assert.Equal(complete[i].FileOffset, packets[i].FileOffset);
            Assert.Equal(complete[i].Data, packets[i].Data);
        }
        if (extents.Any(e => e.End == cut))
        {
            Assert.True(error is null, $"cut at {cut}: {error?.Message}");
            return;
        }
        Assert.True(error is not null, $"cut at {cut}: no error");
        long start = cut < 4 ? 0 : extents.First(e => e.End > cut).Start;
        Assert.True(start == error.Offset, $"cut at {cut}: error at {error.Offset}, expected {start}: {error.Problem}");
        Assert.Contains("cut off", error.Problem);
    }

    private (string Problem, long Offset) ReadFails(byte[] bytes)
    {
        var (_, error) = ReadUntilError(temp.Write("bad.cap", bytes));
        Assert.NotNull(error);
        return (error.Problem, error.Offset);
    }
}
