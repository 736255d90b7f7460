using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Inspector.Core.Tls;

/// <summary>What an administrator needs from one certificate of a chain.</summary>
public sealed record CertificateInfo(
    string Subject,
    string Issuer,
    string NotBefore,
    string NotAfter,
    string KeyAlgorithm,
    int KeySize,
    string SignatureAlgorithm,
    string Serial,
    string Sha256Fingerprint,
    string? Error)
{
    /// <summary>
    /// The TLS 1.2 Certificate message (RFC 5246 §7.4.2): a 24-bit list of 24-bit-length DER
    /// certificates. (TLS 1.3 sends it encrypted, so it is never seen here.) Returns null when
    /// the lengths do not add up; a certificate that does not decode is listed with its error.
    /// </summary>
    public static IReadOnlyList<CertificateInfo>? ParseChain(ReadOnlySpan<byte> body, out string? error)
    {
        var r = new WireReader(body);
        error = null;
        if (!r.TryVector24(out ReadOnlySpan<byte> list) || !r.AtEnd)
        {
            error = "certificate_list length does not match the message";
            return null;
        }
        var lr = new WireReader(list);
        var result = new List<CertificateInfo>();
        while (!lr.AtEnd)
        {
            if (!lr.TryVector24(out ReadOnlySpan<byte> der))
            {
                error = "a certificate runs past the list";
                return null;
            }
            result.Add(Decode(der));
        }
        return result;
    }

    /// <summary>Most certificates decoded once and kept (by fingerprint) for the next connection that sends them.</summary>
    private const int CacheLimit = 256;

    // A server sends the same chain on every connection, data connections included; decoding it
    // through X509Certificate2 costs far more than hashing it, so each is decoded once.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, CertificateInfo> Decoded = new(StringComparer.Ordinal);

    public static CertificateInfo Decode(ReadOnlySpan<byte> der)
    {
        string fingerprint = Convert.ToHexString(SHA256.HashData(der));
        if (Decoded.TryGetValue(fingerprint, out CertificateInfo? known)) return known;
        CertificateInfo info = DecodeUncached(der, fingerprint);
        if (Decoded.Count >= CacheLimit) Decoded.Clear();
        Decoded[fingerprint] = info;
        return info;
    }

    private static CertificateInfo DecodeUncached(ReadOnlySpan<byte> der, string fingerprint)
    {
        try
        {
            using X509Certificate2 cert = X509CertificateLoader.LoadCertificate(der);
            (string keyAlg, int keySize) = DescribeKey(cert);
            return new CertificateInfo(
                cert.Subject,
                cert.Issuer,
                cert.NotBefore.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                cert.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                keyAlg,
                keySize,
                cert.SignatureAlgorithm.FriendlyName ?? cert.SignatureAlgorithm.Value ?? "unknown",
                cert.SerialNumber,
                fingerprint,
                null);
        }
        catch (CryptographicException ex)
        {
            return new CertificateInfo("", "", "", "", "", 0, "", "", fingerprint, ex.Message);
        }
    }

    private static (string, int) DescribeKey(X509Certificate2 cert)
    {
        using RSA? rsa = cert.GetRSAPublicKey();
        if (rsa is not null) return ("RSA", rsa.KeySize);
        using ECDsa? ec = cert.GetECDsaPublicKey();
        if (ec is not null) return ("ECDSA", ec.KeySize);
        using DSA? dsa = cert.GetDSAPublicKey();
        if (dsa is not null) return ("DSA", dsa.KeySize);
        return (cert.PublicKey.Oid.FriendlyName ?? cert.PublicKey.Oid.Value ?? "unknown", 0);
    }
}
