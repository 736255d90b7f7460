using System.Text;

namespace Inspector.Core.Tls;

/// <summary>Decodes ClientHello bodies. Returns null for a body whose lengths do not add up.</summary>
public static class ClientHelloParser
{
    public const ushort ExtServerName = 0;
    public const ushort ExtSupportedGroups = 10;
    public const ushort ExtEcPointFormats = 11;
    public const ushort ExtSignatureAlgorithms = 13;
    public const ushort ExtAlpn = 16;
    public const ushort ExtSupportedVersions = 43;

    /// <summary>RFC 8446 §4.1.2 (TLS 1.3) and RFC 5246 §7.4.1.2 (TLS 1.2 and older): the handshake body after type and length.</summary>
    public static ClientHelloInfo? Parse(ReadOnlySpan<byte> body, out string? error)
    {
        var r = new WireReader(body);
        error = null;
        if (!r.TryU16(out ushort version) || !r.TryBytes(32, out ReadOnlySpan<byte> random))
        {
            error = "shorter than version and random";
            return null;
        }
        if (!r.TryVector8(out ReadOnlySpan<byte> sessionId) || sessionId.Length > 32)
        {
            error = "session_id runs past the message or is longer than 32";
            return null;
        }
        if (!r.TryVector16(out ReadOnlySpan<byte> suiteBytes) || !WireReader.TryU16List(suiteBytes, out ushort[] suites))
        {
            error = "cipher_suites runs past the message or has an odd length";
            return null;
        }
        if (!r.TryVector8(out ReadOnlySpan<byte> compression))
        {
            error = "compression_methods runs past the message";
            return null;
        }

        var extensions = new List<TlsExtension>();
        bool hasBlock = false;
        string? sni = null;
        ushort[]? versions = null, groups = null, sigAlgs = null;
        byte[]? pointFormats = null;
        string[]? alpn = null;
        if (!r.AtEnd)
        {
            hasBlock = true;
            error = ExtensionBlock.Read(ref r, extensions, (type, data) =>
            {
                switch (type)
                {
                    case ExtServerName: sni = ParseServerName(data); break;
                    case ExtSupportedGroups: groups = ParseU16Vector16(data); break;
                    case ExtSignatureAlgorithms: sigAlgs = ParseU16Vector16(data); break;
                    case ExtSupportedVersions: versions = ParseU16Vector8(data); break;
                    case ExtEcPointFormats:
                        var pr = new WireReader(data);
                        pointFormats = pr.TryVector8(out ReadOnlySpan<byte> pf) ? pf.ToArray() : null;
                        break;
                    case ExtAlpn: alpn = ParseAlpn(data); break;
                }
            });
            if (error is not null) return null;
        }

        return new ClientHelloInfo
        {
            LegacyVersion = version,
            Random = random.ToArray(),
            SessionId = sessionId.ToArray(),
            CipherSuites = suites,
            CompressionMethods = compression.ToArray(),
            HasExtensionBlock = hasBlock,
            Extensions = extensions,
            ServerName = sni,
            SupportedVersions = versions,
            SupportedGroups = groups,
            SignatureAlgorithms = sigAlgs,
            EcPointFormats = pointFormats,
            Alpn = alpn,
        };
    }

    /// <summary>
    /// An SSLv2-format ClientHello record body (RFC 6101 Appendix E.2, RFC 5246 Appendix E.2):
    /// msg_type(1)=1, version(2), cipher_spec_length(2), session_id_length(2),
    /// challenge_length(2), cipher_specs (3 bytes each), session_id, challenge.
    /// </summary>
    public static ClientHelloInfo? ParseSslV2(ReadOnlySpan<byte> record, out string? error)
    {
        var r = new WireReader(record);
        error = null;
        if (!r.TryU8(out byte type) || type != 1)
        {
            error = "not an SSLv2 client_hello";
            return null;
        }
        if (!r.TryU16(out ushort version) || !r.TryU16(out ushort specLength) || !r.TryU16(out ushort sidLength)
            || !r.TryU16(out ushort challengeLength))
        {
            error = "SSLv2 hello shorter than its fixed header";
            return null;
        }
        if (specLength % 3 != 0 || !r.TryBytes(specLength, out ReadOnlySpan<byte> specs)
            || !r.TryBytes(sidLength, out ReadOnlySpan<byte> sid) || !r.TryBytes(challengeLength, out ReadOnlySpan<byte> challenge))
        {
            error = "SSLv2 hello lengths run past the record";
            return null;
        }
        var kinds = new int[specs.Length / 3];
        var suites = new List<ushort>();
        for (int i = 0; i < kinds.Length; i++)
        {
            kinds[i] = (specs[3 * i] << 16) | (specs[3 * i + 1] << 8) | specs[3 * i + 2];
            // A kind whose first byte is 0 names a TLS cipher suite (RFC 5246 Appendix E.2).
            if (specs[3 * i] == 0) suites.Add((ushort)kinds[i]);
        }
        // The challenge is right-aligned into the 32-byte random (RFC 5246 Appendix E.2).
        var random = new byte[32];
        ReadOnlySpan<byte> c = challenge.Length > 32 ? challenge[^32..] : challenge;
        c.CopyTo(random.AsSpan(32 - c.Length));
        return new ClientHelloInfo
        {
            LegacyVersion = version,
            Random = random,
            SessionId = sid.ToArray(),
            CipherSuites = suites.ToArray(),
            SslV2CipherKinds = kinds,
            CompressionMethods = [0],
            HasExtensionBlock = false,
            Extensions = [],
            IsSslV2Format = true,
        };
    }

    private static string? ParseServerName(ReadOnlySpan<byte> data)
    {
        // RFC 6066 §3: ServerNameList <1..2^16-1> of (name_type, HostName <1..2^16-1>).
        var r = new WireReader(data);
        if (!r.TryVector16(out ReadOnlySpan<byte> list)) return null;
        var lr = new WireReader(list);
        while (!lr.AtEnd)
        {
            if (!lr.TryU8(out byte nameType) || !lr.TryVector16(out ReadOnlySpan<byte> name)) return null;
            if (nameType == 0) return Encoding.Latin1.GetString(name);
        }
        return null;
    }

    private static ushort[]? ParseU16Vector16(ReadOnlySpan<byte> data)
    {
        var r = new WireReader(data);
        return r.TryVector16(out ReadOnlySpan<byte> v) && WireReader.TryU16List(v, out ushort[] values) ? values : null;
    }

    private static ushort[]? ParseU16Vector8(ReadOnlySpan<byte> data)
    {
        var r = new WireReader(data);
        return r.TryVector8(out ReadOnlySpan<byte> v) && WireReader.TryU16List(v, out ushort[] values) ? values : null;
    }

    private static string[]? ParseAlpn(ReadOnlySpan<byte> data)
    {
        // RFC 7301 §3.1: ProtocolNameList <2..2^16-1> of ProtocolName <1..2^8-1>.
        var r = new WireReader(data);
        if (!r.TryVector16(out ReadOnlySpan<byte> list)) return null;
        var lr = new WireReader(list);
        var names = new List<string>();
        while (!lr.AtEnd)
        {
            if (!lr.TryVector8(out ReadOnlySpan<byte> name)) return null;
            names.Add(Encoding.Latin1.GetString(name));
        }
        return names.ToArray();
    }
}
