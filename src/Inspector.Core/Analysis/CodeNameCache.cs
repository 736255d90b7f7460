using System.Collections.Concurrent;

namespace Inspector.Core.Analysis;

/// <summary>
/// Labels such as "TLS_AES_128_GCM_SHA256 (0x1301)" built once per code: every ClientHello
/// lists dozens of them, and a busy capture repeats the same few clients thousands of times.
/// Bounded, so a hostile peer sending every code once fills it and no more; past the bound
/// labels are built as before. Shared by the proxy's concurrent sessions, hence concurrent.
/// </summary>
internal static class CodeNameCache
{
    internal enum Kind { Hex, ContentType, Version, CipherSuite, NamedGroup, SignatureScheme }

    /// <summary>Labels kept at most (about 1 MB of strings).</summary>
    internal const int Capacity = 16_384;

    private static readonly ConcurrentDictionary<int, string> Labels = new();

    public static string Get(Kind kind, ushort code, Func<ushort, string> build)
    {
        int key = ((int)kind << 16) | code;
        if (Labels.TryGetValue(key, out string? label)) return label;
        label = build(code);
        if (Labels.Count < Capacity) Labels.TryAdd(key, label);
        return label;
    }
}
