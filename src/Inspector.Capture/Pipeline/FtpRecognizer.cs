using Inspector.Core.Tls;

namespace Inspector.Capture.Pipeline;

/// <summary>The verdict on whether a connection is an FTP control connection.</summary>
public enum FtpVerdict : byte
{
    Undecided,
    Ftp,
    NotFtp,
}

/// <summary>
/// Recognises FTP control connections by what they say, not only by port (tshark shows no FTP
/// on a non-standard port unless told). A server whose first bytes are a 220 greeting is FTP
/// (RFC 959 §5.4: the server speaks first); so is one that answers a client's TLS ClientHello
/// with an FTP reply (an implicit-FTPS client at an explicit server). A connection seen from
/// its middle counts when the server sends FTP reply lines.
/// </summary>
public static class FtpRecognizer
{
    /// <summary>Bytes to look at before deciding a connection is something else.</summary>
    public const int MaxBytesToDecide = 16 * 1024;

    /// <param name="clientFirst">The client's first bytes (empty if none yet).</param>
    /// <param name="serverFirst">The server's first bytes (empty if none yet).</param>
    /// <param name="midstream">The connection started before the capture.</param>
    /// <param name="complete">No more bytes will come: decide now.</param>
    public static FtpVerdict Judge(ReadOnlySpan<byte> clientFirst, ReadOnlySpan<byte> serverFirst, bool midstream, bool complete)
    {
        if (serverFirst.Length >= 4)
        {
            if (IsReplyStart(serverFirst, "220"u8)) return FtpVerdict.Ftp;
            if (TlsRecordReader.IsClientHelloStart(clientFirst) && IsReplyStart(serverFirst, default)) return FtpVerdict.Ftp;
            if (midstream && IsReplyStart(serverFirst, default) && LooksLikeLines(serverFirst)) return FtpVerdict.Ftp;
            return FtpVerdict.NotFtp;
        }
        if (clientFirst.Length > 0 && !TlsRecordReader.IsClientHelloStart(clientFirst) && clientFirst.Length >= MaxBytesToDecide) return FtpVerdict.NotFtp;
        return complete ? FtpVerdict.NotFtp : FtpVerdict.Undecided;
    }

    /// <summary>"ddd " or "ddd-", with a given code or any valid one.</summary>
    private static bool IsReplyStart(ReadOnlySpan<byte> b, ReadOnlySpan<byte> code)
    {
        if (b.Length < 4 || b[3] is not ((byte)' ' or (byte)'-')) return false;
        if (!code.IsEmpty) return b[..3].SequenceEqual(code);
        return b[0] is >= (byte)'1' and <= (byte)'6' && char.IsAsciiDigit((char)b[1]) && char.IsAsciiDigit((char)b[2]);
    }

    private static bool LooksLikeLines(ReadOnlySpan<byte> b)
    {
        int lf = b.IndexOf((byte)'\n');
        if (lf < 0) return false;
        foreach (byte c in b[..lf])
        {
            if (c is < 0x20 and not (byte)'\r' and not (byte)'\t') return false;
        }
        return true;
    }
}
