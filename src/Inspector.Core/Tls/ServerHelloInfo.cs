namespace Inspector.Core.Tls;

/// <summary>A decoded ServerHello or HelloRetryRequest (RFC 8446 §4.1.3, §4.1.4; RFC 5246 §7.4.1.3).</summary>
public sealed record ServerHelloInfo
{
    /// <summary>RFC 8446 §4.1.3: a HelloRetryRequest is a ServerHello with this random (SHA-256 of "HelloRetryRequest").</summary>
    private static readonly byte[] HelloRetryRequestRandom = Convert.FromHexString(
        "CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

    public required ushort LegacyVersion { get; init; }
    public required byte[] Random { get; init; }
    public required byte[] SessionId { get; init; }
    public required ushort CipherSuite { get; init; }
    public required byte Compression { get; init; }
    public required IReadOnlyList<TlsExtension> Extensions { get; init; }
    /// <summary>The supported_versions extension's choice (TLS 1.3 and later).</summary>
    public ushort? SelectedVersion { get; init; }

    /// <summary>The version in force: supported_versions when present (RFC 8446 §4.2.1), else legacy_version.</summary>
    public ushort Version => SelectedVersion ?? LegacyVersion;

    public bool IsHelloRetryRequest => Random.AsSpan().SequenceEqual(HelloRetryRequestRandom);

    /// <summary>
    /// RFC 8446 §4.1.3: a server able to negotiate TLS 1.3 puts "DOWNGRD" and 01 (for TLS 1.2)
    /// or 00 (for TLS 1.1 and older) in the last eight bytes of its random when it negotiates less.
    /// </summary>
    public string? DowngradeSentinel
    {
        get
        {
            ReadOnlySpan<byte> tail = Random.AsSpan(24);
            if (!tail[..7].SequenceEqual("DOWNGRD"u8)) return null;
            return tail[7] switch
            {
                1 => "TLS 1.2",
                0 => "TLS 1.1 or older",
                _ => null,
            };
        }
    }

    public static ServerHelloInfo? Parse(ReadOnlySpan<byte> body, out string? error)
    {
        var r = new WireReader(body);
        error = null;
        if (!r.TryU16(out ushort version) || !r.TryBytes(32, out ReadOnlySpan<byte> random)
            || !r.TryVector8(out ReadOnlySpan<byte> sid) || !r.TryU16(out ushort suite) || !r.TryU8(out byte compression))
        {
            error = "shorter than its fixed fields";
            return null;
        }
        var extensions = new List<TlsExtension>();
        ushort? selected = null;
        if (!r.AtEnd)
        {
            error = ExtensionBlock.Read(ref r, extensions, (type, data) =>
            {
                if (type == ClientHelloParser.ExtSupportedVersions && data.Length == 2) selected = (ushort)((data[0] << 8) | data[1]);
            });
            if (error is not null) return null;
        }
        return new ServerHelloInfo
        {
            LegacyVersion = version,
            Random = random.ToArray(),
            SessionId = sid.ToArray(),
            CipherSuite = suite,
            Compression = compression,
            Extensions = extensions,
            SelectedVersion = selected,
        };
    }
}
