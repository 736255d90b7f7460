using Inspector.Core.Tls;

namespace Inspector.Core.Tests.Tls;

/// <summary>
/// JA3 and JA4 against the vectors their specifications publish: the salesforce/ja3 README
/// examples and the FoxIO-LLC/ja4 technical_details/JA4.md example, plus the z/OS seed ClientHello.
/// </summary>
public class TlsFingerprintsTests
{
    private static readonly ushort[] None = [];
    private static readonly byte[] NoFormats = [];

    // ---------------------------------------------------------------- JA3

    [Fact]
    public void Ja3_readme_example_with_extensions()
    {
        // salesforce/ja3 README, "How it works":
        // 769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0 --> ada70206e40642a3e4461f35503241d5
        var ja3 = TlsFingerprints.Ja3String(
            0x0301,
            [0x002F, 0x0035, 0x0005, 0x000A, 0xC009, 0xC00A, 0xC013, 0xC014, 0x0032, 0x0038, 0x0013, 0x0004],
            [0x0000, 0x000A, 0x000B],
            [0x0017, 0x0018, 0x0019],
            [0x00]);

        Assert.Equal("769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0", ja3);
        Assert.Equal("ada70206e40642a3e4461f35503241d5", TlsFingerprints.Ja3Hash(ja3));
    }

    [Fact]
    public void Ja3_readme_example_without_extensions_leaves_the_fields_empty()
    {
        // salesforce/ja3 README: 769,4-5-10-9-100-98-3-6-19-18-99,,, --> de350869b8c85de67a350c8d186f11e6
        var ja3 = TlsFingerprints.Ja3String(
            0x0301,
            [0x0004, 0x0005, 0x000A, 0x0009, 0x0064, 0x0062, 0x0003, 0x0006, 0x0013, 0x0012, 0x0063],
            None,
            None,
            NoFormats);

        Assert.Equal("769,4-5-10-9-100-98-3-6-19-18-99,,,", ja3);
        Assert.Equal("de350869b8c85de67a350c8d186f11e6", TlsFingerprints.Ja3Hash(ja3));
    }

    [Fact]
    public void Ja3_ignores_grease_in_every_list()
    {
        // README: "JA3 ignores these values completely". Same hello as the first README example,
        // with GREASE cipher suites, extensions and groups added.
        var ja3 = TlsFingerprints.Ja3String(
            0x0301,
            [0x3A3A, 0x002F, 0x0035, 0x0005, 0x000A, 0xC009, 0xC00A, 0xC013, 0xC014, 0x0032, 0x0038, 0x0013, 0x0004, 0xFAFA],
            [0x0A0A, 0x0000, 0x000A, 0xDADA, 0x000B],
            [0x8A8A, 0x0017, 0x0018, 0x0019],
            [0x00]);

        Assert.Equal("769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0", ja3);
        Assert.Equal("ada70206e40642a3e4461f35503241d5", TlsFingerprints.Ja3Hash(ja3));
    }

    [Fact]
    public void Ja3_of_a_real_chrome_hello()
    {
        // A Chrome 143 ClientHello as browserleaks.com reported it (stored in the public repository
        // service0427/v2_cp_app, tls.md): ja3_text and ja3_hash, with GREASE already stripped there.
        var ja3 = TlsFingerprints.Ja3String(
            0x0303,
            [0x7A7A, 0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035],
            [0x2A2A, 0x002D, 0x0033, 0x0010, 0xFE0D, 0x0017, 0x44CD, 0x0000, 0x000B, 0x000A, 0x002B, 0xFF01, 0x0023, 0x0012, 0x0005, 0x000D, 0x001B, 0xBABA],
            [0x4A4A, 0x11EC, 0x001D, 0x0017, 0x0018],
            [0x00]);

        Assert.Equal(
            "771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,45-51-16-65037-23-17613-0-11-10-43-65281-35-18-5-13-27,4588-29-23-24,0",
            ja3);
        Assert.Equal("98487aa16281980e7d1120d399efb6a4", TlsFingerprints.Ja3Hash(ja3));
    }

    [Fact]
    public void Ja3_of_the_zos_seed_hello()
    {
        // The seed: client_version 0x0301, suites 00FF 0035 0038 0039 002F 0032 0033, null
        // compression only, no extensions, hence no SNI, no ALPN, no groups, no point formats.
        // The hash is what tshark 4.0.17 prints as tls.handshake.ja3 for the same hello in
        // captures/seed-proftpd-1.3.7f-openssl-1.0.2n.pcap.
        var ja3 = TlsFingerprints.Ja3String(0x0301, SeedSuites, None, None, NoFormats);

        Assert.Equal("769,255-53-56-57-47-50-51,,,", ja3);
        Assert.Equal("3f7baf1e8b1377fb330d0513aea4d83a", TlsFingerprints.Ja3Hash(ja3));
    }

    [Fact]
    public void Ja3_hash_is_lowercase_md5_of_the_string()
    {
        // RFC 1321 A.5 test suite: MD5("") and MD5("abc").
        Assert.Equal("d41d8cd98f00b204e9800998ecf8427e", TlsFingerprints.Ja3Hash(""));
        Assert.Equal("900150983cd24fb0d6963f7d28e17f72", TlsFingerprints.Ja3Hash("abc"));
    }

    // ---------------------------------------------------------------- JA4

    // The FoxIO-LLC/ja4 technical_details/JA4.md example: 15 suites, 16 extensions, ALPN h2,
    // TLS 1.3 through supported_versions; GREASE added here, which JA4 must ignore.
    private static readonly ushort[] SpecSuites =
        [0x0A0A, 0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035];

    private static readonly ushort[] SpecExtensions =
        [0x5A5A, 0x001B, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002D, 0x000D, 0x0005, 0x0023, 0x0012, 0x002B, 0xFF01, 0x000B, 0x000A, 0x0015, 0xEAEA];

    private static readonly ushort[] SpecSignatures = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];

    private static readonly ushort[] Tls13And12 = [0x9A9A, 0x0304, 0x0303];

    [Fact]
    public void Ja4_spec_example()
    {
        // JA4.md "Example": JA4 = t13d1516h2_8daaf6152771_e5627efa2ab1
        var ja4 = TlsFingerprints.Ja4(0x0303, Tls13And12, true, SpecSuites, SpecExtensions, "h2", SpecSignatures);

        Assert.Equal("t13d1516h2_8daaf6152771_e5627efa2ab1", ja4);
    }

    [Fact]
    public void Ja4_raw_spec_example()
    {
        // JA4.md "Raw Output": JA4_r.
        var raw = TlsFingerprints.Ja4Raw(0x0303, Tls13And12, true, SpecSuites, SpecExtensions, "h2", SpecSignatures);

        Assert.Equal(
            "t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601",
            raw);
    }

    [Fact]
    public void Ja4_without_signature_algorithms_hashes_the_extensions_alone()
    {
        // JA4.md "Extension hash": with no signature algorithms the string ends without '_':
        // 0005,...,ff01 = 6d807ffa2a79.
        var ja4 = TlsFingerprints.Ja4(0x0303, Tls13And12, true, SpecSuites, SpecExtensions, "h2", None);
        var raw = TlsFingerprints.Ja4Raw(0x0303, Tls13And12, true, SpecSuites, SpecExtensions, "h2", None);

        Assert.Equal("t13d1516h2_8daaf6152771_6d807ffa2a79", ja4);
        Assert.EndsWith("_0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01", raw);
    }

    [Fact]
    public void Ja4_ignores_grease_signature_algorithms()
    {
        // JA4.md "Details": GREASE is ignored "anywhere it sees them" (FoxIO's sigalg-grease.pcapng case).
        var ja4 = TlsFingerprints.Ja4(
            0x0303, Tls13And12, true, SpecSuites, SpecExtensions, "h2",
            [0x1A1A, 0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601]);

        Assert.Equal("t13d1516h2_8daaf6152771_e5627efa2ab1", ja4);
    }

    [Fact]
    public void Ja4_of_a_real_chrome_hello()
    {
        // The Chrome 143 hello above as browserleaks.com reported it (ja4, ja4_r; the wire order is
        // its ja4_ro): ECH (fe0d) and ALPS (44cd) present, X25519MLKEM768 offered.
        ushort[] suites = [0x7A7A, 0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035];
        ushort[] extensions = [0x2A2A, 0x002D, 0x0033, 0x0010, 0xFE0D, 0x0017, 0x44CD, 0x0000, 0x000B, 0x000A, 0x002B, 0xFF01, 0x0023, 0x0012, 0x0005, 0x000D, 0x001B, 0xBABA];

        Assert.Equal(
            "t13d1516h2_8daaf6152771_d8a2da3f94cd",
            TlsFingerprints.Ja4(0x0303, Tls13And12, true, suites, extensions, "h2", SpecSignatures));
        Assert.Equal(
            "t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_0005,000a,000b,000d,0012,0017,001b,0023,002b,002d,0033,44cd,fe0d,ff01_0403,0804,0401,0503,0805,0501,0806,0601",
            TlsFingerprints.Ja4Raw(0x0303, Tls13And12, true, suites, extensions, "h2", SpecSignatures));
    }

    private static readonly ushort[] SeedSuites = [0x00FF, 0x0035, 0x0038, 0x0039, 0x002F, 0x0032, 0x0033];

    [Fact]
    public void Ja4_of_the_zos_seed_hello()
    {
        // Worked by hand from JA4.md:
        //   't'   TLS over TCP.
        //   '10'  no supported_versions extension, so the ClientHello version 0x0301 = TLS 1.0.
        //   'i'   no server_name extension.
        //   '07'  seven suites; the SCSV 00FF counts ("Number of Ciphers").
        //   '00'  no extensions.
        //   '00'  no ALPN extension.
        //   JA4_b = first 12 hex of SHA-256("002f,0032,0033,0035,0038,0039,00ff"), the suites as
        //           4-digit lowercase hex sorted, SCSV kept: 19c3b358f8ef.
        //   JA4_c = 000000000000, the extension list being empty.
        var ja4 = TlsFingerprints.Ja4(0x0301, None, false, SeedSuites, None, null, None);
        var raw = TlsFingerprints.Ja4Raw(0x0301, None, false, SeedSuites, None, null, None);

        Assert.Equal("t10i070000_19c3b358f8ef_000000000000", ja4);
        Assert.Equal("t10i070000_002f,0032,0033,0035,0038,0039,00ff_", raw);
    }

    [Fact]
    public void Ja4_with_no_suites_prints_zeros_for_the_cipher_hash()
    {
        // JA4.md "Cipher hash": "If there are no ciphers ... JA4_b is set to 000000000000".
        var ja4 = TlsFingerprints.Ja4(0x0303, None, false, [0x0A0A], [0x000D], null, [0x0403]);

        Assert.Equal("t12i000100_000000000000_" + Sha256Prefix("000d_0403"), ja4);
    }

    [Fact]
    public void Ja4_with_only_sni_and_alpn_has_an_empty_sorted_extension_list()
    {
        // SNI and ALPN are counted in JA4_a but left out of JA4_c, which is then empty.
        var ja4 = TlsFingerprints.Ja4(0x0303, None, true, [0x002F], [0x0000, 0x0010], "http/1.1", None);

        Assert.Equal("t12d0102h1_" + Sha256Prefix("002f") + "_000000000000", ja4);
    }

    [Theory]
    [InlineData(new ushort[] { 0x0304, 0x0303 }, (ushort)0x0303, "13")]
    [InlineData(new ushort[] { 0x0303, 0x0304, 0x0302 }, (ushort)0x0303, "13")] // highest, not first
    [InlineData(new ushort[] { 0x0303 }, (ushort)0x0303, "12")]
    [InlineData(new ushort[] { 0xCACA }, (ushort)0x0302, "11")] // only GREASE: the hello's version stands
    [InlineData(new ushort[0], (ushort)0x0301, "10")]
    [InlineData(new ushort[0], (ushort)0x0300, "s3")]
    [InlineData(new ushort[0], (ushort)0x0002, "s2")]
    [InlineData(new ushort[0], (ushort)0xFEFD, "d2")]
    [InlineData(new ushort[0], (ushort)0x0305, "00")]
    [InlineData(new ushort[] { 0x7F17 }, (ushort)0x0303, "00")] // a TLS 1.3 draft version is unknown to JA4
    public void Ja4_version(ushort[] supportedVersions, ushort legacyVersion, string expected)
    {
        var ja4 = TlsFingerprints.Ja4(legacyVersion, supportedVersions, false, [0x002F], None, null, None);

        Assert.Equal(expected, ja4.Substring(1, 2));
    }

    [Fact]
    public void Ja4_sni_follows_the_flag_or_the_extension()
    {
        Assert.Equal('d', TlsFingerprints.Ja4(0x0303, None, true, [0x002F], None, null, None)[3]);
        Assert.Equal('d', TlsFingerprints.Ja4(0x0303, None, false, [0x002F], [0x0000], null, None)[3]);
        Assert.Equal('i', TlsFingerprints.Ja4(0x0303, None, false, [0x002F], [0x000A], null, None)[3]);
    }

    [Fact]
    public void Ja4_counts_are_capped_at_99()
    {
        var suites = Enumerable.Range(0xC000, 150).Select(v => (ushort)v).ToArray();
        var extensions = Enumerable.Range(0x0100, 120).Select(v => (ushort)v).ToArray();

        var ja4 = TlsFingerprints.Ja4(0x0303, None, false, suites, extensions, null, None);

        Assert.StartsWith("t12i999900_", ja4);
    }

    [Theory]
    [InlineData("h2", "h2")]
    [InlineData("http/1.1", "h1")] // JA4.md "ALPN Extension Value"
    [InlineData("h3", "h3")]
    [InlineData("ftp", "fp")]
    [InlineData("x", "xx")] // a one-character value is both first and last
    [InlineData("", "00")]
    [InlineData(null, "00")]
    [InlineData("\u00AB\u00CD", "ad")] // Latin-1 chars stand for the bytes 0xAB 0xCD
    [InlineData("0\u00AB", "3b")]
    public void Ja4_alpn_section(string? alpn, string expected)
    {
        var ja4 = TlsFingerprints.Ja4(0x0303, None, false, [0x002F], [0x0010], alpn, None);

        Assert.Equal(expected, ja4.Substring(8, 2));
    }

    [Theory]
    // JA4.md "ALPN Extension Value": the non-alphanumeric examples.
    [InlineData(new byte[] { 0xAB }, "ab")]
    [InlineData(new byte[] { 0xAB, 0xCD }, "ad")]
    [InlineData(new byte[] { 0x30, 0xAB }, "3b")]
    [InlineData(new byte[] { 0x30, 0x31, 0xAB, 0xCD }, "3d")]
    [InlineData(new byte[] { 0x30, 0xAB, 0xCD, 0x31 }, "01")]
    [InlineData(new byte[] { 0x68, 0x32 }, "h2")]
    [InlineData(new byte[] { 0x2F }, "2f")]
    [InlineData(new byte[0], "00")]
    public void Ja4_alpn_of_raw_bytes(byte[] alpn, string expected) =>
        Assert.Equal(expected, TlsFingerprints.Ja4Alpn(alpn));

    private static string Sha256Prefix(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(text)))[..12];
}
