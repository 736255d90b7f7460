using Inspector.Capture.Files;
using Inspector.Core.Model;

namespace Inspector.Capture.Tests.Files;

/// <summary>What the pcapng writer writes, our reader and tshark read back exactly.</summary>
public class PcapngWriterTests
{
    public static TheoryData<string> Captures() => ReaderTestSupport.AllCaptures();

    [Theory]
    [MemberData(nameof(Captures))]
    public void Every_packet_of_every_capture_survives_a_round_trip(string capture)
    {
        using var folder = new TempFolder();
        List<ReadPacket> original = ReaderTestSupport.ReadAll(ReaderTestSupport.CapturePath(capture));
        string copy = folder.File("copy.pcapng");
        using (var writer = new PcapngWriter(File.Create(copy), "inspector tests"))
        {
            var interfaces = new Dictionary<int, int>();
            foreach (ReadPacket p in original)
            {
                if (!interfaces.TryGetValue(p.LinkType, out int id)) interfaces[p.LinkType] = id = writer.AddInterface(p.LinkType, 262_144, $"if{p.LinkType}");
                writer.WritePacket(id, new Timestamp(p.Nanoseconds), p.Data, p.OriginalLength, comment: "round trip");
            }
        }

        List<ReadPacket> back = ReaderTestSupport.ReadAll(copy);
        Assert.Equal(original.Count, back.Count);
        for (int i = 0; i < back.Count; i++)
        {
            Assert.Equal(original[i].Data, back[i].Data);
            Assert.Equal(original[i].Nanoseconds, back[i].Nanoseconds);
            Assert.Equal(original[i].OriginalLength, back[i].OriginalLength);
            Assert.Equal(original[i].LinkType, back[i].LinkType);
        }
        List<TsharkFrame> tshark = ReaderTestSupport.Tshark(copy);
        Assert.Equal(original.Select(p => (p.Epoch, p.Data.Length, p.OriginalLength, p.LinkType)),
            tshark.Select(f => (f.Epoch, f.CapturedLength, f.Length, f.LinkType)));
    }

    [Fact]
    public void Rotation_starts_a_complete_new_file_at_the_size_limit_and_loses_no_packet()
    {
        using var folder = new TempFolder();
        string capture = ReaderTestSupport.CapturePath("seed-proftpd-1.3.7f-openssl-1.0.2n.pcap");
        List<ReadPacket> original = ReaderTestSupport.ReadAll(capture);
        string path = folder.File("kept.pcapng");
        List<string> files;
        using (var writer = new RotatingPcapngWriter(path, 400, original[0].LinkType, 262_144, "lo"))
        {
            foreach (ReadPacket p in original) writer.Write(new Timestamp(p.Nanoseconds), p.Data, p.OriginalLength);
            files = [.. writer.Files];
        }

        Assert.True(files.Count > 2, $"{files.Count} file(s)");
        Assert.Equal(path, files[0]);
        Assert.Equal(folder.File("kept.1.pcapng"), files[1]);
        var back = files.SelectMany(ReaderTestSupport.ReadAll).ToList();
        Assert.Equal(original.Select(p => p.Data), back.Select(p => p.Data));
        foreach (string f in files)
        {
            Assert.True(new FileInfo(f).Length <= 400 || ReaderTestSupport.ReadAll(f).Count == 1, $"{f} is over the limit with more than one packet");
            Assert.Equal(ReaderTestSupport.ReadAll(f).Count, ReaderTestSupport.Tshark(f).Count);
        }
    }
}
