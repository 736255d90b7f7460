namespace Inspector.Core.Tests.Kit;

/// <summary>Builds TLS wire bytes for tests (RFC 8446 §4, §5.1; RFC 5246 §7.4).</summary>
public static class TlsBytes
{
    public static byte[] Record(byte type, ushort version, byte[] fragment) =>
        [type, (byte)(version >> 8), (byte)version, (byte)(fragment.Length >> 8), (byte)fragment.Length, .. fragment];

    public static byte[] Handshake(byte type, byte[] body) =>
        [type, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body];

    public static byte[] Alert(byte level, byte description) => Record(21, 0x0303, [level, description]);

    public static byte[] ChangeCipherSpec() => Record(20, 0x0303, [1]);

    public static byte[] ApplicationData(int length) => Record(23, 0x0303, new byte[length]);

    public static byte[] U16(ushort v) => [(byte)(v >> 8), (byte)v];

    public static byte[] Vector16(byte[] data) => [.. U16((ushort)data.Length), .. data];

    public static byte[] Vector8(byte[] data) => [(byte)data.Length, .. data];

    public static byte[] Extension(ushort type, byte[] data) => [.. U16(type), .. Vector16(data)];

    public static byte[] ClientHelloBody(ushort version, ushort[] suites, params byte[][] extensions)
    {
        byte[] suiteBytes = suites.SelectMany(U16).ToArray();
        byte[] body = [.. U16(version), .. new byte[32], 0, .. Vector16(suiteBytes), 1, 0];
        return extensions.Length == 0 ? body : [.. body, .. Vector16(extensions.SelectMany(e => e).ToArray())];
    }

    public static byte[] ClientHelloRecord(ushort version, ushort[] suites, params byte[][] extensions) =>
        Record(22, 0x0301, Handshake(1, ClientHelloBody(version, suites, extensions)));

    /// <summary>A TLS 1.3 style hello: legacy 1.2, supported_versions 1.3 and 1.2, groups, signature algorithms, SNI.</summary>
    public static byte[] ModernClientHelloRecord(string sni = "ftp.example.com") =>
        ClientHelloRecord(0x0303, [0x1301, 0x1302, 0xc02f],
            Extension(0, Vector16([0, .. Vector16(System.Text.Encoding.ASCII.GetBytes(sni))])),
            Extension(10, Vector16([0x00, 0x1d, 0x00, 0x17])),
            Extension(13, Vector16([0x04, 0x03, 0x08, 0x04])),
            Extension(43, Vector8([0x03, 0x04, 0x03, 0x03])));

    public static byte[] ServerHelloBody(ushort version, ushort suite, params byte[][] extensions)
    {
        byte[] body = [.. U16(version), .. Enumerable.Range(1, 32).Select(i => (byte)i), 0, .. U16(suite), 0];
        return extensions.Length == 0 ? body : [.. body, .. Vector16(extensions.SelectMany(e => e).ToArray())];
    }

    public static byte[] ServerHello12Flight() =>
        Record(22, 0x0303, [.. Handshake(2, ServerHelloBody(0x0303, 0xc02f)), .. Handshake(14, [])]);

    public static byte[] ServerHello13Record() =>
        Record(22, 0x0303, Handshake(2, ServerHelloBody(0x0303, 0x1301, Extension(43, [0x03, 0x04]))));
}
