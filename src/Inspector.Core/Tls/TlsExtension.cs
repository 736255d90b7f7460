namespace Inspector.Core.Tls;

/// <summary>One hello extension as sent: its type and the length of its data (RFC 8446 §4.2).</summary>
public readonly record struct TlsExtension(ushort Type, int Length)
{
    public string Name => TlsRegistry.ExtensionName(Type);
}
