using System.Text;
using System.Text.Json;
using Inspector.Core.Output;

namespace Inspector.Core.Tests.Output;

/// <summary>Held lines come out whole and in order, however a writer asks for room.</summary>
public class HeldLinesTests
{
    private static string Written(HeldLines held)
    {
        var stream = new MemoryStream();
        using (var w = new Utf8StreamWriter(stream, leaveOpen: true)) held.WriteTo(new Utf8LineWriter(w));
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    public void Lines_written_by_a_json_writer_in_pieces_come_out_whole_and_in_order(int seed)
    {
        var random = new Random(seed);
        var held = new HeldLines();
        var expected = new StringBuilder();
        using var json = new Utf8JsonWriter(held);
        for (int i = 0; i < 400; i++)
        {
            // Lines from a few bytes to several chunks (16 KB) long, so some move to a new chunk mid-line.
            string value = new('a', random.Next(0, random.Next(2) == 0 ? 100 : 40_000));
            json.Reset(held);
            json.WriteStartObject();
            json.WriteNumber("n", i);
            json.WriteString("v", value);
            json.WriteEndObject();
            json.Flush();
            held.EndLine();
            expected.Append("{\"n\":").Append(i).Append(",\"v\":\"").Append(value).Append("\"}\n");
        }
        Assert.Equal(400, held.Count);
        Assert.Equal(expected.ToString(), Written(held));
        Assert.Equal(0, held.Count);
        Assert.Equal("", Written(held)); // reusable and empty after writing
    }

    [Fact]
    public void Added_lines_and_written_lines_mix()
    {
        var held = new HeldLines();
        held.Add("first"u8);
        "second"u8.CopyTo(held.GetSpan(6));
        held.Advance(6);
        held.EndLine();
        held.Add(""u8);
        Assert.Equal("first\nsecond\n\n", Written(held));
    }

    [Fact]
    public void Advancing_past_what_was_given_is_refused()
    {
        var held = new HeldLines();
        int given = held.GetSpan(10).Length;
        Assert.Throws<InvalidOperationException>(() => held.Advance(given + 1));
    }

    [Fact]
    public void Through_a_plain_text_writer_the_lines_are_the_same()
    {
        var held = new HeldLines();
        held.Add("{\"a\":1}"u8);
        held.Add("{\"b\":\"\\u00E9\"}"u8);
        var text = new StringWriter { NewLine = "\r\n" };
        held.WriteTo(new Utf8LineWriter(text));
        Assert.Equal("{\"a\":1}\r\n{\"b\":\"\\u00E9\"}\r\n", text.ToString());
    }

    [Fact]
    public void Sessions_of_one_writer_reuse_chunks_and_never_see_each_others_lines()
    {
        var chunks = new HeldChunks(keep: 4);
        var first = new HeldLines(chunks);
        for (int i = 0; i < 120; i++) first.Add(Encoding.ASCII.GetBytes($"first session line {i:D3} " + new string('x', 300)));
        string firstText = Written(first);
        Assert.Equal(120, firstText.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(3, chunks.Spare); // 50 such lines to a 16 KB chunk: three chunks, back for the next session

        var second = new HeldLines(chunks);
        second.Add("short"u8);
        Assert.Equal(2, chunks.Spare); // one of them reused
        Assert.Equal("short\n", Written(second)); // nothing of the first session's lines
        Assert.Equal(3, chunks.Spare);

        var third = new HeldLines(chunks);
        third.Add(new byte[40_000]); // a line longer than a chunk gets one of its own, not kept
        Assert.Equal(40_001, Written(third).Length);
        Assert.Equal(3, chunks.Spare);

        var fourth = new HeldLines(chunks);
        for (int i = 0; i < 300; i++) fourth.Add(new byte[300]); // six chunks
        Written(fourth);
        Assert.Equal(4, chunks.Spare); // at most four kept
    }
}
