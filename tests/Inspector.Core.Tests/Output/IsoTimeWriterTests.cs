using Inspector.Core.Model;

namespace Inspector.Core.Tests.Output;

/// <summary>The JSON writer keeps the last second's text (IsoTimeWriter): every time must still read as Timestamp.FormatIso writes it.</summary>
public class IsoTimeWriterTests
{
    private static string Iso(Timestamp t)
    {
        Span<byte> text = stackalloc byte[Timestamp.IsoLength];
        t.FormatIso(text);
        return System.Text.Encoding.ASCII.GetString(text);
    }

    [Fact]
    public void Times_in_any_order_read_as_FormatIso_writes_them()
    {
        var writer = new IsoTimeWriter();
        var random = new Random(8);
        var times = new List<Timestamp>();
        long[] edges = [0, -1, 1, 999_999_999, 1_000_000_000, -1_000_000_000, -1_000_000_001, 86_400_000_000_000, 86_399_999_999_999,
            1_767_225_599_999_999_999, 1_767_225_600_000_000_000, 951_782_400_000_000_000 /* 2000-02-29 */, -2_208_988_800_000_000_001 /* 1899-12-31 */];
        foreach (long ns in edges) times.Add(new Timestamp(ns));
        long at = 1_767_268_800_000_000_000;
        for (int i = 0; i < 20_000; i++)
        {
            at += random.Next(4) == 0 ? random.NextInt64(-2_000_000_000, 3_000_000_000) : random.Next(0, 50_000);
            times.Add(new Timestamp(at));
        }
        byte[] got = new byte[Timestamp.IsoLength];
        foreach (Timestamp t in times)
        {
            writer.Write(t, got);
            Assert.Equal(Iso(t), System.Text.Encoding.ASCII.GetString(got));
        }
    }
}
