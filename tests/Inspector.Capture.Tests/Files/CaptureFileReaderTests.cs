using System.Diagnostics;
using System.Globalization;
using Inspector.Capture.Files;
using Inspector.Core.Model;

namespace Inspector.Capture.Tests.Files;

public class CaptureFileReaderTests
{
    private static string Capture(string name) => Path.Combine(AppContext.BaseDirectory, "captures", name);

    private static string Temp(byte[] bytes, string ext = ".pcapng")
    {
        string path = Path.Combine(Path.GetTempPath(), "inspector-reader-" + Guid.NewGuid().ToString("N") + ext);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static List<(CapturedPacket Packet, byte[] Data)> ReadAll(string path)
    {
        var list = new List<(CapturedPacket, byte[])>();
        using ICaptureReader r = CaptureFileReader.Open(path);
        while (r.TryRead(out CapturedPacket p)) list.Add((p, p.Data.ToArray()));
        return list;
    }

    private static List<string[]> TsharkFrames(string path)
    {
        var psi = new ProcessStartInfo("tshark") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "-n", "-r", path, "-T", "fields", "-e", "frame.time_epoch", "-e", "frame.len", "-e", "frame.cap_len" }) psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToList();
    }

    private static void Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{tool} {string.Join(' ', args)}: {err}");
    }

    [Theory]
    [InlineData("ftps-curl-proftpd.pcap", "")]
    [InlineData("ftps-curl-proftpd.pcap", "pcapng")]
    [InlineData("ftps-curl-proftpd.pcap", "nsecpcap")]
    [InlineData("seed-vsftpd-3.0.3-openssl3.pcap", "pcapng")]
    public void Packets_lengths_and_timestamps_match_tshark(string capture, string convertTo)
    {
        string path = Capture(capture);
        if (convertTo.Length > 0)
        {
            string converted = Path.Combine(Path.GetTempPath(), $"inspector-{Guid.NewGuid():N}.{convertTo}");
            Run("editcap", "-F", convertTo, path, converted);
            path = converted;
        }
        List<(CapturedPacket Packet, byte[] Data)> ours = ReadAll(path);
        List<string[]> theirs = TsharkFrames(path);

        Assert.Equal(theirs.Count, ours.Count);
        for (int i = 0; i < ours.Count; i++)
        {
            Assert.Equal(theirs[i][0], ours[i].Packet.Time.ToEpochString());
            Assert.Equal(int.Parse(theirs[i][1], CultureInfo.InvariantCulture), ours[i].Packet.OriginalLength);
            Assert.Equal(int.Parse(theirs[i][2], CultureInfo.InvariantCulture), ours[i].Data.Length);
            Assert.Equal(1, ours[i].Packet.LinkType);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Pcapng_with_per_interface_link_types_and_resolutions(bool bigEndian)
    {
        byte[] frame1 = [1, 2, 3, 4, 5], frame2 = [0x45, 0, 0, 20], frame3 = [9, 9, 9];
        byte[] file = new PcapngBuilder(bigEndian).Section()
            .Interface(1, tsresol: 9)                      // Ethernet, nanoseconds
            .Interface(101, tsresol: 0x80 | 20)            // raw IP, 2^-20 s
            .Unknown(0x00000BAD, 8)
            .Enhanced(0, 1_800_000_000_123_456_789UL, frame1)
            .Enhanced(1, (1_800_000_000UL << 20) + (1UL << 19), frame2, original: 1500)
            .Section()                                     // a new section forgets the interfaces
            .Interface(113)                                // SLL, default microseconds
            .Simple(frame3)
            .Enhanced(0, 1_800_000_001_000_001UL, frame3)
            .ToArray();
        var packets = ReadAll(Temp(file));

        Assert.Equal(4, packets.Count);
        Assert.Equal((1, 0, "1800000000.123456789"), (packets[0].Packet.LinkType, packets[0].Packet.InterfaceId, packets[0].Packet.Time.ToEpochString()));
        Assert.Equal(frame1, packets[0].Data);
        Assert.Equal((101, 1, "1800000000.500000000", 1500), (packets[1].Packet.LinkType, packets[1].Packet.InterfaceId, packets[1].Packet.Time.ToEpochString(), packets[1].Packet.OriginalLength));
        Assert.Equal(113, packets[2].Packet.LinkType);
        Assert.Equal(frame3, packets[2].Data);
        Assert.Equal("1800000001.000001000", packets[3].Packet.Time.ToEpochString());
    }

    [Fact]
    public void Packet_naming_an_undescribed_interface_is_corrupt()
    {
        byte[] file = new PcapngBuilder().Section().Interface(1).Enhanced(3, 0, [1, 2]).ToArray();
        var e = Assert.Throws<CaptureFormatException>(() => ReadAll(Temp(file)));
        Assert.Contains("interface 3", e.Message);
    }

    [Fact]
    public void Trailing_length_mismatch_is_corrupt_at_the_block_offset()
    {
        byte[] file = new PcapngBuilder().Section().Interface(1).Enhanced(0, 0, [1, 2, 3, 4]).ToArray();
        file[^1] ^= 0x01;
        string path = Temp(file);
        var e = Assert.Throws<CaptureFormatException>(() => ReadAll(path));
        Assert.Equal(28 + 24, e.Offset); // section header 28 bytes, interface description 24
        Assert.Contains("trailing length", e.Message);
    }

    [Fact]
    public void Cut_files_report_the_record_offset_after_returning_every_whole_packet()
    {
        byte[] real = File.ReadAllBytes(Capture("seed-proftpd-1.3.7f-openssl-1.0.2n.pcap"));
        var whole = ReadAll(Capture("seed-proftpd-1.3.7f-openssl-1.0.2n.pcap"));
        for (int cut = 1; cut < real.Length; cut += 7)
        {
            string path = Temp(real[..cut], ".pcap");
            var got = new List<CapturedPacket>();
            long? failedAt = null;
            try
            {
                using ICaptureReader r = CaptureFileReader.Open(path);
                while (r.TryRead(out CapturedPacket p)) got.Add(p);
            }
            catch (CaptureFormatException e)
            {
                failedAt = e.Offset;
            }
            int complete = whole.Count(w => w.Packet.FileOffset + 16 + w.Data.Length <= cut);
            bool endsOnBoundary = cut == 24 || whole.Any(w => w.Packet.FileOffset + 16 + w.Data.Length == cut);
            Assert.Equal(complete, got.Count);
            if (endsOnBoundary) Assert.Null(failedAt);
            else Assert.Equal(cut < 24 ? 0 : whole[complete].Packet.FileOffset, failedAt);
        }
    }
}
