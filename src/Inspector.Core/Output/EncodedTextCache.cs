using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Inspector.Core.Output;

/// <summary>
/// JSON-encoded forms of strings that recur as the same instance: event kinds, field names, and
/// the shared summaries and details of encrypted records, which are most lines of a busy
/// capture. Escaping and transcoding such a string once, not on every line, was about a tenth of
/// the output thread's time. Direct-mapped by object identity and bounded: a string is encoded
/// the second time the same instance is seen, so strings built for one line (most FTP summaries)
/// cost one table slot and nothing more. Single-threaded, like the formatter that owns it.
/// </summary>
internal sealed class EncodedTextCache(JavaScriptEncoder encoder)
{
    private const int Slots = 4096; // a power of two

    private readonly string?[] keys = new string?[Slots];
    private readonly JsonEncodedText?[] values = new JsonEncodedText?[Slots];

    /// <summary>The encoded form when this very string was seen before, else false (and it is remembered).</summary>
    public bool TryGet(string text, out JsonEncodedText encoded)
    {
        int slot = RuntimeHelpers.GetHashCode(text) & (Slots - 1);
        if (ReferenceEquals(keys[slot], text))
        {
            encoded = values[slot] ??= JsonEncodedText.Encode(text, encoder);
            return true;
        }
        keys[slot] = text;
        values[slot] = null;
        encoded = default;
        return false;
    }

    public void WriteString(Utf8JsonWriter w, JsonEncodedText name, string value)
    {
        if (TryGet(value, out JsonEncodedText encoded)) w.WriteString(name, encoded);
        else w.WriteString(name, value);
    }

    public void WriteStringValue(Utf8JsonWriter w, string value)
    {
        if (TryGet(value, out JsonEncodedText encoded)) w.WriteStringValue(encoded);
        else w.WriteStringValue(value);
    }

    public void WritePropertyName(Utf8JsonWriter w, string name)
    {
        if (TryGet(name, out JsonEncodedText encoded)) w.WritePropertyName(encoded);
        else w.WritePropertyName(name);
    }
}
