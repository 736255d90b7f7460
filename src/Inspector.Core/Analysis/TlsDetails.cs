using System.Globalization;
using Inspector.Core.Timeline;
using Inspector.Core.Tls;

namespace Inspector.Core.Analysis;

/// <summary>Decoded TLS messages as detail trees, with IANA names beside the numbers.</summary>
internal static class TlsDetails
{
    public static DetailNode ClientHello(ClientHelloInfo h)
    {
        var d = DetailNode.Object("client_hello");
        if (h.IsSslV2Format) d.Add("format", "SSLv2-compatible (RFC 6101 Appendix E)");
        d.AddStrings("versions", h.OfferedVersions.Select(TlsRegistry.VersionName));
        d.Add("legacy_version", Version(h.LegacyVersion));
        d.Add("random", Convert.ToHexStringLower(h.Random));
        d.Add("session_id", Convert.ToHexStringLower(h.SessionId));
        d.AddStrings("cipher_suites", h.CipherSuites.Select(TlsRegistry.CipherSuiteName));
        d.AddStrings("cipher_suite_codes", h.CipherSuites.Select(Hex16));
        if (h.SslV2CipherKinds.Length > 0)
        {
            d.AddStrings("sslv2_cipher_kinds", h.SslV2CipherKinds.Select(k =>
                $"{TlsRegistry.SslV2CipherKindName(k)} (0x{k:x6})"));
        }
        d.AddStrings("compression_methods", h.CompressionMethods.Select(c => $"{TlsRegistry.CompressionMethodName(c)} ({c})"));
        d.AddStrings("extensions", h.Extensions.Select(e => e.Name));
        d.AddNode(Numbers("extension_types", h.Extensions.Select(e => (long)e.Type)));
        if (h.ServerName is not null) d.Add("server_name", h.ServerName);
        if (h.SupportedVersions is not null) d.AddStrings("supported_versions", h.SupportedVersions.Select(Version));
        if (h.SupportedGroups is not null) d.AddStrings("supported_groups", h.SupportedGroups.Select(Group));
        if (h.SignatureAlgorithms is not null) d.AddStrings("signature_algorithms", h.SignatureAlgorithms.Select(Scheme));
        if (h.EcPointFormats is not null) d.AddStrings("ec_point_formats", h.EcPointFormats.Select(f => $"{TlsRegistry.EcPointFormatName(f)} ({f})"));
        if (h.Alpn is not null) d.AddStrings("alpn", h.Alpn);
        d.Add("ja3", h.Ja3);
        d.Add("ja3_hash", h.Ja3Hash);
        d.Add("ja4", h.Ja4);
        return d;
    }

    public static DetailNode ServerHello(ServerHelloInfo s)
    {
        var d = DetailNode.Object(s.IsHelloRetryRequest ? "hello_retry_request" : "server_hello");
        d.Add("legacy_version", Version(s.LegacyVersion));
        if (s.SelectedVersion is { } v) d.Add("selected_version", Version(v));
        d.Add("random", Convert.ToHexStringLower(s.Random));
        d.Add("session_id", Convert.ToHexStringLower(s.SessionId));
        d.Add("cipher_suite", Suite(s.CipherSuite));
        d.Add("compression_method", $"{TlsRegistry.CompressionMethodName(s.Compression)} ({s.Compression})");
        d.AddStrings("extensions", s.Extensions.Select(e => $"{e.Name} ({e.Type}), {e.Length} bytes"));
        if (s.DowngradeSentinel is { } ds) d.Add("downgrade_sentinel", ds);
        return d;
    }

    public static DetailNode Certificates(IReadOnlyList<CertificateInfo> chain)
    {
        var d = DetailNode.Object("certificate");
        DetailNode list = d.AddNode(DetailNode.List("chain"));
        foreach (CertificateInfo c in chain)
        {
            var node = DetailNode.Object("");
            if (c.Error is not null)
            {
                node.Add("error", c.Error);
            }
            else
            {
                node.Add("subject", c.Subject);
                node.Add("issuer", c.Issuer);
                node.Add("not_before", c.NotBefore);
                node.Add("not_after", c.NotAfter);
                node.Add("key", c.KeySize > 0 ? $"{c.KeyAlgorithm} {c.KeySize} bits" : c.KeyAlgorithm);
                node.Add("signature_algorithm", c.SignatureAlgorithm);
                node.Add("serial", c.Serial);
            }
            node.Add("sha256", c.Sha256Fingerprint);
            list.AddNode(node);
        }
        return d;
    }

    public static DetailNode Alert(AlertInfo a)
    {
        var d = DetailNode.Object("alert");
        d.Add("level", $"{a.LevelName} ({a.Level})");
        d.Add("description", $"{a.DescriptionName} ({a.Description})");
        return d;
    }

    private static string Hex16(ushort v) =>
        CodeNameCache.Get(CodeNameCache.Kind.Hex, v, static c => string.Create(CultureInfo.InvariantCulture, $"0x{c:x4}"));

    private static DetailNode Numbers(string name, IEnumerable<long> values)
    {
        DetailNode list = DetailNode.List(name);
        foreach (long v in values) list.Item(v);
        return list;
    }

    internal static string ContentType(byte t) =>
        CodeNameCache.Get(CodeNameCache.Kind.ContentType, t, static c => $"{TlsRegistry.ContentTypeName((byte)c)} ({c})");

    internal static string Version(ushort v) =>
        CodeNameCache.Get(CodeNameCache.Kind.Version, v, static c => Named(TlsRegistry.VersionName(c), c));

    private static string Suite(ushort s) =>
        CodeNameCache.Get(CodeNameCache.Kind.CipherSuite, s, static c => Named(TlsRegistry.CipherSuiteName(c), c));

    private static string Group(ushort g) =>
        CodeNameCache.Get(CodeNameCache.Kind.NamedGroup, g, static c => Named(TlsRegistry.NamedGroupName(c), c));

    private static string Scheme(ushort s) =>
        CodeNameCache.Get(CodeNameCache.Kind.SignatureScheme, s, static c => Named(TlsRegistry.SignatureSchemeName(c), c));

    private static string Named(string name, ushort value) =>
        string.Create(CultureInfo.InvariantCulture, $"{name} (0x{value:x4})");
}
