using System.Globalization;
using Inspector.Core.Timeline;
using Inspector.Core.Tls;

namespace Inspector.Core.Analysis;

/// <summary>Decoded TLS messages as detail trees, with IANA names beside the numbers.</summary>
internal static class TlsDetails
{
    public static DetailNode ClientHello(ClientHelloInfo h) => ClientHello(h, ClientHelloProfile.Of(h));

    public static DetailNode ClientHello(ClientHelloInfo h, ClientHelloProfile p)
    {
        var d = DetailNode.Object("client_hello");
        if (h.IsSslV2Format) d.Add("format", "SSLv2-compatible (RFC 6101 Appendix E)");
        d.AddShared("versions", p.VersionNames);
        d.Add("legacy_version", Version(h.LegacyVersion));
        d.Add("random", Convert.ToHexStringLower(h.Random));
        d.Add("session_id", Convert.ToHexStringLower(h.SessionId));
        d.AddShared("cipher_suites", p.CipherSuiteNames);
        d.AddShared("cipher_suite_codes", p.CipherSuiteCodes);
        if (p.SslV2CipherKinds.Length > 0) d.AddShared("sslv2_cipher_kinds", p.SslV2CipherKinds);
        d.AddShared("compression_methods", p.CompressionMethods);
        d.AddShared("extensions", p.ExtensionNames);
        d.AddNode(p.ExtensionTypes);
        if (h.ServerName is not null) d.Add("server_name", h.ServerName);
        if (p.SupportedVersions is not null) d.AddShared("supported_versions", p.SupportedVersions);
        if (p.SupportedGroups is not null) d.AddShared("supported_groups", p.SupportedGroups);
        if (p.SignatureAlgorithms is not null) d.AddShared("signature_algorithms", p.SignatureAlgorithms);
        if (p.EcPointFormats is not null) d.AddShared("ec_point_formats", p.EcPointFormats);
        if (h.Alpn is not null) d.AddStrings("alpn", h.Alpn);
        d.Add("ja3", p.Ja3);
        d.Add("ja3_hash", p.Ja3Hash);
        d.Add("ja4", p.Ja4);
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

    internal static string Hex16(ushort v) =>
        CodeNameCache.Get(CodeNameCache.Kind.Hex, v, static c => string.Create(CultureInfo.InvariantCulture, $"0x{c:x4}"));

    internal static string ContentType(byte t) =>
        CodeNameCache.Get(CodeNameCache.Kind.ContentType, t, static c => $"{TlsRegistry.ContentTypeName((byte)c)} ({c})");

    internal static string Version(ushort v) =>
        CodeNameCache.Get(CodeNameCache.Kind.Version, v, static c => Named(TlsRegistry.VersionName(c), c));

    private static string Suite(ushort s) =>
        CodeNameCache.Get(CodeNameCache.Kind.CipherSuite, s, static c => Named(TlsRegistry.CipherSuiteName(c), c));

    internal static string Group(ushort g) =>
        CodeNameCache.Get(CodeNameCache.Kind.NamedGroup, g, static c => Named(TlsRegistry.NamedGroupName(c), c));

    internal static string Scheme(ushort s) =>
        CodeNameCache.Get(CodeNameCache.Kind.SignatureScheme, s, static c => Named(TlsRegistry.SignatureSchemeName(c), c));

    private static string Named(string name, ushort value) =>
        string.Create(CultureInfo.InvariantCulture, $"{name} (0x{value:x4})");
}
