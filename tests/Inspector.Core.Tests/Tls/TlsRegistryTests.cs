using Inspector.Core.Tls;

namespace Inspector.Core.Tests.Tls;

/// <summary>Spot checks of <see cref="TlsRegistry"/> against the IANA TLS registries.</summary>
public class TlsRegistryTests
{
    /// <summary>RFC 8701 §2: {0x0A,0x0A}, {0x1A,0x1A}, ... {0xFA,0xFA}.</summary>
    public static TheoryData<ushort> GreaseValues()
    {
        var data = new TheoryData<ushort>();
        for (var high = 0x0A; high <= 0xFA; high += 0x10)
        {
            data.Add((ushort)(high << 8 | high));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GreaseValues))]
    public void Every_grease_value_is_grease_in_every_16_bit_table(ushort value)
    {
        Assert.True(TlsRegistry.IsGrease(value));
        Assert.Equal("GREASE", TlsRegistry.CipherSuiteName(value));
        Assert.Equal("GREASE", TlsRegistry.ExtensionName(value));
        Assert.Equal("GREASE", TlsRegistry.NamedGroupName(value));
        Assert.Equal("GREASE", TlsRegistry.SignatureSchemeName(value));
        Assert.Equal("GREASE", TlsRegistry.VersionName(value));
    }

    [Theory]
    [InlineData(0x0000)]
    [InlineData(0x0A0B)] // low nibble of the second byte not 0xA
    [InlineData(0x0A1A)] // bytes differ
    [InlineData(0x1A0A)]
    [InlineData(0xFAFB)]
    [InlineData(0xAAAB)]
    [InlineData(0x0B0B)]
    [InlineData(0xFFFF)]
    public void Near_misses_are_not_grease(ushort value) => Assert.False(TlsRegistry.IsGrease(value));

    [Fact]
    public void Exactly_sixteen_grease_values_exist()
    {
        var count = 0;
        for (var value = 0; value <= ushort.MaxValue; value++)
        {
            if (TlsRegistry.IsGrease((ushort)value))
            {
                count++;
            }
        }

        Assert.Equal(16, count);
    }

    [Theory]
    [InlineData(0x0000, "TLS_NULL_WITH_NULL_NULL")]
    [InlineData(0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5")]
    [InlineData(0x0004, "TLS_RSA_WITH_RC4_128_MD5")]
    [InlineData(0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA")]
    [InlineData(0x0017, "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5")]
    [InlineData(0x001E, "TLS_KRB5_WITH_DES_CBC_SHA")]
    [InlineData(0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA")]
    [InlineData(0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA")]
    [InlineData(0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA")]
    [InlineData(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA")]
    [InlineData(0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA")]
    [InlineData(0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA")]
    [InlineData(0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256")]
    [InlineData(0x00C7, "TLS_SM4_CCM_SM3")]
    [InlineData(0x00FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV")]
    [InlineData(0x1301, "TLS_AES_128_GCM_SHA256")]
    [InlineData(0x1305, "TLS_AES_128_CCM_8_SHA256")]
    [InlineData(0x5600, "TLS_FALLBACK_SCSV")]
    [InlineData(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")]
    [InlineData(0xC0AA, "TLS_PSK_DHE_WITH_AES_128_CCM_8")]
    [InlineData(0xC0B4, "TLS_SHA256_SHA256")]
    [InlineData(0xC102, "TLS_GOSTR341112_256_WITH_28147_CNT_IMIT")]
    [InlineData(0xC106, "TLS_GOSTR341112_256_WITH_MAGMA_MGM_S")]
    [InlineData(0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")]
    [InlineData(0xD005, "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256")]
    public void Cipher_suites_have_their_iana_names(ushort value, string name) =>
        Assert.Equal(name, TlsRegistry.CipherSuiteName(value));

    [Theory]
    [InlineData(0x0047)] // IANA: reserved to avoid conflicts
    [InlineData(0x006E)] // unassigned
    [InlineData(0x00C8)]
    [InlineData(0x1300)]
    [InlineData(0xC0B6)]
    [InlineData(0xD004)]
    [InlineData(0xFF00)] // private use
    public void Unassigned_cipher_suites_are_unknown(ushort value) =>
        Assert.Equal("unknown", TlsRegistry.CipherSuiteName(value));

    [Theory]
    [InlineData(0x00FF, true)]
    [InlineData(0x5600, true)]
    [InlineData(0x002F, false)]
    [InlineData(0x0A0A, false)]
    [InlineData(0x5601, false)]
    public void Only_the_two_scsvs_signal(ushort value, bool signals) =>
        Assert.Equal(signals, TlsRegistry.IsSignalingSuite(value));

    [Theory]
    [InlineData(0x010080, "SSL_CK_RC4_128_WITH_MD5")]
    [InlineData(0x020080, "SSL_CK_RC4_128_EXPORT40_WITH_MD5")]
    [InlineData(0x030080, "SSL_CK_RC2_128_CBC_WITH_MD5")]
    [InlineData(0x040080, "SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5")]
    [InlineData(0x050080, "SSL_CK_IDEA_128_CBC_WITH_MD5")]
    [InlineData(0x060040, "SSL_CK_DES_64_CBC_WITH_MD5")]
    [InlineData(0x0700C0, "SSL_CK_DES_192_EDE3_CBC_WITH_MD5")]
    [InlineData(0x00002F, "TLS_RSA_WITH_AES_128_CBC_SHA")]
    [InlineData(0x0000FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV")]
    [InlineData(0x000A0A, "GREASE")]
    [InlineData(0x010081, "unknown")]
    [InlineData(0x0700C1, "unknown")]
    [InlineData(-1, "unknown")]
    public void Sslv2_cipher_kinds(int value, string name) =>
        Assert.Equal(name, TlsRegistry.SslV2CipherKindName(value));

    [Theory]
    [InlineData(0, "server_name")]
    [InlineData(5, "status_request")]
    [InlineData(10, "supported_groups")]
    [InlineData(11, "ec_point_formats")]
    [InlineData(13, "signature_algorithms")]
    [InlineData(15, "heartbeat")]
    [InlineData(16, "application_layer_protocol_negotiation")]
    [InlineData(21, "padding")]
    [InlineData(22, "encrypt_then_mac")]
    [InlineData(23, "extended_master_secret")]
    [InlineData(35, "session_ticket")]
    [InlineData(41, "pre_shared_key")]
    [InlineData(43, "supported_versions")]
    [InlineData(45, "psk_key_exchange_modes")]
    [InlineData(51, "key_share")]
    [InlineData(57, "quic_transport_parameters")]
    [InlineData(0xFD00, "ech_outer_extensions")]
    [InlineData(0xFE0D, "encrypted_client_hello")]
    [InlineData(0xFF01, "renegotiation_info")]
    [InlineData(63, "unknown")]
    [InlineData(0xFF02, "unknown")]
    public void Extensions_have_their_iana_names(ushort value, string name) =>
        Assert.Equal(name, TlsRegistry.ExtensionName(value));

    [Theory]
    [InlineData(1, "sect163k1")]
    [InlineData(14, "sect571r1")]
    [InlineData(22, "secp256k1")]
    [InlineData(23, "secp256r1")]
    [InlineData(24, "secp384r1")]
    [InlineData(25, "secp521r1")]
    [InlineData(26, "brainpoolP256r1")]
    [InlineData(29, "x25519")]
    [InlineData(30, "x448")]
    [InlineData(41, "curveSM2")]
    [InlineData(256, "ffdhe2048")]
    [InlineData(260, "ffdhe8192")]
    [InlineData(0x0201, "MLKEM768")]
    [InlineData(0x11EC, "X25519MLKEM768")]
    [InlineData(0xFF01, "arbitrary_explicit_prime_curves")]
    [InlineData(0, "unknown")]
    [InlineData(42, "unknown")]
    public void Named_groups_have_their_iana_names(ushort value, string name) =>
        Assert.Equal(name, TlsRegistry.NamedGroupName(value));

    [Theory]
    [InlineData(0x0201, "rsa_pkcs1_sha1")]
    [InlineData(0x0203, "ecdsa_sha1")]
    [InlineData(0x0401, "rsa_pkcs1_sha256")]
    [InlineData(0x0403, "ecdsa_secp256r1_sha256")]
    [InlineData(0x0503, "ecdsa_secp384r1_sha384")]
    [InlineData(0x0601, "rsa_pkcs1_sha512")]
    [InlineData(0x0708, "sm2sig_sm3")]
    [InlineData(0x0804, "rsa_pss_rsae_sha256")]
    [InlineData(0x0806, "rsa_pss_rsae_sha512")]
    [InlineData(0x0807, "ed25519")]
    [InlineData(0x0808, "ed448")]
    [InlineData(0x080B, "rsa_pss_pss_sha512")]
    [InlineData(0x081C, "ecdsa_brainpoolP512r1tls13_sha512")]
    [InlineData(0x0905, "mldsa65")]
    // TLS 1.2 SignatureAndHashAlgorithm pairs outside the registry, RFC 5246 §7.4.1.4.1.
    [InlineData(0x0301, "sha224_rsa")]
    [InlineData(0x0302, "sha224_dsa")]
    [InlineData(0x0303, "sha224_ecdsa")]
    [InlineData(0x0101, "md5_rsa")]
    [InlineData(0x0202, "sha1_dsa")]
    [InlineData(0x0402, "sha256_dsa")]
    [InlineData(0x0602, "sha512_dsa")]
    [InlineData(0x0701, "unknown")]
    [InlineData(0x0104, "unknown")]
    [InlineData(0xFE00, "unknown")]
    public void Signature_schemes_have_their_iana_names(ushort value, string name) =>
        Assert.Equal(name, TlsRegistry.SignatureSchemeName(value));

    [Theory]
    [InlineData(0, "close_notify")]
    [InlineData(10, "unexpected_message")]
    [InlineData(20, "bad_record_mac")]
    [InlineData(21, "decryption_failed")]
    [InlineData(40, "handshake_failure")]
    [InlineData(42, "bad_certificate")]
    [InlineData(47, "illegal_parameter")]
    [InlineData(48, "unknown_ca")]
    [InlineData(50, "decode_error")]
    [InlineData(51, "decrypt_error")]
    [InlineData(70, "protocol_version")]
    [InlineData(71, "insufficient_security")]
    [InlineData(80, "internal_error")]
    [InlineData(86, "inappropriate_fallback")]
    [InlineData(90, "user_canceled")]
    [InlineData(100, "no_renegotiation")]
    [InlineData(112, "unrecognized_name")]
    [InlineData(116, "certificate_required")]
    [InlineData(120, "no_application_protocol")]
    [InlineData(121, "ech_required")]
    [InlineData(1, "unknown")]
    [InlineData(255, "unknown")]
    public void Alert_descriptions_have_their_iana_names(byte value, string name) =>
        Assert.Equal(name, TlsRegistry.AlertDescriptionName(value));

    [Theory]
    [InlineData(0, "hello_request")]
    [InlineData(1, "client_hello")]
    [InlineData(2, "server_hello")]
    [InlineData(4, "new_session_ticket")]
    [InlineData(8, "encrypted_extensions")]
    [InlineData(11, "certificate")]
    [InlineData(12, "server_key_exchange")]
    [InlineData(13, "certificate_request")]
    [InlineData(14, "server_hello_done")]
    [InlineData(15, "certificate_verify")]
    [InlineData(16, "client_key_exchange")]
    [InlineData(20, "finished")]
    [InlineData(22, "certificate_status")]
    [InlineData(24, "key_update")]
    [InlineData(254, "message_hash")]
    [InlineData(7, "unknown")]
    [InlineData(255, "unknown")]
    public void Handshake_types_have_their_iana_names(byte value, string name) =>
        Assert.Equal(name, TlsRegistry.HandshakeTypeName(value));

    [Theory]
    [InlineData(20, "change_cipher_spec")]
    [InlineData(21, "alert")]
    [InlineData(22, "handshake")]
    [InlineData(23, "application_data")]
    [InlineData(24, "heartbeat")]
    [InlineData(25, "tls12_cid")]
    [InlineData(26, "ACK")]
    [InlineData(0, "unknown")]
    [InlineData(19, "unknown")]
    [InlineData(27, "unknown")]
    [InlineData(128, "unknown")] // first byte of an SSL 2.0 record header, not a content type
    public void Content_types_have_their_iana_names(byte value, string name) =>
        Assert.Equal(name, TlsRegistry.ContentTypeName(value));

    [Theory]
    [InlineData(0x0002, "SSL 2.0")]
    [InlineData(0x0300, "SSL 3.0")]
    [InlineData(0x0301, "TLS 1.0")]
    [InlineData(0x0302, "TLS 1.1")]
    [InlineData(0x0303, "TLS 1.2")]
    [InlineData(0x0304, "TLS 1.3")]
    [InlineData(0x7F12, "TLS 1.3 draft 18")]
    [InlineData(0x7F17, "TLS 1.3 draft 23")]
    [InlineData(0x7F1C, "TLS 1.3 draft 28")]
    [InlineData(0xFEFF, "DTLS 1.0")]
    [InlineData(0xFEFD, "DTLS 1.2")]
    [InlineData(0xFEFC, "DTLS 1.3")]
    [InlineData(0x3A3A, "GREASE")]
    [InlineData(0x0305, "unknown (0x0305)")]
    [InlineData(0x0200, "unknown (0x0200)")]
    [InlineData(0xFEFE, "unknown (0xFEFE)")]
    public void Versions_have_their_names(ushort value, string name) =>
        Assert.Equal(name, TlsRegistry.VersionName(value));

    [Theory]
    [InlineData(0, "uncompressed")]
    [InlineData(1, "ansiX962_compressed_prime")]
    [InlineData(2, "ansiX962_compressed_char2")]
    [InlineData(3, "unknown")]
    [InlineData(248, "unknown")]
    public void Ec_point_formats_have_their_iana_names(byte value, string name) =>
        Assert.Equal(name, TlsRegistry.EcPointFormatName(value));

    [Theory]
    [InlineData(0, "null")]
    [InlineData(1, "DEFLATE")]
    [InlineData(64, "LZS")]
    [InlineData(2, "unknown")]
    [InlineData(255, "unknown")]
    public void Compression_methods_have_their_iana_names(byte value, string name) =>
        Assert.Equal(name, TlsRegistry.CompressionMethodName(value));

    [Fact]
    public void Lookups_return_the_same_instance_and_do_not_allocate()
    {
        Assert.Same(TlsRegistry.CipherSuiteName(0x002F), TlsRegistry.CipherSuiteName(0x002F));
        Assert.Same(TlsRegistry.ExtensionName(0x0000), TlsRegistry.ExtensionName(0x0000));

        // Warm up, then measure a batch of table lookups.
        _ = TlsRegistry.CipherSuiteName(0xC02F) + TlsRegistry.NamedGroupName(29) + TlsRegistry.SignatureSchemeName(0x0301);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            _ = TlsRegistry.CipherSuiteName((ushort)i);
            _ = TlsRegistry.ExtensionName((ushort)i);
            _ = TlsRegistry.NamedGroupName((ushort)i);
            _ = TlsRegistry.SignatureSchemeName((ushort)i);
            _ = TlsRegistry.AlertDescriptionName((byte)i);
            _ = TlsRegistry.HandshakeTypeName((byte)i);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
