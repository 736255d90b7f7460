using System.Globalization;
using System.Text;
using Inspector.Core.Tls;

namespace Inspector.Core.Analysis;

/// <summary>
/// Turns what was seen into words an administrator can act on: how a TLS stack misreads
/// plaintext, what a peer's TLS library will log, and the likely cause given the ClientHello,
/// the alert and the server's reply text.
/// </summary>
public static class TlsDiagnosis
{
    /// <summary>How a TLS stack reads the first bytes of plaintext as a record header (RFC 8446 §5.1).</summary>
    public static string MisreadHeader(ReadOnlySpan<byte> first)
    {
        var sb = new StringBuilder();
        sb.Append("The receiving TLS stack reads the first five bytes ")
          .Append(Hex(first[..Math.Min(5, first.Length)]))
          .Append(" (\"").Append(Printable(first[..Math.Min(5, first.Length)])).Append("\") as a TLS record header: ");
        if (first.Length >= 1)
        {
            sb.Append(CultureInfo.InvariantCulture, $"content type 0x{first[0]:X2} ({first[0]}), which is not a TLS content type (20-24)");
        }
        if (first.Length >= 3)
        {
            sb.Append(CultureInfo.InvariantCulture, $", version 0x{first[1]:X2}{first[2]:X2}");
        }
        if (first.Length >= 5)
        {
            int length = (first[3] << 8) | first[4];
            sb.Append(CultureInfo.InvariantCulture, $", length 0x{first[3]:X2}{first[4]:X2} ({length})");
        }
        return sb.Append('.').ToString();
    }

    /// <summary>What common TLS stacks report when the peer sends plaintext where a record belongs.</summary>
    public static string StackErrorsForPlaintext(ReadOnlySpan<byte> first)
    {
        string type = first.Length > 0 ? first[0].ToString(CultureInfo.InvariantCulture) : "?";
        return "What the receiving side's TLS library then reports: "
            + $"z/OS System SSL: return code 410 \"SSL message format is incorrect\", GSK trace \"Content Type {type} is not supported\"; "
            + "OpenSSL (curl, lftp with OpenSSL, Python): \"wrong version number\" (or \"packet length too long\"); "
            + "Java JSSE: \"Unsupported or unrecognized SSL message\"; "
            + "Windows SChannel: \"The message received was unexpected or badly formatted\" (SEC_E_ILLEGAL_MESSAGE); "
            + "GnuTLS (lftp): \"An unexpected TLS packet was received\".";
    }

    /// <summary>
    /// The likely causes of a failed handshake, most specific first: from the server's reply
    /// text, its alert, and what the client offered.
    /// </summary>
    public static List<string> LikelyCauses(ClientHelloInfo? hello, AlertInfo? alert, string? replyText)
    {
        var causes = new List<string>();
        string text = replyText ?? "";
        bool legacyOnly = hello is not null && hello.HighestVersion is < 0x0303 and >= 0x0002 && !TlsRegistry.IsGrease(hello.HighestVersion);
        bool noSigAlgs = hello is not null && hello.SignatureAlgorithms is null;

        if (Contains(text, "no suitable signature algorithm") || (alert is { Description: 80 } && noSigAlgs))
        {
            causes.Add(noSigAlgs
                ? "No signature algorithm in common: the client sent no signature_algorithms extension, so the server may only sign with SHA-1 (RFC 5246 §7.4.1.4.1; TLS 1.0 and 1.1 use MD5+SHA-1), and OpenSSL 3 refuses SHA-1 and MD5 signatures at its default security level. No SHA-256 signature is possible, so the server cannot prove its identity and aborts (OpenSSL error 0A000076 \"no suitable signature algorithm\")."
                : "No signature algorithm in common: none of the client's signature_algorithms matches the server's certificate key and security level (OpenSSL error 0A000076).");
        }
        if (Contains(text, "unsupported protocol") || Contains(text, "wrong version number") || alert is { Description: 70 } || legacyOnly)
        {
            if (hello is not null && legacyOnly)
            {
                causes.Add($"TLS version refused: the client's best version is {TlsRegistry.VersionName(hello.HighestVersion)}. RFC 8996 deprecates TLS 1.0 and 1.1; servers on OpenSSL 3 (and servers configured with TLSProtocol TLSv1.2 or ssl_tlsv1=NO) refuse them. Enable TLS 1.2 in the client's TLS settings (on z/OS: the System SSL or AT-TLS policy's protocol list), or, if policy allows, re-enable TLS 1.0/1.1 on the server.");
            }
            else
            {
                causes.Add("TLS version refused: the server does not accept any version the client offered.");
            }
        }
        if (Contains(text, "no shared cipher") || alert is { Description: 40 } || alert is { Description: 71 })
        {
            causes.Add(hello is not null
                ? $"No cipher suite in common: the client offered {hello.CipherSuites.Length} suites ({string.Join(", ", hello.CipherSuites.Select(TlsRegistry.CipherSuiteName))}); the server accepts none of them (current OpenSSL defaults drop RSA key exchange and CBC-SHA1 suites only at higher security levels, so compare the server's cipher list)."
                : "No cipher suite in common between the client's offer and the server's cipher list.");
        }
        if (Contains(text, "certificate") || alert is { Description: 42 or 43 or 44 or 45 or 46 or 48 or 116 })
        {
            causes.Add("A certificate problem: the server's certificate (or the client certificate it demanded) was missing, expired, or not trusted by the peer's trust store.");
        }
        if (alert is { Description: 112 })
        {
            causes.Add("The server does not know the host name the client sent in SNI (unrecognized_name).");
        }
        if (causes.Count == 0 && alert is { } a)
        {
            causes.Add($"The {a.DescriptionName} alert is the sender's own reason; nothing in the client's offer explains it.");
        }
        return causes;
    }

    /// <summary>What an alert description means, in a sentence (RFC 8446 §6.2, RFC 5246 §7.2.2).</summary>
    public static string AlertMeaning(AlertInfo alert) => alert.Description switch
    {
        0 => "close_notify: the sender is closing TLS on this connection cleanly.",
        10 => "unexpected_message: the sender received a message it did not expect at this point of the handshake (often plaintext or a message out of order).",
        20 => "bad_record_mac: a record failed its integrity check (keys out of step, or bytes altered in transit).",
        22 => "record_overflow: a record was longer than allowed.",
        40 => "handshake_failure: the sender could not agree on security parameters (commonly no cipher suite or signature algorithm in common).",
        42 or 43 or 44 or 45 or 46 => "a certificate problem: the sender rejected the peer's certificate.",
        47 => "illegal_parameter: a handshake field was out of range or inconsistent.",
        48 => "unknown_ca: the sender does not trust the peer certificate's issuer.",
        50 => "decode_error: a message could not be decoded (lengths do not add up).",
        51 => "decrypt_error: a signature or Finished check failed.",
        70 => "protocol_version: the sender does not accept the TLS version the peer offered.",
        71 => "insufficient_security: the peer's offer is below the sender's security requirements (cipher suites too weak).",
        80 => "internal_error: the sender failed for a reason of its own; with OpenSSL 3 servers this is often \"no suitable signature algorithm\" for a client that offers no signature algorithm the server may use.",
        86 => "inappropriate_fallback: the client retried with a lower version (TLS_FALLBACK_SCSV) although a better one was possible.",
        90 => "user_canceled: the sender gave up the handshake.",
        109 => "missing_extension: a required extension was absent.",
        110 => "unsupported_extension: the peer sent an extension the sender never offered.",
        112 => "unrecognized_name: no host matches the SNI name.",
        116 => "certificate_required: the server requires a client certificate.",
        120 => "no_application_protocol: no ALPN protocol in common.",
        _ => $"{alert.DescriptionName}.",
    };

    public static string Hex(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length * 3);
        for (int i = 0; i < bytes.Length; i++)
        {
            if (i > 0) sb.Append(' ');
            sb.Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Bytes as ASCII with anything unprintable shown as a dot (safe for a terminal).</summary>
    public static string Printable(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        foreach (byte b in bytes) sb.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
        return sb.ToString();
    }

    private static bool Contains(string text, string what) => text.Contains(what, StringComparison.OrdinalIgnoreCase);
}
