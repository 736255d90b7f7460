using System.Runtime.InteropServices;
using Inspector.Core.Timeline;
using Inspector.Core.Tls;

namespace Inspector.Core.Analysis;

/// <summary>
/// What a ClientHello says about the client's TLS stack, without the values that change on every
/// connection (random, session id, the SNI host name, key shares): the versions, suites,
/// extensions and groups it offers with their names, and its JA3 and JA4 fingerprints. One client
/// sends the same profile on every connection, so a busy capture holds a handful of profiles
/// across thousands of hellos; each is built once and shared. Building one (names, two hashes, a
/// sort) cost about 40 µs a hello, a third of the analysis of a control-heavy capture.
/// </summary>
internal sealed class ClientHelloProfile
{
    /// <summary>Distinct profiles kept; past it a profile is built for each hello, as without a cache.</summary>
    internal const int Capacity = 256;

    /// <summary>
    /// Hellos listing more values than this (suites, extensions, groups, signature algorithms
    /// together) are not cached: real stacks list a few hundred at most, and a hostile client must
    /// not fill the cache with megabytes of names.
    /// </summary>
    internal const int MaxCachedValues = 1024;

    private static readonly BoundedCache<Shape, ClientHelloProfile> Known = new(Capacity);

    private ClientHelloProfile(ClientHelloInfo h, ushort[] extensionTypes)
    {
        OfferedVersions = [.. h.OfferedVersions];
        HighestVersion = OfferedVersions.Length > 0 ? OfferedVersions[0] : h.LegacyVersion;
        VersionsDescription = h.DescribeVersions();
        VersionNames = Array.ConvertAll(OfferedVersions, TlsRegistry.VersionName);
        CipherSuiteNames = Array.ConvertAll(h.CipherSuites, TlsRegistry.CipherSuiteName);
        CipherSuiteCodes = Array.ConvertAll(h.CipherSuites, TlsDetails.Hex16);
        SslV2CipherKinds = Array.ConvertAll(h.SslV2CipherKinds, k => $"{TlsRegistry.SslV2CipherKindName(k)} (0x{k:x6})");
        CompressionMethods = Array.ConvertAll(h.CompressionMethods, c => $"{TlsRegistry.CompressionMethodName(c)} ({c})");
        ExtensionNames = Array.ConvertAll(extensionTypes, TlsRegistry.ExtensionName);
        ExtensionTypes = DetailNode.List("extension_types");
        foreach (ushort t in extensionTypes) ExtensionTypes.Item(t);
        SupportedVersions = h.SupportedVersions is null ? null : Array.ConvertAll(h.SupportedVersions, TlsDetails.Version);
        SupportedGroups = h.SupportedGroups is null ? null : Array.ConvertAll(h.SupportedGroups, TlsDetails.Group);
        SignatureAlgorithms = h.SignatureAlgorithms is null ? null : Array.ConvertAll(h.SignatureAlgorithms, TlsDetails.Scheme);
        EcPointFormats = h.EcPointFormats is null ? null : Array.ConvertAll(h.EcPointFormats, f => $"{TlsRegistry.EcPointFormatName(f)} ({f})");
        Ja3 = h.Ja3;
        Ja3Hash = TlsFingerprints.Ja3Hash(Ja3);
        Ja4 = h.Ja4;
    }

    public ushort[] OfferedVersions { get; }

    public ushort HighestVersion { get; }

    public string VersionsDescription { get; }

    // The lists below are shared by every event of this profile: never changed once built.
    public string[] VersionNames { get; }

    public string[] CipherSuiteNames { get; }

    public string[] CipherSuiteCodes { get; }

    public string[] SslV2CipherKinds { get; }

    public string[] CompressionMethods { get; }

    public string[] ExtensionNames { get; }

    public DetailNode ExtensionTypes { get; }

    public string[]? SupportedVersions { get; }

    public string[]? SupportedGroups { get; }

    public string[]? SignatureAlgorithms { get; }

    public string[]? EcPointFormats { get; }

    public string Ja3 { get; }

    public string Ja3Hash { get; }

    public string Ja4 { get; }

    public static ClientHelloProfile Of(ClientHelloInfo hello)
    {
        var shape = new Shape(hello);
        return shape.Size > MaxCachedValues
            ? new ClientHelloProfile(hello, shape.ExtensionTypes)
            : Known.Get(shape, (hello, shape.ExtensionTypes), static s => new ClientHelloProfile(s.hello, s.ExtensionTypes));
    }

    /// <summary>
    /// The fields a profile is built from, compared by content. The SNI host name is left out
    /// (only whether there is one counts, for JA4), as are extension lengths, which change with it.
    /// </summary>
    private sealed class Shape : IEquatable<Shape>
    {
        private readonly ClientHelloInfo hello;
        private readonly int hash;

        public Shape(ClientHelloInfo hello)
        {
            this.hello = hello;
            ExtensionTypes = new ushort[hello.Extensions.Count];
            for (int i = 0; i < ExtensionTypes.Length; i++) ExtensionTypes[i] = hello.Extensions[i].Type;
            Size = hello.CipherSuites.Length + hello.SslV2CipherKinds.Length + ExtensionTypes.Length + (hello.SupportedGroups?.Length ?? 0)
                + (hello.SignatureAlgorithms?.Length ?? 0) + (hello.SupportedVersions?.Length ?? 0) + (hello.Alpn?.Length ?? 0);

            var h = new HashCode();
            h.Add(hello.LegacyVersion);
            h.Add(hello.IsSslV2Format);
            h.Add(hello.ServerName is null);
            Mix(ref h, hello.CipherSuites);
            Mix(ref h, ExtensionTypes);
            Mix(ref h, hello.SupportedGroups);
            Mix(ref h, hello.SignatureAlgorithms);
            Mix(ref h, hello.SupportedVersions);
            h.AddBytes(hello.CompressionMethods);
            h.AddBytes(hello.EcPointFormats);
            h.AddBytes(MemoryMarshal.AsBytes(hello.SslV2CipherKinds.AsSpan()));
            if (hello.Alpn is not null) foreach (string p in hello.Alpn) h.Add(p);
            hash = h.ToHashCode();
        }

        public ushort[] ExtensionTypes { get; }

        /// <summary>How many values the hello lists.</summary>
        public int Size { get; }

        public bool Equals(Shape? other)
        {
            if (other is null) return false;
            if (ReferenceEquals(this, other)) return true;
            ClientHelloInfo a = hello, b = other.hello;
            return hash == other.hash
                && a.LegacyVersion == b.LegacyVersion
                && a.IsSslV2Format == b.IsSslV2Format
                && a.ServerName is null == b.ServerName is null
                && a.CipherSuites.AsSpan().SequenceEqual(b.CipherSuites)
                && ExtensionTypes.AsSpan().SequenceEqual(other.ExtensionTypes)
                && Same(a.SupportedGroups, b.SupportedGroups)
                && Same(a.SignatureAlgorithms, b.SignatureAlgorithms)
                && Same(a.SupportedVersions, b.SupportedVersions)
                && a.CompressionMethods.AsSpan().SequenceEqual(b.CompressionMethods)
                && Same(a.EcPointFormats, b.EcPointFormats)
                && a.SslV2CipherKinds.AsSpan().SequenceEqual(b.SslV2CipherKinds)
                && Same(a.Alpn, b.Alpn);
        }

        public override bool Equals(object? obj) => Equals(obj as Shape);

        public override int GetHashCode() => hash;

        // An absent extension and an empty one are different offers (JA3/JA4 treat them alike, the detail does not).
        private static bool Same<T>(T[]? a, T[]? b) where T : IEquatable<T> =>
            a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

        private static void Mix(ref HashCode h, ushort[]? values)
        {
            h.Add(values is null ? -1 : values.Length);
            if (values is not null) h.AddBytes(MemoryMarshal.AsBytes(values.AsSpan()));
        }
    }
}
