using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Inspector.Core.Tls;

/// <summary>
/// TLS client fingerprints computed from the fields of a ClientHello: JA3 (salesforce/ja3,
/// README "How it works") and JA4 (FoxIO-LLC/ja4, technical_details/JA4.md), TLS over TCP only.
/// The caller passes the fields as they appear on the wire, GREASE included: both methods drop
/// the RFC 8701 GREASE values themselves.
/// </summary>
public static class TlsFingerprints
{
    /// <summary>What JA4 prints for a hash section whose list is empty (JA4.md "Cipher hash", "Extension hash").</summary>
    private const string EmptyJa4Hash = "000000000000";

    /// <summary>
    /// The JA3 string: <c>SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats</c>,
    /// each value in decimal, the values of a field joined by '-', an absent or empty field left
    /// empty, and every GREASE value removed (salesforce/ja3 README). The version is the
    /// ClientHello's client_version (legacy_version), not the record layer's.
    /// </summary>
    public static string Ja3String(
        ushort legacyVersion,
        IReadOnlyList<ushort> cipherSuites,
        IReadOnlyList<ushort> extensionTypes,
        IReadOnlyList<ushort> supportedGroups,
        IReadOnlyList<byte> ecPointFormats)
    {
        ArgumentNullException.ThrowIfNull(cipherSuites);
        ArgumentNullException.ThrowIfNull(extensionTypes);
        ArgumentNullException.ThrowIfNull(supportedGroups);
        ArgumentNullException.ThrowIfNull(ecPointFormats);

        var text = new StringBuilder(16 + 6 * (cipherSuites.Count + extensionTypes.Count + supportedGroups.Count));
        text.Append(legacyVersion.ToString(CultureInfo.InvariantCulture)).Append(',');
        AppendDecimalWithoutGrease(text, cipherSuites);
        text.Append(',');
        AppendDecimalWithoutGrease(text, extensionTypes);
        text.Append(',');
        AppendDecimalWithoutGrease(text, supportedGroups);
        text.Append(',');
        // Point formats are single bytes and so can never be one of the 16-bit GREASE values.
        for (var i = 0; i < ecPointFormats.Count; i++)
        {
            if (i > 0)
            {
                text.Append('-');
            }

            text.Append(ecPointFormats[i].ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>The JA3 fingerprint: the MD5 of the JA3 string, 32 lowercase hex digits.</summary>
    public static string Ja3Hash(string ja3String)
    {
        ArgumentNullException.ThrowIfNull(ja3String);
        // JA3 is defined over MD5; it names a client and protects nothing.
#pragma warning disable CA5351 // Do not use broken cryptographic algorithms
        return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(ja3String)));
#pragma warning restore CA5351
    }

    /// <summary>
    /// The JA4 fingerprint of a ClientHello carried over TCP, <c>JA4_a_JA4_b_JA4_c</c>, e.g.
    /// <c>t13d1516h2_8daaf6152771_e5627efa2ab1</c> (JA4.md "JA4 Algorithm").
    /// </summary>
    /// <param name="legacyVersion">The ClientHello's client_version (legacy_version).</param>
    /// <param name="supportedVersions">The supported_versions (0x002B) list; empty when the extension is absent.</param>
    /// <param name="hasServerName">True when the server_name (0x0000) extension is present; a 0x0000 in <paramref name="extensionTypes"/> counts as well.</param>
    /// <param name="cipherSuites">The cipher suites in wire order.</param>
    /// <param name="extensionTypes">The extension types in wire order.</param>
    /// <param name="firstAlpn">
    /// The first protocol name of the ALPN (0x0010) extension, or null when there is none. ALPN
    /// names are opaque bytes (RFC 7301 §3.1): pass them one byte per char, as
    /// <see cref="Encoding.Latin1"/> decodes them. A string holding a char above U+00FF is taken as
    /// its UTF-8 bytes.
    /// </param>
    /// <param name="signatureAlgorithms">The signature_algorithms (0x000D) list in wire order; empty when absent.</param>
    public static string Ja4(
        ushort legacyVersion,
        IReadOnlyList<ushort> supportedVersions,
        bool hasServerName,
        IReadOnlyList<ushort> cipherSuites,
        IReadOnlyList<ushort> extensionTypes,
        string? firstAlpn,
        IReadOnlyList<ushort> signatureAlgorithms)
    {
        var parts = Ja4Parts.From(legacyVersion, supportedVersions, hasServerName, cipherSuites, extensionTypes, firstAlpn, signatureAlgorithms);
        var cipherHash = parts.Ciphers.Length == 0 ? EmptyJa4Hash : Sha256Prefix12(parts.Ciphers);
        var extensionHash = parts.Extensions.Length == 0 ? EmptyJa4Hash : Sha256Prefix12(parts.ExtensionsAndSignatures);
        return string.Concat(parts.Head, "_", cipherHash, "_", extensionHash);
    }

    /// <summary>
    /// The raw JA4 (JA4_r, JA4.md "Raw Output"): the same first section, then the sorted cipher list
    /// and the sorted extension list with the signature algorithms, unhashed, e.g.
    /// <c>t13d1516h2_002f,0035,...,cca9_0005,000a,...,ff01_0403,0804,...</c>. An empty list stays
    /// empty here. Parameters as for <see cref="Ja4"/>.
    /// </summary>
    public static string Ja4Raw(
        ushort legacyVersion,
        IReadOnlyList<ushort> supportedVersions,
        bool hasServerName,
        IReadOnlyList<ushort> cipherSuites,
        IReadOnlyList<ushort> extensionTypes,
        string? firstAlpn,
        IReadOnlyList<ushort> signatureAlgorithms)
    {
        var parts = Ja4Parts.From(legacyVersion, supportedVersions, hasServerName, cipherSuites, extensionTypes, firstAlpn, signatureAlgorithms);
        return string.Concat(parts.Head, "_", parts.Ciphers, "_", parts.ExtensionsAndSignatures);
    }

    /// <summary>
    /// JA4.md "ALPN Extension Value": the first and last characters of the first ALPN name; "00"
    /// when there is none or it is empty; a one-byte name gives its character twice. If the first
    /// or the last byte is not an ASCII letter or digit, the first and last characters of the
    /// name's lowercase hex are used instead (0xAB 0xCD gives "ad", 0x30 0xAB gives "3b").
    /// </summary>
    internal static string Ja4Alpn(ReadOnlySpan<byte> firstAlpn)
    {
        if (firstAlpn.IsEmpty)
        {
            return "00";
        }

        var first = firstAlpn[0];
        var last = firstAlpn[^1];
        if (IsAsciiLetterOrDigit(first) && IsAsciiLetterOrDigit(last))
        {
            return string.Create(2, (first, last), static (span, pair) =>
            {
                span[0] = (char)pair.first;
                span[1] = (char)pair.last;
            });
        }

        // The hex of the whole name starts with the high nibble of its first byte and ends with
        // the low nibble of its last byte.
        return string.Create(2, (first, last), static (span, pair) =>
        {
            span[0] = LowerHexDigit(pair.first >> 4);
            span[1] = LowerHexDigit(pair.last & 0xF);
        });
    }

    /// <summary>JA4_a's two-character version (JA4.md "TLS and DTLS Version").</summary>
    internal static string Ja4Version(ushort legacyVersion, IReadOnlyList<ushort> supportedVersions)
    {
        // "If extension 0x002b exists (supported_versions), then the version is the highest value
        // in the extension. Remember to ignore GREASE values." A list of nothing but GREASE gives no
        // version, so the ClientHello's own version stands, as it does without the extension.
        var highest = -1;
        foreach (var version in supportedVersions)
        {
            if (!TlsRegistry.IsGrease(version) && version > highest)
            {
                highest = version;
            }
        }

        // (Numerically highest, as the spec says; only DTLS, whose versions count down, would care.)
        return (highest >= 0 ? (ushort)highest : legacyVersion) switch
        {
            0x0304 => "13",
            0x0303 => "12",
            0x0302 => "11",
            0x0301 => "10",
            0x0300 => "s3",
            0x0002 => "s2",
            0xFEFF => "d1",
            0xFEFD => "d2",
            0xFEFC => "d3",
            _ => "00",
        };
    }

    private static void AppendDecimalWithoutGrease(StringBuilder text, IReadOnlyList<ushort> values)
    {
        var first = true;
        foreach (var value in values)
        {
            if (TlsRegistry.IsGrease(value))
            {
                continue;
            }

            if (!first)
            {
                text.Append('-');
            }

            text.Append(value.ToString(CultureInfo.InvariantCulture));
            first = false;
        }
    }

    private static string Sha256Prefix12(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 6);

    private static bool IsAsciiLetterOrDigit(byte value) =>
        value is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z');

    private static char LowerHexDigit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

    /// <summary>The three sections of JA4 before hashing.</summary>
    private readonly record struct Ja4Parts(string Head, string Ciphers, string Extensions, string ExtensionsAndSignatures)
    {
        private const ushort ServerName = 0x0000;
        private const ushort Alpn = 0x0010;

        public static Ja4Parts From(
            ushort legacyVersion,
            IReadOnlyList<ushort> supportedVersions,
            bool hasServerName,
            IReadOnlyList<ushort> cipherSuites,
            IReadOnlyList<ushort> extensionTypes,
            string? firstAlpn,
            IReadOnlyList<ushort> signatureAlgorithms)
        {
            ArgumentNullException.ThrowIfNull(supportedVersions);
            ArgumentNullException.ThrowIfNull(cipherSuites);
            ArgumentNullException.ThrowIfNull(extensionTypes);
            ArgumentNullException.ThrowIfNull(signatureAlgorithms);

            // JA4.md "Details": GREASE is ignored everywhere. SCSVs and the 0xFE00-0xFEFF
            // experimental values are kept and counted ("Number of Ciphers").
            var ciphers = WithoutGrease(cipherSuites);
            var extensions = WithoutGrease(extensionTypes);
            var signatures = WithoutGrease(signatureAlgorithms);

            // "Number of Extensions": every non-GREASE extension counts, SNI and ALPN included.
            var extensionCount = extensions.Length;
            // "SNI": 'd' if the server_name extension exists, else 'i'.
            var sni = hasServerName || Array.IndexOf(extensions, ServerName) >= 0 ? 'd' : 'i';

            var head = string.Create(CultureInfo.InvariantCulture,
                $"t{Ja4Version(legacyVersion, supportedVersions)}{sni}{Math.Min(ciphers.Length, 99):D2}{Math.Min(extensionCount, 99):D2}{Ja4Alpn(AlpnBytes(firstAlpn))}");

            // "Cipher hash": 4-digit lowercase hex, sorted, comma-delimited.
            Array.Sort(ciphers);
            var cipherList = JoinHex(ciphers);

            // "Extension hash": sorted, without SNI (0000) and ALPN (0010); then '_' and the
            // signature algorithms in wire order, or no '_' at all when there are none.
            var hashed = Array.FindAll(extensions, static type => type is not ServerName and not Alpn);
            Array.Sort(hashed);
            var extensionList = JoinHex(hashed);
            var withSignatures = signatures.Length == 0 ? extensionList : string.Concat(extensionList, "_", JoinHex(signatures));

            return new Ja4Parts(head, cipherList, extensionList, withSignatures);
        }

        private static ushort[] WithoutGrease(IReadOnlyList<ushort> values)
        {
            var kept = new List<ushort>(values.Count);
            foreach (var value in values)
            {
                if (!TlsRegistry.IsGrease(value))
                {
                    kept.Add(value);
                }
            }

            return kept.ToArray();
        }

        private static string JoinHex(ushort[] values)
        {
            if (values.Length == 0)
            {
                return string.Empty;
            }

            return string.Create(values.Length * 5 - 1, values, static (span, items) =>
            {
                for (var i = 0; i < items.Length; i++)
                {
                    var at = i * 5;
                    if (i > 0)
                    {
                        span[at - 1] = ',';
                    }

                    var value = items[i];
                    span[at] = LowerHexDigit(value >> 12);
                    span[at + 1] = LowerHexDigit((value >> 8) & 0xF);
                    span[at + 2] = LowerHexDigit((value >> 4) & 0xF);
                    span[at + 3] = LowerHexDigit(value & 0xF);
                }
            });
        }

        private static byte[] AlpnBytes(string? alpn)
        {
            if (string.IsNullOrEmpty(alpn))
            {
                return [];
            }

            foreach (var c in alpn)
            {
                if (c > '\u00FF')
                {
                    return Encoding.UTF8.GetBytes(alpn);
                }
            }

            return Encoding.Latin1.GetBytes(alpn);
        }
    }
}
