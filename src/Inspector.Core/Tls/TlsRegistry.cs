using System.Globalization;

namespace Inspector.Core.Tls;

/// <summary>
/// Names for the numeric code points of SSL/TLS, taken from the IANA "Transport Layer Security (TLS)
/// Parameters" and "TLS Extensions" registries (https://www.iana.org/assignments/tls-parameters,
/// https://www.iana.org/assignments/tls-extensiontype-values) plus the few well-known pre-standard
/// values an inspector meets on the wire (marked as such where they appear).
/// </summary>
/// <remarks>
/// Every lookup is a switch over constants that returns a literal, so it allocates nothing; only
/// <see cref="VersionName"/> builds a string, and only for draft and unknown versions. Unassigned
/// values give <c>"unknown"</c>; the sixteen GREASE values of RFC 8701 give <c>"GREASE"</c> in
/// every 16-bit table. Where IANA suffixes a name with <c>_RESERVED</c> only because TLS 1.3 no
/// longer uses it (RFC 8446 §4, §6), the TLS 1.2 name without the suffix is given, since the
/// messages are current in the SSL 3.0 to TLS 1.2 traffic this inspector reads.
/// </remarks>
public static class TlsRegistry
{
    /// <summary>The name every lookup returns for a value no table lists.</summary>
    public const string Unknown = "unknown";

    /// <summary>The name every 16-bit lookup returns for an RFC 8701 GREASE value.</summary>
    public const string Grease = "GREASE";

    /// <summary>
    /// RFC 8701 §2: the GREASE values are 0x0A0A, 0x1A1A, ... 0xFAFA in the cipher suite, extension,
    /// named group, signature algorithm and version spaces: both bytes equal, low nibble 0xA.
    /// </summary>
    public static bool IsGrease(ushort value) =>
        (value & 0x0F0F) == 0x0A0A && (value >> 8) == (value & 0xFF);

    /// <summary>
    /// The SCSVs: TLS_EMPTY_RENEGOTIATION_INFO_SCSV 0x00FF (RFC 5746 §3.3) and TLS_FALLBACK_SCSV
    /// 0x5600 (RFC 7507 §2). They signal, they are never negotiated.
    /// </summary>
    public static bool IsSignalingSuite(ushort value) => value is 0x00FF or 0x5600;

    /// <summary>
    /// IANA "TLS Cipher Suites" (tls-parameters-4). Every assigned value is listed, including the
    /// SSL 3.0, export, RC4, DES, IDEA, Kerberos, CBC, GOST and TLS 1.3 suites.
    /// </summary>
    public static string CipherSuiteName(ushort value) => IsGrease(value) ? Grease : value switch
    {
        // RFC 5246 Appendix A.5, RFC 4346, RFC 2712, RFC 4785, RFC 5469.
        0x0000 => "TLS_NULL_WITH_NULL_NULL",
        0x0001 => "TLS_RSA_WITH_NULL_MD5",
        0x0002 => "TLS_RSA_WITH_NULL_SHA",
        0x0003 => "TLS_RSA_EXPORT_WITH_RC4_40_MD5",
        0x0004 => "TLS_RSA_WITH_RC4_128_MD5",
        0x0005 => "TLS_RSA_WITH_RC4_128_SHA",
        0x0006 => "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5",
        0x0007 => "TLS_RSA_WITH_IDEA_CBC_SHA",
        0x0008 => "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA",
        0x0009 => "TLS_RSA_WITH_DES_CBC_SHA",
        0x000A => "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
        0x000B => "TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA",
        0x000C => "TLS_DH_DSS_WITH_DES_CBC_SHA",
        0x000D => "TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA",
        0x000E => "TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA",
        0x000F => "TLS_DH_RSA_WITH_DES_CBC_SHA",
        0x0010 => "TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA",
        0x0011 => "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA",
        0x0012 => "TLS_DHE_DSS_WITH_DES_CBC_SHA",
        0x0013 => "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA",
        0x0014 => "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA",
        0x0015 => "TLS_DHE_RSA_WITH_DES_CBC_SHA",
        0x0016 => "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA",
        0x0017 => "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5",
        0x0018 => "TLS_DH_anon_WITH_RC4_128_MD5",
        0x0019 => "TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA",
        0x001A => "TLS_DH_anon_WITH_DES_CBC_SHA",
        0x001B => "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA",
        // 0x001C-0x001D: IANA "Reserved to avoid conflicts with SSLv3"; the SSL 3.0 FORTEZZA
        // suites of RFC 6101 Appendix A.6 (pre-standard, not IANA names).
        0x001C => "SSL_FORTEZZA_KEA_WITH_NULL_SHA",
        0x001D => "SSL_FORTEZZA_KEA_WITH_FORTEZZA_CBC_SHA",
        0x001E => "TLS_KRB5_WITH_DES_CBC_SHA",
        0x001F => "TLS_KRB5_WITH_3DES_EDE_CBC_SHA",
        0x0020 => "TLS_KRB5_WITH_RC4_128_SHA",
        0x0021 => "TLS_KRB5_WITH_IDEA_CBC_SHA",
        0x0022 => "TLS_KRB5_WITH_DES_CBC_MD5",
        0x0023 => "TLS_KRB5_WITH_3DES_EDE_CBC_MD5",
        0x0024 => "TLS_KRB5_WITH_RC4_128_MD5",
        0x0025 => "TLS_KRB5_WITH_IDEA_CBC_MD5",
        0x0026 => "TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA",
        0x0027 => "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_SHA",
        0x0028 => "TLS_KRB5_EXPORT_WITH_RC4_40_SHA",
        0x0029 => "TLS_KRB5_EXPORT_WITH_DES_CBC_40_MD5",
        0x002A => "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_MD5",
        0x002B => "TLS_KRB5_EXPORT_WITH_RC4_40_MD5",
        0x002C => "TLS_PSK_WITH_NULL_SHA",
        0x002D => "TLS_DHE_PSK_WITH_NULL_SHA",
        0x002E => "TLS_RSA_PSK_WITH_NULL_SHA",
        0x002F => "TLS_RSA_WITH_AES_128_CBC_SHA",
        0x0030 => "TLS_DH_DSS_WITH_AES_128_CBC_SHA",
        0x0031 => "TLS_DH_RSA_WITH_AES_128_CBC_SHA",
        0x0032 => "TLS_DHE_DSS_WITH_AES_128_CBC_SHA",
        0x0033 => "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
        0x0034 => "TLS_DH_anon_WITH_AES_128_CBC_SHA",
        0x0035 => "TLS_RSA_WITH_AES_256_CBC_SHA",
        0x0036 => "TLS_DH_DSS_WITH_AES_256_CBC_SHA",
        0x0037 => "TLS_DH_RSA_WITH_AES_256_CBC_SHA",
        0x0038 => "TLS_DHE_DSS_WITH_AES_256_CBC_SHA",
        0x0039 => "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
        0x003A => "TLS_DH_anon_WITH_AES_256_CBC_SHA",
        0x003B => "TLS_RSA_WITH_NULL_SHA256",
        0x003C => "TLS_RSA_WITH_AES_128_CBC_SHA256",
        0x003D => "TLS_RSA_WITH_AES_256_CBC_SHA256",
        0x003E => "TLS_DH_DSS_WITH_AES_128_CBC_SHA256",
        0x003F => "TLS_DH_RSA_WITH_AES_128_CBC_SHA256",
        0x0040 => "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256",
        0x0041 => "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA",
        0x0042 => "TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA",
        0x0043 => "TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA",
        0x0044 => "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA",
        0x0045 => "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA",
        0x0046 => "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA",
        // 0x0060-0x0066: IANA "Reserved to avoid conflicts with widely deployed implementations";
        // the 56-bit export suites of draft-ietf-tls-56-bit-ciphersuites-01 (pre-standard).
        0x0060 => "TLS_RSA_EXPORT1024_WITH_RC4_56_MD5",
        0x0061 => "TLS_RSA_EXPORT1024_WITH_RC2_CBC_56_MD5",
        0x0062 => "TLS_RSA_EXPORT1024_WITH_DES_CBC_SHA",
        0x0063 => "TLS_DHE_DSS_EXPORT1024_WITH_DES_CBC_SHA",
        0x0064 => "TLS_RSA_EXPORT1024_WITH_RC4_56_SHA",
        0x0065 => "TLS_DHE_DSS_EXPORT1024_WITH_RC4_56_SHA",
        0x0066 => "TLS_DHE_DSS_WITH_RC4_128_SHA",
        0x0067 => "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
        0x0068 => "TLS_DH_DSS_WITH_AES_256_CBC_SHA256",
        0x0069 => "TLS_DH_RSA_WITH_AES_256_CBC_SHA256",
        0x006A => "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256",
        0x006B => "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
        0x006C => "TLS_DH_anon_WITH_AES_128_CBC_SHA256",
        0x006D => "TLS_DH_anon_WITH_AES_256_CBC_SHA256",
        // 0x0080-0x0083: unassigned by IANA; the GOST 28147-89 suites of
        // draft-chudov-cryptopro-cptls (pre-standard, still offered by GOST-enabled stacks).
        0x0080 => "TLS_GOSTR341094_WITH_28147_CNT_IMIT",
        0x0081 => "TLS_GOSTR341001_WITH_28147_CNT_IMIT",
        0x0082 => "TLS_GOSTR341094_WITH_NULL_GOSTR3411",
        0x0083 => "TLS_GOSTR341001_WITH_NULL_GOSTR3411",
        0x0084 => "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA",
        0x0085 => "TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA",
        0x0086 => "TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA",
        0x0087 => "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA",
        0x0088 => "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA",
        0x0089 => "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA",
        0x008A => "TLS_PSK_WITH_RC4_128_SHA",
        0x008B => "TLS_PSK_WITH_3DES_EDE_CBC_SHA",
        0x008C => "TLS_PSK_WITH_AES_128_CBC_SHA",
        0x008D => "TLS_PSK_WITH_AES_256_CBC_SHA",
        0x008E => "TLS_DHE_PSK_WITH_RC4_128_SHA",
        0x008F => "TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA",
        0x0090 => "TLS_DHE_PSK_WITH_AES_128_CBC_SHA",
        0x0091 => "TLS_DHE_PSK_WITH_AES_256_CBC_SHA",
        0x0092 => "TLS_RSA_PSK_WITH_RC4_128_SHA",
        0x0093 => "TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA",
        0x0094 => "TLS_RSA_PSK_WITH_AES_128_CBC_SHA",
        0x0095 => "TLS_RSA_PSK_WITH_AES_256_CBC_SHA",
        0x0096 => "TLS_RSA_WITH_SEED_CBC_SHA",
        0x0097 => "TLS_DH_DSS_WITH_SEED_CBC_SHA",
        0x0098 => "TLS_DH_RSA_WITH_SEED_CBC_SHA",
        0x0099 => "TLS_DHE_DSS_WITH_SEED_CBC_SHA",
        0x009A => "TLS_DHE_RSA_WITH_SEED_CBC_SHA",
        0x009B => "TLS_DH_anon_WITH_SEED_CBC_SHA",
        0x009C => "TLS_RSA_WITH_AES_128_GCM_SHA256",
        0x009D => "TLS_RSA_WITH_AES_256_GCM_SHA384",
        0x009E => "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
        0x009F => "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
        0x00A0 => "TLS_DH_RSA_WITH_AES_128_GCM_SHA256",
        0x00A1 => "TLS_DH_RSA_WITH_AES_256_GCM_SHA384",
        0x00A2 => "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256",
        0x00A3 => "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384",
        0x00A4 => "TLS_DH_DSS_WITH_AES_128_GCM_SHA256",
        0x00A5 => "TLS_DH_DSS_WITH_AES_256_GCM_SHA384",
        0x00A6 => "TLS_DH_anon_WITH_AES_128_GCM_SHA256",
        0x00A7 => "TLS_DH_anon_WITH_AES_256_GCM_SHA384",
        0x00A8 => "TLS_PSK_WITH_AES_128_GCM_SHA256",
        0x00A9 => "TLS_PSK_WITH_AES_256_GCM_SHA384",
        0x00AA => "TLS_DHE_PSK_WITH_AES_128_GCM_SHA256",
        0x00AB => "TLS_DHE_PSK_WITH_AES_256_GCM_SHA384",
        0x00AC => "TLS_RSA_PSK_WITH_AES_128_GCM_SHA256",
        0x00AD => "TLS_RSA_PSK_WITH_AES_256_GCM_SHA384",
        0x00AE => "TLS_PSK_WITH_AES_128_CBC_SHA256",
        0x00AF => "TLS_PSK_WITH_AES_256_CBC_SHA384",
        0x00B0 => "TLS_PSK_WITH_NULL_SHA256",
        0x00B1 => "TLS_PSK_WITH_NULL_SHA384",
        0x00B2 => "TLS_DHE_PSK_WITH_AES_128_CBC_SHA256",
        0x00B3 => "TLS_DHE_PSK_WITH_AES_256_CBC_SHA384",
        0x00B4 => "TLS_DHE_PSK_WITH_NULL_SHA256",
        0x00B5 => "TLS_DHE_PSK_WITH_NULL_SHA384",
        0x00B6 => "TLS_RSA_PSK_WITH_AES_128_CBC_SHA256",
        0x00B7 => "TLS_RSA_PSK_WITH_AES_256_CBC_SHA384",
        0x00B8 => "TLS_RSA_PSK_WITH_NULL_SHA256",
        0x00B9 => "TLS_RSA_PSK_WITH_NULL_SHA384",
        0x00BA => "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256",
        0x00BB => "TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA256",
        0x00BC => "TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA256",
        0x00BD => "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256",
        0x00BE => "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256",
        0x00BF => "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256",
        0x00C0 => "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256",
        0x00C1 => "TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA256",
        0x00C2 => "TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA256",
        0x00C3 => "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256",
        0x00C4 => "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256",
        0x00C5 => "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256",
        0x00C6 => "TLS_SM4_GCM_SM3",
        0x00C7 => "TLS_SM4_CCM_SM3",
        0x00FF => "TLS_EMPTY_RENEGOTIATION_INFO_SCSV", // RFC 5746 §3.3

        // TLS 1.3, RFC 8446 Appendix B.4; AEGIS, draft-denis-tls-aegis.
        0x1301 => "TLS_AES_128_GCM_SHA256",
        0x1302 => "TLS_AES_256_GCM_SHA384",
        0x1303 => "TLS_CHACHA20_POLY1305_SHA256",
        0x1304 => "TLS_AES_128_CCM_SHA256",
        0x1305 => "TLS_AES_128_CCM_8_SHA256",
        0x1306 => "TLS_AEGIS_256_SHA512",
        0x1307 => "TLS_AEGIS_128L_SHA256",

        0x5600 => "TLS_FALLBACK_SCSV", // RFC 7507 §2

        // ECC, RFC 8422 §6; SRP, RFC 5054; RFC 5289; ECDHE_PSK, RFC 5489; ARIA, RFC 6209.
        0xC001 => "TLS_ECDH_ECDSA_WITH_NULL_SHA",
        0xC002 => "TLS_ECDH_ECDSA_WITH_RC4_128_SHA",
        0xC003 => "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA",
        0xC004 => "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA",
        0xC005 => "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA",
        0xC006 => "TLS_ECDHE_ECDSA_WITH_NULL_SHA",
        0xC007 => "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
        0xC008 => "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA",
        0xC009 => "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
        0xC00A => "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        0xC00B => "TLS_ECDH_RSA_WITH_NULL_SHA",
        0xC00C => "TLS_ECDH_RSA_WITH_RC4_128_SHA",
        0xC00D => "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA",
        0xC00E => "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA",
        0xC00F => "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA",
        0xC010 => "TLS_ECDHE_RSA_WITH_NULL_SHA",
        0xC011 => "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
        0xC012 => "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
        0xC013 => "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        0xC014 => "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        0xC015 => "TLS_ECDH_anon_WITH_NULL_SHA",
        0xC016 => "TLS_ECDH_anon_WITH_RC4_128_SHA",
        0xC017 => "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA",
        0xC018 => "TLS_ECDH_anon_WITH_AES_128_CBC_SHA",
        0xC019 => "TLS_ECDH_anon_WITH_AES_256_CBC_SHA",
        0xC01A => "TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA",
        0xC01B => "TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA",
        0xC01C => "TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA",
        0xC01D => "TLS_SRP_SHA_WITH_AES_128_CBC_SHA",
        0xC01E => "TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA",
        0xC01F => "TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA",
        0xC020 => "TLS_SRP_SHA_WITH_AES_256_CBC_SHA",
        0xC021 => "TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA",
        0xC022 => "TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA",
        0xC023 => "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
        0xC024 => "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
        0xC025 => "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256",
        0xC026 => "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384",
        0xC027 => "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
        0xC028 => "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
        0xC029 => "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256",
        0xC02A => "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384",
        0xC02B => "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        0xC02C => "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        0xC02D => "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256",
        0xC02E => "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384",
        0xC02F => "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        0xC030 => "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        0xC031 => "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256",
        0xC032 => "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384",
        0xC033 => "TLS_ECDHE_PSK_WITH_RC4_128_SHA",
        0xC034 => "TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA",
        0xC035 => "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA",
        0xC036 => "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA",
        0xC037 => "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256",
        0xC038 => "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384",
        0xC039 => "TLS_ECDHE_PSK_WITH_NULL_SHA",
        0xC03A => "TLS_ECDHE_PSK_WITH_NULL_SHA256",
        0xC03B => "TLS_ECDHE_PSK_WITH_NULL_SHA384",
        0xC03C => "TLS_RSA_WITH_ARIA_128_CBC_SHA256",
        0xC03D => "TLS_RSA_WITH_ARIA_256_CBC_SHA384",
        0xC03E => "TLS_DH_DSS_WITH_ARIA_128_CBC_SHA256",
        0xC03F => "TLS_DH_DSS_WITH_ARIA_256_CBC_SHA384",
        0xC040 => "TLS_DH_RSA_WITH_ARIA_128_CBC_SHA256",
        0xC041 => "TLS_DH_RSA_WITH_ARIA_256_CBC_SHA384",
        0xC042 => "TLS_DHE_DSS_WITH_ARIA_128_CBC_SHA256",
        0xC043 => "TLS_DHE_DSS_WITH_ARIA_256_CBC_SHA384",
        0xC044 => "TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256",
        0xC045 => "TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384",
        0xC046 => "TLS_DH_anon_WITH_ARIA_128_CBC_SHA256",
        0xC047 => "TLS_DH_anon_WITH_ARIA_256_CBC_SHA384",
        0xC048 => "TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256",
        0xC049 => "TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384",
        0xC04A => "TLS_ECDH_ECDSA_WITH_ARIA_128_CBC_SHA256",
        0xC04B => "TLS_ECDH_ECDSA_WITH_ARIA_256_CBC_SHA384",
        0xC04C => "TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256",
        0xC04D => "TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384",
        0xC04E => "TLS_ECDH_RSA_WITH_ARIA_128_CBC_SHA256",
        0xC04F => "TLS_ECDH_RSA_WITH_ARIA_256_CBC_SHA384",
        0xC050 => "TLS_RSA_WITH_ARIA_128_GCM_SHA256",
        0xC051 => "TLS_RSA_WITH_ARIA_256_GCM_SHA384",
        0xC052 => "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256",
        0xC053 => "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384",
        0xC054 => "TLS_DH_RSA_WITH_ARIA_128_GCM_SHA256",
        0xC055 => "TLS_DH_RSA_WITH_ARIA_256_GCM_SHA384",
        0xC056 => "TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256",
        0xC057 => "TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384",
        0xC058 => "TLS_DH_DSS_WITH_ARIA_128_GCM_SHA256",
        0xC059 => "TLS_DH_DSS_WITH_ARIA_256_GCM_SHA384",
        0xC05A => "TLS_DH_anon_WITH_ARIA_128_GCM_SHA256",
        0xC05B => "TLS_DH_anon_WITH_ARIA_256_GCM_SHA384",
        0xC05C => "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256",
        0xC05D => "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384",
        0xC05E => "TLS_ECDH_ECDSA_WITH_ARIA_128_GCM_SHA256",
        0xC05F => "TLS_ECDH_ECDSA_WITH_ARIA_256_GCM_SHA384",
        0xC060 => "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256",
        0xC061 => "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384",
        0xC062 => "TLS_ECDH_RSA_WITH_ARIA_128_GCM_SHA256",
        0xC063 => "TLS_ECDH_RSA_WITH_ARIA_256_GCM_SHA384",
        0xC064 => "TLS_PSK_WITH_ARIA_128_CBC_SHA256",
        0xC065 => "TLS_PSK_WITH_ARIA_256_CBC_SHA384",
        0xC066 => "TLS_DHE_PSK_WITH_ARIA_128_CBC_SHA256",
        0xC067 => "TLS_DHE_PSK_WITH_ARIA_256_CBC_SHA384",
        0xC068 => "TLS_RSA_PSK_WITH_ARIA_128_CBC_SHA256",
        0xC069 => "TLS_RSA_PSK_WITH_ARIA_256_CBC_SHA384",
        0xC06A => "TLS_PSK_WITH_ARIA_128_GCM_SHA256",
        0xC06B => "TLS_PSK_WITH_ARIA_256_GCM_SHA384",
        0xC06C => "TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256",
        0xC06D => "TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384",
        0xC06E => "TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256",
        0xC06F => "TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384",
        0xC070 => "TLS_ECDHE_PSK_WITH_ARIA_128_CBC_SHA256",
        0xC071 => "TLS_ECDHE_PSK_WITH_ARIA_256_CBC_SHA384",

        // Camellia, RFC 6367; AES-CCM, RFC 6655 and RFC 7251; ECCPWD, RFC 8492; RFC 9150.
        0xC072 => "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256",
        0xC073 => "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384",
        0xC074 => "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_CBC_SHA256",
        0xC075 => "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_CBC_SHA384",
        0xC076 => "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256",
        0xC077 => "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384",
        0xC078 => "TLS_ECDH_RSA_WITH_CAMELLIA_128_CBC_SHA256",
        0xC079 => "TLS_ECDH_RSA_WITH_CAMELLIA_256_CBC_SHA384",
        0xC07A => "TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256",
        0xC07B => "TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384",
        0xC07C => "TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256",
        0xC07D => "TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384",
        0xC07E => "TLS_DH_RSA_WITH_CAMELLIA_128_GCM_SHA256",
        0xC07F => "TLS_DH_RSA_WITH_CAMELLIA_256_GCM_SHA384",
        0xC080 => "TLS_DHE_DSS_WITH_CAMELLIA_128_GCM_SHA256",
        0xC081 => "TLS_DHE_DSS_WITH_CAMELLIA_256_GCM_SHA384",
        0xC082 => "TLS_DH_DSS_WITH_CAMELLIA_128_GCM_SHA256",
        0xC083 => "TLS_DH_DSS_WITH_CAMELLIA_256_GCM_SHA384",
        0xC084 => "TLS_DH_anon_WITH_CAMELLIA_128_GCM_SHA256",
        0xC085 => "TLS_DH_anon_WITH_CAMELLIA_256_GCM_SHA384",
        0xC086 => "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256",
        0xC087 => "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384",
        0xC088 => "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_GCM_SHA256",
        0xC089 => "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_GCM_SHA384",
        0xC08A => "TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256",
        0xC08B => "TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384",
        0xC08C => "TLS_ECDH_RSA_WITH_CAMELLIA_128_GCM_SHA256",
        0xC08D => "TLS_ECDH_RSA_WITH_CAMELLIA_256_GCM_SHA384",
        0xC08E => "TLS_PSK_WITH_CAMELLIA_128_GCM_SHA256",
        0xC08F => "TLS_PSK_WITH_CAMELLIA_256_GCM_SHA384",
        0xC090 => "TLS_DHE_PSK_WITH_CAMELLIA_128_GCM_SHA256",
        0xC091 => "TLS_DHE_PSK_WITH_CAMELLIA_256_GCM_SHA384",
        0xC092 => "TLS_RSA_PSK_WITH_CAMELLIA_128_GCM_SHA256",
        0xC093 => "TLS_RSA_PSK_WITH_CAMELLIA_256_GCM_SHA384",
        0xC094 => "TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256",
        0xC095 => "TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384",
        0xC096 => "TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256",
        0xC097 => "TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384",
        0xC098 => "TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256",
        0xC099 => "TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384",
        0xC09A => "TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256",
        0xC09B => "TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384",
        0xC09C => "TLS_RSA_WITH_AES_128_CCM",
        0xC09D => "TLS_RSA_WITH_AES_256_CCM",
        0xC09E => "TLS_DHE_RSA_WITH_AES_128_CCM",
        0xC09F => "TLS_DHE_RSA_WITH_AES_256_CCM",
        0xC0A0 => "TLS_RSA_WITH_AES_128_CCM_8",
        0xC0A1 => "TLS_RSA_WITH_AES_256_CCM_8",
        0xC0A2 => "TLS_DHE_RSA_WITH_AES_128_CCM_8",
        0xC0A3 => "TLS_DHE_RSA_WITH_AES_256_CCM_8",
        0xC0A4 => "TLS_PSK_WITH_AES_128_CCM",
        0xC0A5 => "TLS_PSK_WITH_AES_256_CCM",
        0xC0A6 => "TLS_DHE_PSK_WITH_AES_128_CCM",
        0xC0A7 => "TLS_DHE_PSK_WITH_AES_256_CCM",
        0xC0A8 => "TLS_PSK_WITH_AES_128_CCM_8",
        0xC0A9 => "TLS_PSK_WITH_AES_256_CCM_8",
        0xC0AA => "TLS_PSK_DHE_WITH_AES_128_CCM_8",
        0xC0AB => "TLS_PSK_DHE_WITH_AES_256_CCM_8",
        0xC0AC => "TLS_ECDHE_ECDSA_WITH_AES_128_CCM",
        0xC0AD => "TLS_ECDHE_ECDSA_WITH_AES_256_CCM",
        0xC0AE => "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8",
        0xC0AF => "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8",
        0xC0B0 => "TLS_ECCPWD_WITH_AES_128_GCM_SHA256",
        0xC0B1 => "TLS_ECCPWD_WITH_AES_256_GCM_SHA384",
        0xC0B2 => "TLS_ECCPWD_WITH_AES_128_CCM_SHA256",
        0xC0B3 => "TLS_ECCPWD_WITH_AES_256_CCM_SHA384",
        0xC0B4 => "TLS_SHA256_SHA256",
        0xC0B5 => "TLS_SHA384_SHA384",

        // GOST, RFC 9189 and RFC 9367.
        0xC100 => "TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC",
        0xC101 => "TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC",
        0xC102 => "TLS_GOSTR341112_256_WITH_28147_CNT_IMIT",
        0xC103 => "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L",
        0xC104 => "TLS_GOSTR341112_256_WITH_MAGMA_MGM_L",
        0xC105 => "TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_S",
        0xC106 => "TLS_GOSTR341112_256_WITH_MAGMA_MGM_S",

        // 0xCC13-0xCC15: unassigned by IANA; the ChaCha20-Poly1305 suites of
        // draft-agl-tls-chacha20poly1305-04 that Chrome shipped before RFC 7905 (pre-standard).
        0xCC13 => "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256_OLD",
        0xCC14 => "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256_OLD",
        0xCC15 => "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256_OLD",

        // ChaCha20-Poly1305, RFC 7905; ECDHE_PSK AEAD, RFC 8442.
        0xCCA8 => "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        0xCCA9 => "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        0xCCAA => "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        0xCCAB => "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256",
        0xCCAC => "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256",
        0xCCAD => "TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256",
        0xCCAE => "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256",
        0xD001 => "TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256",
        0xD002 => "TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384",
        0xD003 => "TLS_ECDHE_PSK_WITH_AES_128_CCM_8_SHA256",
        0xD005 => "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256",

        // 0xFEFE-0xFEFF (IANA "Reserved to avoid conflicts") and 0xFFE0-0xFFE1 (private use):
        // Netscape's pre-standard SSL 3.0 FIPS suites, still sent by old stacks.
        0xFEFE => "SSL_RSA_FIPS_WITH_DES_CBC_SHA",
        0xFEFF => "SSL_RSA_FIPS_WITH_3DES_EDE_CBC_SHA",
        0xFFE0 => "SSL_RSA_FIPS_WITH_3DES_EDE_CBC_SHA",
        0xFFE1 => "SSL_RSA_FIPS_WITH_DES_CBC_SHA",
        _ => Unknown,
    };

    /// <summary>
    /// The 3-byte cipher kinds of an SSL 2.0 CLIENT-HELLO (draft-hickman-netscape-ssl-00, Appendix
    /// A). A TLS-capable client sends its TLS suites there as 0x00XXXX (RFC 5246 Appendix E.2), so a
    /// value below 0x010000 is named as the TLS suite <see cref="CipherSuiteName"/> gives.
    /// </summary>
    public static string SslV2CipherKindName(int value24) => value24 switch
    {
        >= 0 and < 0x010000 => CipherSuiteName((ushort)value24),
        0x010080 => "SSL_CK_RC4_128_WITH_MD5",
        0x020080 => "SSL_CK_RC4_128_EXPORT40_WITH_MD5",
        0x030080 => "SSL_CK_RC2_128_CBC_WITH_MD5",
        0x040080 => "SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5",
        0x050080 => "SSL_CK_IDEA_128_CBC_WITH_MD5",
        0x060040 => "SSL_CK_DES_64_CBC_WITH_MD5",
        0x0700C0 => "SSL_CK_DES_192_EDE3_CBC_WITH_MD5",
        0x080080 => "SSL_CK_RC4_64_WITH_MD5", // not in the Netscape draft; SSLeay/OpenSSL
        _ => Unknown,
    };

    /// <summary>IANA "TLS ExtensionType Values" (tls-extensiontype-values-1).</summary>
    public static string ExtensionName(ushort value) => IsGrease(value) ? Grease : value switch
    {
        0 => "server_name",                         // RFC 6066 §3
        1 => "max_fragment_length",                 // RFC 6066 §4
        2 => "client_certificate_url",              // RFC 6066 §5
        3 => "trusted_ca_keys",                     // RFC 6066 §6
        4 => "truncated_hmac",                      // RFC 6066 §7
        5 => "status_request",                      // RFC 6066 §8
        6 => "user_mapping",                        // RFC 4681
        7 => "client_authz",                        // RFC 5878
        8 => "server_authz",                        // RFC 5878
        9 => "cert_type",                           // RFC 6091
        10 => "supported_groups",                   // RFC 8422, RFC 7919 (was elliptic_curves)
        11 => "ec_point_formats",                   // RFC 8422
        12 => "srp",                                // RFC 5054
        13 => "signature_algorithms",               // RFC 5246 §7.4.1.4.1, RFC 8446
        14 => "use_srtp",                           // RFC 5764
        15 => "heartbeat",                          // RFC 6520
        16 => "application_layer_protocol_negotiation", // RFC 7301
        17 => "status_request_v2",                  // RFC 6961
        18 => "signed_certificate_timestamp",       // RFC 6962
        19 => "client_certificate_type",            // RFC 7250
        20 => "server_certificate_type",            // RFC 7250
        21 => "padding",                            // RFC 7685
        22 => "encrypt_then_mac",                   // RFC 7366
        23 => "extended_master_secret",             // RFC 7627
        24 => "token_binding",                      // RFC 8472
        25 => "cached_info",                        // RFC 7924
        26 => "tls_lts",                            // draft-gutmann-tls-lts
        27 => "compress_certificate",               // RFC 8879
        28 => "record_size_limit",                  // RFC 8449
        29 => "pwd_protect",                        // RFC 8492
        30 => "pwd_clear",                          // RFC 8492
        31 => "password_salt",                      // RFC 8492
        32 => "ticket_pinning",                     // RFC 8672
        33 => "tls_cert_with_extern_psk",           // RFC 8773
        34 => "delegated_credential",               // RFC 9345
        35 => "session_ticket",                     // RFC 5077, RFC 8447
        36 => "TLMSP",                              // ETSI TS 103 523-2
        37 => "TLMSP_proxying",                     // ETSI TS 103 523-2
        38 => "TLMSP_delegate",                     // ETSI TS 103 523-2
        39 => "supported_ekt_ciphers",              // RFC 8870
        40 => "Reserved",                           // key_share of TLS 1.3 drafts before -23
        41 => "pre_shared_key",                     // RFC 8446 §4.2.11
        42 => "early_data",                         // RFC 8446 §4.2.10
        43 => "supported_versions",                 // RFC 8446 §4.2.1
        44 => "cookie",                             // RFC 8446 §4.2.2
        45 => "psk_key_exchange_modes",             // RFC 8446 §4.2.9
        46 => "Reserved",                           // ticket_early_data_info of TLS 1.3 drafts
        47 => "certificate_authorities",            // RFC 8446 §4.2.4
        48 => "oid_filters",                        // RFC 8446 §4.2.5
        49 => "post_handshake_auth",                // RFC 8446 §4.2.6
        50 => "signature_algorithms_cert",          // RFC 8446 §4.2.3
        51 => "key_share",                          // RFC 8446 §4.2.8
        52 => "transparency_info",                  // RFC 9162
        53 => "connection_id (deprecated)",         // draft-ietf-tls-dtls-connection-id
        54 => "connection_id",                      // RFC 9146
        55 => "external_id_hash",                   // RFC 8844
        56 => "external_session_id",                // RFC 8844
        57 => "quic_transport_parameters",          // RFC 9001
        58 => "ticket_request",                     // RFC 9149
        59 => "dnssec_chain",                       // RFC 9102
        60 => "sequence_number_encryption_algorithms", // draft-pismenny-tls-dtls-plaintext-sequence-number
        61 => "rrc",                                // draft-ietf-tls-dtls-rrc
        62 => "tls_flags",                          // draft-ietf-tls-tlsflags
        // Widely deployed but never IANA-assigned: NPN (draft-agl-tls-nextprotoneg), ALPS
        // (draft-vvv-tls-alps; Chrome's old and new code points), Channel ID
        // (draft-balfanz-tls-channelid) and ESNI (draft-ietf-tls-esni-01 to -06).
        13172 => "next_protocol_negotiation",
        17513 => "application_settings_old",
        17613 => "application_settings",
        30031 => "channel_id_old",
        30032 => "channel_id",
        64768 => "ech_outer_extensions",            // RFC 9849 (ECH) §5.1
        65037 => "encrypted_client_hello",          // RFC 9849 (ECH) §5
        65486 => "encrypted_server_name",
        65281 => "renegotiation_info",              // RFC 5746 §3.2
        _ => Unknown,
    };

    /// <summary>IANA "TLS Supported Groups" (tls-parameters-8), formerly "EC Named Curve".</summary>
    public static string NamedGroupName(ushort value) => IsGrease(value) ? Grease : value switch
    {
        // RFC 8422 §5.1.1 (the binary and 160- to 224-bit curves are deprecated there).
        1 => "sect163k1",
        2 => "sect163r1",
        3 => "sect163r2",
        4 => "sect193r1",
        5 => "sect193r2",
        6 => "sect233k1",
        7 => "sect233r1",
        8 => "sect239k1",
        9 => "sect283k1",
        10 => "sect283r1",
        11 => "sect409k1",
        12 => "sect409r1",
        13 => "sect571k1",
        14 => "sect571r1",
        15 => "secp160k1",
        16 => "secp160r1",
        17 => "secp160r2",
        18 => "secp192k1",
        19 => "secp192r1",
        20 => "secp224k1",
        21 => "secp224r1",
        22 => "secp256k1",
        23 => "secp256r1",
        24 => "secp384r1",
        25 => "secp521r1",
        26 => "brainpoolP256r1",                   // RFC 7027
        27 => "brainpoolP384r1",
        28 => "brainpoolP512r1",
        29 => "x25519",                            // RFC 8422, RFC 8446
        30 => "x448",
        31 => "brainpoolP256r1tls13",              // RFC 8734
        32 => "brainpoolP384r1tls13",
        33 => "brainpoolP512r1tls13",
        34 => "GC256A",                            // RFC 9189
        35 => "GC256B",
        36 => "GC256C",
        37 => "GC256D",
        38 => "GC512A",
        39 => "GC512B",
        40 => "GC512C",
        41 => "curveSM2",                          // RFC 8998
        256 => "ffdhe2048",                        // RFC 7919
        257 => "ffdhe3072",
        258 => "ffdhe4096",
        259 => "ffdhe6144",
        260 => "ffdhe8192",
        512 => "MLKEM512",                         // draft-connolly-tls-mlkem-key-agreement
        513 => "MLKEM768",
        514 => "MLKEM1024",
        4587 => "SecP256r1MLKEM768",               // draft-kwiatkowski-tls-ecdhe-mlkem
        4588 => "X25519MLKEM768",
        4589 => "SecP384r1MLKEM1024",
        25497 => "X25519Kyber768Draft00",          // obsolete pre-standard Kyber hybrids
        25498 => "SecP256r1Kyber768Draft00",
        65281 => "arbitrary_explicit_prime_curves", // RFC 8422 (deprecated)
        65282 => "arbitrary_explicit_char2_curves",
        _ => Unknown,
    };

    /// <summary>
    /// IANA "TLS SignatureScheme" (RFC 8446 §4.2.3). The rest of the 0x0000-0x06FF space is the
    /// TLS 1.2 SignatureAndHashAlgorithm pair (RFC 5246 §7.4.1.4.1, hash byte then signature byte),
    /// named <c>hash_signature</c>, e.g. 0x0301 <c>sha224_rsa</c>.
    /// </summary>
    public static string SignatureSchemeName(ushort value) => IsGrease(value) ? Grease : value switch
    {
        0x0201 => "rsa_pkcs1_sha1",
        0x0203 => "ecdsa_sha1",
        0x0401 => "rsa_pkcs1_sha256",
        0x0403 => "ecdsa_secp256r1_sha256",
        0x0420 => "rsa_pkcs1_sha256_legacy",        // draft-davidben-tls13-pkcs1
        0x0501 => "rsa_pkcs1_sha384",
        0x0503 => "ecdsa_secp384r1_sha384",
        0x0520 => "rsa_pkcs1_sha384_legacy",
        0x0601 => "rsa_pkcs1_sha512",
        0x0603 => "ecdsa_secp521r1_sha512",
        0x0620 => "rsa_pkcs1_sha512_legacy",
        0x0704 => "eccsi_sha256",                   // draft-wang-tls-raw-public-key-with-ibc
        0x0705 => "iso_ibs1",
        0x0706 => "iso_ibs2",
        0x0707 => "iso_chinese_ibs",
        0x0708 => "sm2sig_sm3",                     // RFC 8998
        0x0709 => "gostr34102012_256a",             // RFC 9367
        0x070A => "gostr34102012_256b",
        0x070B => "gostr34102012_256c",
        0x070C => "gostr34102012_256d",
        0x070D => "gostr34102012_512a",
        0x070E => "gostr34102012_512b",
        0x070F => "gostr34102012_512c",
        0x0804 => "rsa_pss_rsae_sha256",
        0x0805 => "rsa_pss_rsae_sha384",
        0x0806 => "rsa_pss_rsae_sha512",
        0x0807 => "ed25519",
        0x0808 => "ed448",
        0x0809 => "rsa_pss_pss_sha256",
        0x080A => "rsa_pss_pss_sha384",
        0x080B => "rsa_pss_pss_sha512",
        0x081A => "ecdsa_brainpoolP256r1tls13_sha256", // RFC 8734
        0x081B => "ecdsa_brainpoolP384r1tls13_sha384",
        0x081C => "ecdsa_brainpoolP512r1tls13_sha512",
        0x0904 => "mldsa44",                        // draft-ietf-tls-mldsa
        0x0905 => "mldsa65",
        0x0906 => "mldsa87",

        // TLS 1.2 pairs the registry leaves "Reserved for backward compatibility". Hash: none(0)
        // md5(1) sha1(2) sha224(3) sha256(4) sha384(5) sha512(6); signature: anonymous(0) rsa(1)
        // dsa(2) ecdsa(3). RFC 5246 §7.4.1.4.1.
        0x0000 => "none_anonymous",
        0x0001 => "none_rsa",
        0x0002 => "none_dsa",
        0x0003 => "none_ecdsa",
        0x0100 => "md5_anonymous",
        0x0101 => "md5_rsa",
        0x0102 => "md5_dsa",
        0x0103 => "md5_ecdsa",
        0x0200 => "sha1_anonymous",
        0x0202 => "sha1_dsa",
        0x0300 => "sha224_anonymous",
        0x0301 => "sha224_rsa",
        0x0302 => "sha224_dsa",
        0x0303 => "sha224_ecdsa",
        0x0400 => "sha256_anonymous",
        0x0402 => "sha256_dsa",
        0x0500 => "sha384_anonymous",
        0x0502 => "sha384_dsa",
        0x0600 => "sha512_anonymous",
        0x0602 => "sha512_dsa",
        _ => Unknown,
    };

    /// <summary>
    /// IANA "TLS Alerts" (tls-parameters-6); RFC 5246 §7.2, RFC 8446 §6. Values TLS 1.3 retired
    /// (decryption_failed, no_certificate, export_restriction, no_renegotiation, ...) keep their
    /// SSL 3.0 to TLS 1.2 names.
    /// </summary>
    public static string AlertDescriptionName(byte value) => value switch
    {
        0 => "close_notify",
        10 => "unexpected_message",
        20 => "bad_record_mac",
        21 => "decryption_failed",                  // RFC 5246 §7.2.2; reserved since TLS 1.1
        22 => "record_overflow",
        30 => "decompression_failure",
        40 => "handshake_failure",
        41 => "no_certificate",                     // SSL 3.0 only (RFC 6101 §5.4.2)
        42 => "bad_certificate",
        43 => "unsupported_certificate",
        44 => "certificate_revoked",
        45 => "certificate_expired",
        46 => "certificate_unknown",
        47 => "illegal_parameter",
        48 => "unknown_ca",
        49 => "access_denied",
        50 => "decode_error",
        51 => "decrypt_error",
        52 => "too_many_cids_requested",            // RFC 9146
        60 => "export_restriction",                 // TLS 1.0 only
        70 => "protocol_version",
        71 => "insufficient_security",
        80 => "internal_error",
        86 => "inappropriate_fallback",             // RFC 7507 §2
        90 => "user_canceled",
        100 => "no_renegotiation",
        109 => "missing_extension",                 // RFC 8446
        110 => "unsupported_extension",
        111 => "certificate_unobtainable",           // RFC 6066
        112 => "unrecognized_name",
        113 => "bad_certificate_status_response",
        114 => "bad_certificate_hash_value",
        115 => "unknown_psk_identity",               // RFC 4279
        116 => "certificate_required",               // RFC 8446
        117 => "general_error",                      // RFC 9846
        120 => "no_application_protocol",            // RFC 7301
        121 => "ech_required",                       // RFC 9849
        _ => Unknown,
    };

    /// <summary>IANA "TLS HandshakeType" (tls-parameters-7); RFC 5246 §7.4, RFC 8446 §4.</summary>
    public static string HandshakeTypeName(byte value) => value switch
    {
        0 => "hello_request",
        1 => "client_hello",
        2 => "server_hello",
        3 => "hello_verify_request",                 // RFC 6347 (DTLS)
        4 => "new_session_ticket",                   // RFC 5077
        5 => "end_of_early_data",                    // RFC 8446
        6 => "hello_retry_request",                  // TLS 1.3 drafts only
        8 => "encrypted_extensions",                 // RFC 8446
        9 => "request_connection_id",                // RFC 9147
        10 => "new_connection_id",                   // RFC 9147
        11 => "certificate",
        12 => "server_key_exchange",
        13 => "certificate_request",
        14 => "server_hello_done",
        15 => "certificate_verify",
        16 => "client_key_exchange",
        17 => "client_certificate_request",          // RFC 9261
        20 => "finished",
        21 => "certificate_url",                     // RFC 6066
        22 => "certificate_status",                  // RFC 6066
        23 => "supplemental_data",                   // RFC 4680
        24 => "key_update",                          // RFC 8446
        25 => "compressed_certificate",              // RFC 8879
        26 => "ekt_key",                             // RFC 8870
        67 => "next_protocol",                       // draft-agl-tls-nextprotoneg (not IANA)
        254 => "message_hash",                       // RFC 8446 §4.4.1
        _ => Unknown,
    };

    /// <summary>IANA "TLS ContentType" (tls-parameters-5); RFC 5246 §6.2.1.</summary>
    public static string ContentTypeName(byte value) => value switch
    {
        20 => "change_cipher_spec",
        21 => "alert",
        22 => "handshake",
        23 => "application_data",
        24 => "heartbeat",                           // RFC 6520
        25 => "tls12_cid",                           // RFC 9146
        26 => "ACK",                                 // RFC 9147
        _ => Unknown,
    };

    /// <summary>
    /// A ProtocolVersion: 0x0002 SSL 2.0 (draft-hickman-netscape-ssl-00), 0x0300 SSL 3.0 (RFC 6101),
    /// 0x0301-0x0304 TLS 1.0-1.3 (RFC 2246, 4346, 5246, 8446), 0x7F00+n the TLS 1.3 drafts' versions
    /// (RFC 8446 drafts, e.g. 0x7F17 draft 23), 0xFEFF/0xFEFD/0xFEFC DTLS 1.0/1.2/1.3 (RFC 4347,
    /// 6347, 9147). Anything else is <c>unknown (0xHHHH)</c>.
    /// </summary>
    public static string VersionName(ushort value) => value switch
    {
        0x0002 => "SSL 2.0",
        0x0300 => "SSL 3.0",
        0x0301 => "TLS 1.0",
        0x0302 => "TLS 1.1",
        0x0303 => "TLS 1.2",
        0x0304 => "TLS 1.3",
        0xFEFF => "DTLS 1.0",
        0xFEFD => "DTLS 1.2",
        0xFEFC => "DTLS 1.3",
        >= 0x7F00 and <= 0x7FFF => string.Create(CultureInfo.InvariantCulture, $"TLS 1.3 draft {value & 0xFF}"),
        _ when IsGrease(value) => Grease,
        _ => string.Create(CultureInfo.InvariantCulture, $"unknown (0x{value:X4})"),
    };

    /// <summary>IANA "TLS EC Point Format" (tls-parameters-9); RFC 8422 §5.1.2.</summary>
    public static string EcPointFormatName(byte value) => value switch
    {
        0 => "uncompressed",
        1 => "ansiX962_compressed_prime",
        2 => "ansiX962_compressed_char2",
        _ => Unknown,
    };

    /// <summary>IANA "TLS Compression Method Identifiers" (comp-meth-ids-2); RFC 3749, RFC 3943.</summary>
    public static string CompressionMethodName(byte value) => value switch
    {
        0 => "null",
        1 => "DEFLATE",
        64 => "LZS",
        _ => Unknown,
    };
}
