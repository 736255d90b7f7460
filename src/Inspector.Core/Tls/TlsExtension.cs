namespace Inspector.Core.Tls;

/// <summary>One hello extension as sent: its type and the length of its data (RFC 8446 §4.2).</summary>
public readonly record struct TlsExtension(ushort Type, int Length)
{
    public string Name => TlsRegistry.ExtensionName(Type);
}

/// <summary>Receives one extension's type and data while a hello's extension block is read.</summary>
internal delegate void ExtensionHandler(ushort type, ReadOnlySpan<byte> data);

/// <summary>The extensions block shared by ClientHello and ServerHello (RFC 8446 §4.2).</summary>
internal static class ExtensionBlock
{
    /// <summary>
    /// Reads the two-byte-length block of (type, two-byte-length data) entries that ends a
    /// hello, listing each in <paramref name="into"/> and handing it to <paramref name="handle"/>.
    /// Returns null when every length added up, else what did not.
    /// </summary>
    public static string? Read(ref WireReader r, List<TlsExtension> into, ExtensionHandler handle)
    {
        if (!r.TryVector16(out ReadOnlySpan<byte> block)) return "extensions block runs past the message";
        var er = new WireReader(block);
        while (!er.AtEnd)
        {
            if (!er.TryU16(out ushort type) || !er.TryVector16(out ReadOnlySpan<byte> data)) return "an extension runs past the extensions block";
            into.Add(new TlsExtension(type, data.Length));
            handle(type, data);
        }
        return null;
    }
}
