using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Inspector.Core.Output;

namespace Inspector.Core.Tests.Output;

/// <summary>A string written from the cache reads exactly as one written directly, escapes included.</summary>
public class EncodedTextCacheTests
{
    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.Default }))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("550 \"quoted\" \\ back")]
    [InlineData("esc \u001b[2J bell \u0007 nul \u0000")]
    [InlineData("bidi \u202e reversed, é, 中文, 😀")]
    [InlineData("")]
    public void Cached_and_direct_writes_are_identical(string text)
    {
        var cache = new EncodedTextCache(JavaScriptEncoder.Default);
        JsonEncodedText name = JsonEncodedText.Encode("summary");
        string direct = Json(w => { w.WriteString(name, text); w.WritePropertyName(text); w.WriteStringValue(text); });
        // First sighting writes directly, the next ones from the cache: all three must agree.
        for (int round = 0; round < 3; round++)
        {
            string cached = Json(w => { cache.WriteString(w, name, text); cache.WritePropertyName(w, text); cache.WriteStringValue(w, text); });
            Assert.Equal(direct, cached);
        }
    }

    [Fact]
    public void Only_the_same_instance_hits_and_a_slot_holds_the_latest()
    {
        var cache = new EncodedTextCache(JavaScriptEncoder.Default);
        string a = new('x', 10);
        string b = new('x', 10); // equal, another instance
        Assert.False(cache.TryGet(a, out _));
        Assert.True(cache.TryGet(a, out JsonEncodedText encoded));
        Assert.Equal("xxxxxxxxxx", encoded.Value);
        Assert.False(cache.TryGet(b, out _)); // keyed by identity: an equal string is another key
    }

    [Fact]
    public void Many_distinct_strings_neither_grow_it_nor_change_what_is_written()
    {
        var cache = new EncodedTextCache(JavaScriptEncoder.Default);
        JsonEncodedText name = JsonEncodedText.Encode("s");
        for (int i = 0; i < 20_000; i++)
        {
            string s = "line \u0001 " + i;
            Assert.Equal(Json(w => w.WriteString(name, s)), Json(w => cache.WriteString(w, name, s)));
        }
    }
}
