namespace Inspector.Core.Analysis;

/// <summary>
/// Labels such as "TLS_AES_128_GCM_SHA256 (0x1301)" built once per code: every ClientHello
/// lists dozens of them, and a busy capture repeats the same few clients thousands of times.
/// Bounded (<see cref="BoundedCache{TKey, TValue}"/>), so a hostile peer sending every code costs
/// no more memory. Shared by the proxy's concurrent sessions, hence concurrent.
/// </summary>
internal static class CodeNameCache
{
    internal enum Kind { Hex, ContentType, Version, CipherSuite, NamedGroup, SignatureScheme }

    /// <summary>Labels kept at most (about 1 MB of strings).</summary>
    internal const int Capacity = 16_384;

    private static readonly BoundedCache<int, string> Labels = new(Capacity);

    public static string Get(Kind kind, ushort code, Func<ushort, string> build) => Labels.Get(((int)kind << 16) | code, code, build);
}
