using System.Text;

namespace Inspector.Core.Tls;

/// <summary>
/// A decoded ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2), or an SSLv2-format hello
/// (RFC 6101 Appendix E), with the parts a diagnosis needs already pulled out.
/// </summary>
public sealed record ClientHelloInfo
{
    public required ushort LegacyVersion { get; init; }
    public required byte[] Random { get; init; }
    public required byte[] SessionId { get; init; }
    public required ushort[] CipherSuites { get; init; }
    /// <summary>SSLv2 three-byte cipher kinds (only for an SSLv2-format hello).</summary>
    public int[] SslV2CipherKinds { get; init; } = [];
    public required byte[] CompressionMethods { get; init; }
    /// <summary>False when the hello ends after the compression methods (allowed before TLS 1.3).</summary>
    public required bool HasExtensionBlock { get; init; }
    public required IReadOnlyList<TlsExtension> Extensions { get; init; }
    public string? ServerName { get; init; }
    public ushort[]? SupportedVersions { get; init; }
    public ushort[]? SupportedGroups { get; init; }
    public ushort[]? SignatureAlgorithms { get; init; }
    public byte[]? EcPointFormats { get; init; }
    public string[]? Alpn { get; init; }
    public bool IsSslV2Format { get; init; }

    /// <summary>The versions the client is willing to use, best first, GREASE left out.</summary>
    public IReadOnlyList<ushort> OfferedVersions =>
        SupportedVersions is { Length: > 0 }
            ? SupportedVersions.Where(v => !TlsRegistry.IsGrease(v)).OrderByDescending(v => v).ToArray()
            : [LegacyVersion];

    /// <summary>The best version offered: supported_versions when present (RFC 8446 §4.2.1), else legacy_version.</summary>
    public ushort HighestVersion => OfferedVersions.Count > 0 ? OfferedVersions[0] : LegacyVersion;

    public bool HasExtension(ushort type) => Extensions.Any(e => e.Type == type);

    public string Ja3 => TlsFingerprints.Ja3String(LegacyVersion, CipherSuites, Extensions.Select(e => e.Type).ToArray(),
        SupportedGroups ?? [], EcPointFormats ?? []);

    public string Ja3Hash => TlsFingerprints.Ja3Hash(Ja3);

    public string Ja4 => TlsFingerprints.Ja4(LegacyVersion, SupportedVersions ?? [], ServerName is not null || HasExtension(0),
        CipherSuites, Extensions.Select(e => e.Type).ToArray(), Alpn is { Length: > 0 } ? Alpn[0] : null, SignatureAlgorithms ?? []);

    /// <summary>"TLS 1.0 at most" or "TLS 1.3, TLS 1.2": how a person would say what was offered.</summary>
    public string DescribeVersions()
    {
        if (SupportedVersions is { Length: > 0 })
        {
            return string.Join(", ", OfferedVersions.Select(TlsRegistry.VersionName));
        }
        return IsSslV2Format
            ? $"{TlsRegistry.VersionName(LegacyVersion)} at most, in an SSLv2-format hello"
            : $"{TlsRegistry.VersionName(LegacyVersion)} at most (legacy_version, no supported_versions extension)";
    }

    /// <summary>A one-paragraph, plain account of the offer, for explanations.</summary>
    public string DescribeOffer()
    {
        var sb = new StringBuilder();
        sb.Append("The client offered ").Append(DescribeVersions()).Append(", ");
        sb.Append(CipherSuites.Length).Append(CipherSuites.Length == 1 ? " cipher suite (" : " cipher suites (");
        sb.Append(string.Join(", ", CipherSuites.Select(TlsRegistry.CipherSuiteName))).Append("), ");
        sb.Append("compression ").Append(string.Join(", ", CompressionMethods.Select(TlsRegistry.CompressionMethodName)));
        if (Extensions.Count == 0)
        {
            sb.Append(", and no extensions (so no SNI, no supported_groups, no signature_algorithms)");
        }
        else
        {
            sb.Append(", and ").Append(Extensions.Count).Append(" extensions (")
              .Append(string.Join(", ", Extensions.Select(e => e.Name))).Append(')');
        }
        return sb.Append('.').ToString();
    }
}
