using System.Net;
using System.Net.NetworkInformation;
using System.Text;
using Inspector.Capture.Files;
using PacketDotNet;
using static Inspector.Capture.Tests.Files.ReaderTestSupport;

namespace Inspector.Capture.Tests.Files;

/// <summary>
/// pcapng files built byte by byte: per-interface link types and time resolutions, simple and
/// obsolete packet blocks, blocks to skip, both byte orders, several sections.
/// </summary>
public sealed class HandBuiltPcapngTests : IDisposable
{
    private const ulong Second = 1_000_000_000;

    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>An FTP command in an Ethernet/IPv4/TCP frame with valid checksums.</summary>
    private static byte[] EthernetFrame()
    {
        var eth = new EthernetPacket(PhysicalAddress.Parse("02-00-00-00-00-01"), PhysicalAddress.Parse("02-00-00-00-00-02"), EthernetType.IPv4);
        var ip = new IPv4Packet(IPAddress.Parse("192.0.2.1"), IPAddress.Parse("192.0.2.2")) { TimeToLive = 64 };
        var tcp = new TcpPacket(40001, 21) { Acknowledgment = true, Push = true, WindowSize = 502 };
        eth.PayloadPacket = ip;
        ip.PayloadPacket = tcp;
        tcp.PayloadData = Encoding.ASCII.GetBytes("USER anonymous\r\n");
        _ = eth.Bytes;
        tcp.UpdateTcpChecksum();
        ip.UpdateIPChecksum();
        return eth.Bytes;
    }

    /// <summary>An FTP reply as a bare IPv4 packet (LINKTYPE_RAW).</summary>
    private static byte[] RawIpPacket()
    {
        var ip = new IPv4Packet(IPAddress.Parse("192.0.2.2"), IPAddress.Parse("192.0.2.1")) { TimeToLive = 64 };
        var tcp = new TcpPacket(21, 40001) { Acknowledgment = true, Push = true, WindowSize = 509 };
        ip.PayloadPacket = tcp;
        tcp.PayloadData = Encoding.ASCII.GetBytes("331 Password required\r\n");
        _ = ip.Bytes;
        tcp.UpdateTcpChecksum();
        ip.UpdateIPChecksum();
        return ip.Bytes;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Two_sections_with_per_interface_link_types_and_resolutions(bool firstSectionBigEndian)
    {
        byte[] eth = EthernetFrame(), ip = RawIpPacket();
        var expected = new List<ReadPacket>();
        var b = new PcapngBuilder().Section(firstSectionBigEndian)
            .Interface(1, tsresol: 9)                                                  // 0: Ethernet, nanoseconds
            .NameResolution()
            .Interface(101, snapLength: 65535, tsresol: 0x80 | 20, tsoffset: 1_000_000_000) // 1: raw IP, 2^-20 s, +10^9 s
            .Block(0x00000FFF, new byte[8]);                                           // unknown type: skipped

        b.Enhanced(0, 1_800_000_000 * Second + 123_456_789, eth);
        expected.Add(new(1, 1_800_000_000_123_456_789, eth, eth.Length, b.LastOffset, 0));

        // 800,000,000 s and one 2^-20 s unit (953.674... ns, rounded down), plus the 10^9 s offset.
        b.Enhanced(1, (800_000_000UL << 20) + 1, ip, original: 1500);
        expected.Add(new(101, 1_800_000_000_000_000_953, ip, 1500, b.LastOffset, 1));

        b.Statistics(0).Custom();

        // No timestamp in a simple packet block: the last one seen. Interface 0, snap length 0 (no limit).
        b.Simple(eth);
        expected.Add(new(1, 1_800_000_000_000_000_953, eth, eth.Length, b.LastOffset, 0));

        // 2^20 - 1 units: 999,999,046.325... ns.
        b.Obsolete(1, (800_000_000UL << 20) + (1 << 20) - 1, ip);
        expected.Add(new(101, 1_800_000_000_999_999_046, ip, ip.Length, b.LastOffset, 1));

        b.Block(0x80000001, new byte[4]); // local use: skipped

        // A second section in the other byte order forgets both interfaces.
        b.Section(!firstSectionBigEndian).Interface(113, snapLength: 10);             // 0: Linux SLL, microseconds

        b.Simple(eth[..10], original: (uint)eth.Length); // captured = min(original, snap length)
        expected.Add(new(113, 1_800_000_000_999_999_046, eth[..10], eth.Length, b.LastOffset, 0));

        b.Enhanced(0, 1_800_000_001_000_001, eth[..10], original: (uint)eth.Length);
        expected.Add(new(113, 1_800_000_001_000_001_000, eth[..10], eth.Length, b.LastOffset, 0));

        string path = temp.Write("two-sections.pcapng", b.ToArray());
        List<ReadPacket> actual = ReadAll(path);

        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i] with { Data = Array.Empty<byte>() }, actual[i] with { Data = Array.Empty<byte>() });
            Assert.Equal(expected[i].Data, actual[i].Data);
        }
        AssertWiresharkAgrees(path, actual);
    }

    /// <summary>
    /// tshark reads the hand-built file the same way, 2^-20 s rounding included. Simple packet
    /// blocks aside: Wireshark gives them no time.
    /// </summary>
    private static void AssertWiresharkAgrees(string path, List<ReadPacket> ours)
    {
        List<TsharkFrame> theirs = Tshark(path);
        Assert.Equal(ours.Count, theirs.Count);
        for (int i = 0; i < ours.Count; i++)
        {
            Assert.Equal((theirs[i].InterfaceId, theirs[i].LinkType, theirs[i].Length, theirs[i].CapturedLength),
                (ours[i].InterfaceId, ours[i].LinkType, ours[i].OriginalLength, ours[i].Data.Length));
        }
        Assert.Equal(theirs[0].Epoch, ours[0].Epoch);
        Assert.Equal(theirs[1].Epoch, ours[1].Epoch);
        Assert.Equal(theirs[3].Epoch, ours[3].Epoch);
        Assert.Equal(theirs[5].Epoch, ours[5].Epoch);
    }

    [Theory]
    [InlineData(6, 1_700_000_000_123_456UL, 0L, "1700000000.123456000")]      // default-sized microseconds
    [InlineData(9, 1_700_000_000_123_456_789UL, 0L, "1700000000.123456789")]
    [InlineData(3, 1_700_000_000_123UL, 0L, "1700000000.123000000")]
    [InlineData(0, 1_700_000_000UL, 0L, "1700000000.000000000")]
    [InlineData(12, 123_456_789_999UL, 1_700_000_000L, "1700000000.123456789")]  // picoseconds: rounded down
    [InlineData(19, 10_000_000_000_000_000_000UL, 1_700_000_000L, "1700000001.000000000")]
    [InlineData(0x80 | 0, 1_700_000_000UL, 0L, "1700000000.000000000")]
    [InlineData(0x80 | 10, (1_700_000_000UL << 10) + 1, 0L, "1700000000.000976562")] // 976,562.5 ns
    [InlineData(0x80 | 20, (1_700_000_000UL << 20) + 1, 0L, "1700000000.000000953")]
    [InlineData(0x80 | 30, (1_700_000_000UL << 30) + 1, 0L, "1700000000.000000000")] // 0.93 ns
    [InlineData(0x80 | 63, (1UL << 63) + (1UL << 62), 1_700_000_000L, "1700000001.500000000")]
    [InlineData(6, 2_000_000UL, -1L, "1.000000000")]                               // negative if_tsoffset
    public void Timestamp_resolutions_convert_exactly(int tsresol, ulong units, long tsoffset, string epoch)
    {
        byte[] file = new PcapngBuilder().Section().Interface(1, tsresol: (byte)tsresol, tsoffset: tsoffset).Enhanced(0, units, [1, 2, 3]).ToArray();
        ReadPacket p = Assert.Single(ReadAll(temp.Write("resolution.pcapng", file)));
        Assert.Equal(epoch, p.Epoch);
    }

    [Fact]
    public void Without_if_tsresol_units_are_microseconds()
    {
        byte[] file = new PcapngBuilder().Section().Interface(1).Enhanced(0, 1_700_000_000_000_001, [1]).ToArray();
        Assert.Equal("1700000000.000001000", Assert.Single(ReadAll(temp.Write("default.pcapng", file))).Epoch);
    }

    [Theory]
    [InlineData(20)]       // 10^-20 s: 10^20 does not fit in 64 bits
    [InlineData(0x80 | 64)]
    public void Unusable_if_tsresol_is_corrupt(int tsresol)
    {
        var b = new PcapngBuilder().Section().Interface(1, tsresol: (byte)tsresol);
        long interfaceAt = b.LastOffset;
        var (packets, error) = ReadUntilError(temp.Write("resolution.pcapng", b.Enhanced(0, 1, [1]).ToArray()));
        Assert.Empty(packets);
        Assert.NotNull(error);
        Assert.Equal(interfaceAt, error.Offset);
        Assert.Contains("if_tsresol", error.Problem);
    }

    [Fact]
    public void Section_of_an_unknown_major_version_is_skipped()
    {
        var b = new PcapngBuilder()
            .Section(major: 2).Interface(1).Enhanced(0, 1, [1])
            .Section(major: 1, minor: 2).Interface(101).Enhanced(0, 2, [2]);
        ReadPacket p = Assert.Single(ReadAll(temp.Write("versions.pcapng", b.ToArray())));
        Assert.Equal((101, 2000L, b.LastOffset), (p.LinkType, p.Nanoseconds, p.FileOffset));
    }

    [Fact]
    public void Simple_packet_before_any_timestamp_is_at_zero()
    {
        byte[] file = new PcapngBuilder().Section().Interface(1).Simple([1, 2, 3, 4, 5]).ToArray();
        ReadPacket p = Assert.Single(ReadAll(temp.Write("spb.pcapng", file)));
        Assert.Equal((0L, 5, 5), (p.Nanoseconds, p.Data.Length, p.OriginalLength));
    }

    [Fact]
    public void A_file_with_only_a_section_header_has_no_packets()
    {
        string path = temp.Write("empty-section.pcapng", new PcapngBuilder().Section().Interface(1).ToArray());
        using ICaptureReader reader = CaptureFileReader.Open(path);
        Assert.Equal("pcapng", reader.Format);
        Assert.False(reader.TryRead(out _));
        Assert.False(reader.TryRead(out _));
    }
}
