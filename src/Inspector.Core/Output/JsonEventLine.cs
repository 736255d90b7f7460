using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Inspector.Core.Model;
using Inspector.Core.Timeline;

namespace Inspector.Core.Output;

/// <summary>
/// A timeline event's JSON line, the bulk of `read --json` (nineteen lines in twenty on a
/// control-heavy capture), written byte by byte: the fixed parts are constants, numbers are
/// formatted in place, and a string that needs no escaping (nearly every one) is narrowed
/// straight to ASCII. A string that does need escaping goes through <see cref="Utf8JsonWriter"/>
/// with the same encoder, so the line is byte for byte what that writer makes (the tests compare
/// the two on every bundled capture). Through the writer, with its per-call checks and a cache of
/// encoded strings, these lines were two thirds of the output thread's time. Single-threaded.
/// </summary>
internal sealed class JsonEventLine
{
    private readonly SearchValues<byte> escaped;
    private readonly ArrayBufferWriter<byte> scratch = new(256);
    private readonly Utf8JsonWriter scratchWriter;
    private readonly JsonTailCache tails = new();
    private readonly IsoTimeWriter times = new();
    private byte[] line = new byte[1024];
    private int used;

    public JsonEventLine(JavaScriptEncoder encoder)
    {
        escaped = EscapedAscii(encoder);
        scratchWriter = new Utf8JsonWriter(scratch, new JsonWriterOptions { Encoder = encoder, SkipValidation = true });
    }

    /// <summary>Writes the event's object (no line end) into <paramref name="target"/>.</summary>
    public void Write(IBufferWriter<byte> target, long session, TimelineEvent e, bool includeBytes)
    {
        used = 0;
        Raw("{\"type\":\"event\",\"session\":"u8);
        Number(session);
        Raw(",\"time\":\""u8);
        Ensure(Timestamp.IsoLength + 1);
        times.Write(e.Time, line.AsSpan(used, Timestamp.IsoLength));
        used += Timestamp.IsoLength;
        line[used++] = (byte)'"';
        Raw(e.Direction switch
        {
            Direction.ClientToServer => ",\"dir\":\"c2s\",\"offset\":"u8,
            Direction.ServerToClient => ",\"dir\":\"s2c\",\"offset\":"u8,
            _ => ",\"dir\":null,\"offset\":"u8,
        });
        Number(e.Offset);
        Raw(",\"length\":"u8);
        Number(e.Length);
        if (e.Detail is { Shared: true })
        {
            if (tails.Find(e, out int slot) is { } kept)
            {
                Raw(kept);
            }
            else
            {
                int tailStart = used;
                Tail(e);
                tails.Seen(slot, e, line.AsSpan(tailStart, used - tailStart));
            }
        }
        else
        {
            Tail(e);
        }
        if (includeBytes && !e.Bytes.IsEmpty)
        {
            Raw(",\"bytes\":"u8);
            String(Convert.ToHexStringLower(e.Bytes.Span));
        }
        Byte('}');
        ReadOnlySpan<byte> done = line.AsSpan(0, used);
        done.CopyTo(target.GetSpan(done.Length));
        target.Advance(done.Length);
    }

    // From "layer" to the end of the details: what JsonTailCache keeps for shared details.
    private void Tail(TimelineEvent e)
    {
        Raw(",\"layer\":"u8);
        String(e.Layer.WireName());
        Raw(",\"kind\":"u8);
        String(e.Kind);
        Raw(",\"summary\":"u8);
        String(e.Summary);
        if (e.Detail is not null)
        {
            // Decoded fields sit beside the common ones (the JSON contract); the detail tree's
            // own name says which message they belong to.
            Raw(",\"message\":"u8);
            String(e.Detail.Name);
            foreach (DetailNode field in e.Detail.ChildSpan)
            {
                Byte(',');
                Property(field);
            }
        }
    }

    private void Property(DetailNode node)
    {
        String(node.Name);
        Byte(':');
        Value(node);
    }

    // Objects become JSON objects, lists arrays, leaves strings, numbers or booleans. Leaves are
    // told apart by exact type, which compiles to a compare; a pattern match on object was a
    // call to the runtime's cast helper per field.
    private void Value(DetailNode node)
    {
        if (node.Value is { } leaf)
        {
            Type type = leaf.GetType();
            if (type == typeof(string)) String(Unsafe.As<string>(leaf));
            else if (type == typeof(long)) Number((long)leaf);
            else if (type == typeof(bool)) Raw((bool)leaf ? "true"u8 : "false"u8);
            else throw new InvalidOperationException($"a detail leaf holds a {type.Name}"); // DetailNode makes only these three
            return;
        }
        if (!node.IsList)
        {
            Byte('{');
            bool first = true;
            foreach (DetailNode field in node.ChildSpan)
            {
                if (!first) Byte(',');
                first = false;
                Property(field);
            }
            Byte('}');
            return;
        }
        Byte('[');
        if (node.TryGetStringItems(out ReadOnlySpan<string> strings))
        {
            for (int i = 0; i < strings.Length; i++)
            {
                if (i > 0) Byte(',');
                String(strings[i]);
            }
        }
        else
        {
            bool first = true;
            foreach (DetailNode item in node.ChildSpan)
            {
                if (!first) Byte(',');
                first = false;
                Value(item);
            }
        }
        Byte(']');
    }

    private void String(string s)
    {
        Ensure(s.Length + 2);
        Span<byte> text = line.AsSpan(used + 1, s.Length);
        if (Ascii.FromUtf16(s, text, out _) == OperationStatus.Done && text.IndexOfAny(escaped) < 0)
        {
            line[used] = (byte)'"';
            line[used + 1 + s.Length] = (byte)'"';
            used += s.Length + 2;
            return;
        }
        // Non-ASCII, control characters, quotes and the like: the writer's own escaping.
        scratch.ResetWrittenCount();
        scratchWriter.Reset(scratch);
        scratchWriter.WriteStringValue(s);
        scratchWriter.Flush();
        Raw(scratch.WrittenSpan);
    }

    private void Number(long value)
    {
        Ensure(20); // "-9223372036854775808"
        Utf8Formatter.TryFormat(value, line.AsSpan(used), out int written);
        used += written;
    }

    private void Byte(char c)
    {
        Ensure(1);
        line[used++] = (byte)c;
    }

    private void Raw(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(line.AsSpan(used));
        used += bytes.Length;
    }

    private void Ensure(int more)
    {
        if (line.Length - used >= more) return;
        Array.Resize(ref line, Math.Max(line.Length * 2, used + more));
    }

    /// <summary>The ASCII characters the encoder escapes, asked of the encoder itself rather than listed here.</summary>
    private static SearchValues<byte> EscapedAscii(JavaScriptEncoder encoder)
    {
        var list = new List<byte>();
        for (int c = 0; c < 128; c++)
        {
            string one = ((char)c).ToString();
            if (JsonEncodedText.Encode(one, encoder).Value != one) list.Add((byte)c);
        }
        return SearchValues.Create(list.ToArray());
    }
}
