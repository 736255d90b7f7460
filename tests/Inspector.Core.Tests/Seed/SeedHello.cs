namespace Inspector.Core.Tests.Seed;

/// <summary>The z/OS client's exact ClientHello, from ../shared/reference/zos-ftps-client-trace.txt.</summary>
internal static class SeedHello
{
    /// <summary>The 57-byte handshake message as the GSK trace dumps it.</summary>
    public const string HandshakeHex =
        "01000035 03016038 53AEFEE4 0E3FA5C1 738D1174 97B11A6C 48D50A52 9ED8C9F6 19AF4C56 C20D0000 0E00FF00 35003800 39002F00 32003301 00";

    /// <summary>The 62 bytes written: record header (handshake, TLS 1.0, length 57) and the message.</summary>
    public static byte[] Record => Convert.FromHexString(("16030100 39" + HandshakeHex).Replace(" ", ""));

    public static byte[] HandshakeBody => Convert.FromHexString(HandshakeHex.Replace(" ", ""))[4..];

    public static readonly string[] SuiteNames =
    [
        "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
        "TLS_RSA_WITH_AES_256_CBC_SHA",
        "TLS_DHE_DSS_WITH_AES_256_CBC_SHA",
        "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
        "TLS_RSA_WITH_AES_128_CBC_SHA",
        "TLS_DHE_DSS_WITH_AES_128_CBC_SHA",
        "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
    ];
}
