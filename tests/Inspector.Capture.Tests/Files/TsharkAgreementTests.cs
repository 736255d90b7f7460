using System.Buffers.Binary;
using Inspector.Capture.Files;
using static Inspector.Capture.Tests.Files.ReaderTestSupport;

namespace Inspector.Capture.Tests.Files;

/// <summary>
/// Real captures, and what Wireshark's tools make of them, read exactly as tshark 4.0 reads them:
/// the same packets, lengths, interfaces, link types and timestamps to the nanosecond.
/// </summary>
public sealed class TsharkAgreementTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    public static TheoryData<string> Captures() => AllCaptures();

    [Theory]
    [MemberData(nameof(Captures))]
    public void Every_capture_reads_as_tshark_reads_it(string name)
    {
        string path = CapturePath(name);
        List<ReadPacket> ours = ReadAll(path);
        List<TsharkFrame> theirs = Tshark(path);

        AssertSameAsTshark(theirs, ours);
        Assert.NotEmpty(ours);
        Assert.Equal(theirs[0].Epoch, ours[0].Epoch);
        Assert.Equal(theirs[^1].Epoch, ours[^1].Epoch);
        AssertOffsetsPointAtTheRecords(File.ReadAllBytes(path), ours);
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void Format_names_the_variant(string name)
    {
        string path = CapturePath(name);
        string expected = BinaryPrimitives.ReadUInt32LittleEndian(File.ReadAllBytes(path)) switch
        {
            0x0A0D0D0A => "pcapng",
            0xA1B2C3D4 or 0xD4C3B2A1 => "pcap (microseconds)",
            0xA1B23C4D or 0x4D3CB2A1 => "pcap (nanoseconds)",
            uint other => $"unexpected magic {other:x8}",
        };
        using ICaptureReader reader = CaptureFileReader.Open(path);
        Assert.Equal(expected, reader.Format);
    }

    /// <summary>
    /// The same capture converted by tshark to pcapng, by editcap to nanosecond pcap, and by the
    /// test to big-endian pcap gives the same packets with the same timestamps.
    /// </summary>
    [Theory]
    [MemberData(nameof(Captures))]
    public void Conversions_read_the_same_packets(string name)
    {
        string original = CapturePath(name);
        List<ReadPacket> expected = ReadAll(original);

        string pcapng = temp.File(name + ".tshark.pcapng");
        Run("tshark", "-r", original, "-F", "pcapng", "-w", pcapng);
        AssertSamePackets(expected, pcapng, "pcapng");

        if (expected.Select(p => p.LinkType).Distinct().Count() == 1) // classic pcap has one link type per file
        {
            string nsec = temp.File(name + ".nsec.pcap");
            Run("editcap", "-F", "nsecpcap", original, nsec);
            AssertSamePackets(expected, nsec, "pcap (nanoseconds)");
        }

        byte[] bytes = File.ReadAllBytes(original);
        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes) == 0xA1B2C3D4)
        {
            string bigEndian = temp.Write(name + ".be.pcap", ToBigEndianPcap(bytes));
            AssertSamePackets(expected, bigEndian, "pcap (microseconds)");
            AssertSameAsTshark(Tshark(bigEndian), ReadAll(bigEndian));
        }
    }

    [Fact]
    public void Nanosecond_pcap_keeps_the_nanoseconds()
    {
        string nsec = temp.File("dumpcap.nsec.pcap");
        Run("editcap", "-F", "nsecpcap", CapturePath("ftps-curl-proftpd-dumpcap.pcapng"), nsec);
        List<ReadPacket> ours = ReadAll(nsec);

        AssertSameAsTshark(Tshark(nsec), ours);
        Assert.Equal("1795743217.397139666", ours[0].Epoch); // not a multiple of 1000: really nanoseconds
        Assert.Contains(ours, p => p.Nanoseconds % 1000 != 0);
    }

    /// <summary>
    /// mergecap keeps one interface per input: Ethernet with nanoseconds (dumpcap's pcapng) and
    /// Linux SLL2 with microseconds (tcpdump -i any). libpcap 1.10 refuses such a file.
    /// </summary>
    [Fact]
    public void Merged_pcapng_with_two_link_types_and_resolutions_matches_tshark()
    {
        string merged = temp.File("merged.pcapng");
        Run("mergecap", "-w", merged, CapturePath("ftps-curl-proftpd-dumpcap.pcapng"), CapturePath("ftps-curl-proftpd-any-sll2.pcap"));
        List<ReadPacket> ours = ReadAll(merged);

        AssertSameAsTshark(Tshark(merged), ours);
        Assert.Equal(new[] { (0, 1), (1, 276) }, ours.Select(p => (p.InterfaceId, p.LinkType)).Distinct().Order().ToArray());
        Assert.Equal(ReadAll(CapturePath("ftps-curl-proftpd-dumpcap.pcapng")).Count, ours.Count(p => p.InterfaceId == 0));
        Assert.Equal(ReadAll(CapturePath("ftps-curl-proftpd-any-sll2.pcap")).Count, ours.Count(p => p.InterfaceId == 1));
        AssertOffsetsPointAtTheRecords(File.ReadAllBytes(merged), ours);
    }

    private static void AssertSameAsTshark(List<TsharkFrame> theirs, List<ReadPacket> ours)
    {
        Assert.Equal(theirs.Count, ours.Count);
        for (int i = 0; i < ours.Count; i++)
        {
            var mine = new TsharkFrame(ours[i].Epoch, ours[i].InterfaceId, ours[i].OriginalLength, ours[i].Data.Length, ours[i].LinkType);
            Assert.True(theirs[i] == mine, $"frame {i + 1}: tshark {theirs[i]}, reader {mine}");
        }
    }

    private static void AssertSamePackets(List<ReadPacket> expected, string path, string format)
    {
        using (ICaptureReader reader = CaptureFileReader.Open(path)) Assert.Equal(format, reader.Format);
        List<ReadPacket> actual = ReadAll(path);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i] with { FileOffset = 0, Data = Array.Empty<byte>() }, actual[i] with { FileOffset = 0, Data = Array.Empty<byte>() });
            Assert.Equal(expected[i].Data, actual[i].Data);
        }
    }

    /// <summary>FileOffset is where the record or block starts: its data follows its header there.</summary>
    private static void AssertOffsetsPointAtTheRecords(byte[] file, List<ReadPacket> packets)
    {
        bool pcapng = BinaryPrimitives.ReadUInt32LittleEndian(file) == 0x0A0D0D0A;
        long previous = -1;
        foreach (ReadPacket p in packets)
        {
            Assert.True(p.FileOffset > previous);
            previous = p.FileOffset;
            int dataAt = (int)p.FileOffset + (pcapng ? 28 : 16);
            if (pcapng) Assert.Equal(6u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan((int)p.FileOffset)));
            Assert.True(file.AsSpan(dataAt, p.Data.Length).SequenceEqual(p.Data), $"data of the record at {p.FileOffset}");
        }
    }
}
