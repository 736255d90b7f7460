namespace Inspector.Core.Ftp;

/// <summary>What <see cref="FtpLineReader.Feed"/> found.</summary>
public enum LineStatus : byte
{
    /// <summary>Every byte was consumed; the line is not finished yet.</summary>
    NeedMoreData,
    /// <summary>A whole line (terminator included) is in <see cref="FtpLineReader.Line"/>.</summary>
    Line,
    /// <summary>The line grew past the limit; the reader now skips to the next LF.</summary>
    TooLong,
    /// <summary>The bytes at the start of this line are a TLS record, not text; nothing of them was consumed as a line.</summary>
    TlsDetected,
}

/// <summary>
/// Cuts a control-channel byte stream into lines ending in LF (RFC 959 §4.1.1 says CRLF; bare LF
/// is accepted and reported by the caller). At the start of each line it also recognises a TLS
/// record header or an SSLv2 ClientHello, so a peer that starts TLS where text was expected is
/// caught at the exact byte. Chunk boundaries never change what it returns.
/// </summary>
public sealed class FtpLineReader(int maxLineLength)
{
    private readonly byte[] buffer = new byte[Math.Max(16, maxLineLength)];
    private int length;
    private bool skipping;

    /// <summary>Stream offset of the first byte of the current (or just finished) line.</summary>
    public long LineStart { get; private set; }

    /// <summary>The bytes of the line just returned (or, after TooLong/TlsDetected, held so far).</summary>
    public ReadOnlySpan<byte> Line => buffer.AsSpan(0, length);

    /// <summary>True while bytes are being skipped after an over-long line.</summary>
    public bool Skipping => skipping;

    /// <summary>Bytes of an unfinished line held right now.</summary>
    public int Pending => length;

    /// <summary>Feeds bytes starting at stream offset <paramref name="offset"/>; stops after each event.</summary>
    public LineStatus Feed(ReadOnlySpan<byte> data, long offset, out int consumed)
    {
        for (int i = 0; i < data.Length; i++)
        {
            byte b = data[i];
            if (skipping)
            {
                if (b == (byte)'\n')
                {
                    skipping = false;
                    length = 0;
                    LineStart = offset + i + 1;
                }
                continue;
            }
            if (length == 0) LineStart = offset + i;
            if (length == buffer.Length)
            {
                skipping = true;
                consumed = i; // the byte past the limit is skipped on the next call
                return LineStatus.TooLong;
            }
            buffer[length++] = b;
            if (length <= 4 && LooksLikeTls() is true)
            {
                consumed = i + 1;
                return LineStatus.TlsDetected;
            }
            if (b == (byte)'\n')
            {
                consumed = i + 1;
                return LineStatus.Line;
            }
        }
        consumed = data.Length;
        return LineStatus.NeedMoreData;
    }

    /// <summary>Forget the current line (after it was handled, or at a gap).</summary>
    public void Clear() => length = 0;

    /// <summary>After a gap: skip whatever is left of the broken line, up to the next LF.</summary>
    public void ResyncAtNextLine()
    {
        length = 0;
        skipping = true;
    }

    /// <summary>True once the held prefix is a TLS record header or SSLv2 hello, false once it cannot be, null while undecided.</summary>
    private bool? LooksLikeTls()
    {
        byte b0 = buffer[0];
        // RFC 8446 §5.1 / RFC 5246 §6.2.1: content type 20..24, then legacy version 3.x.
        // Such control bytes never start an FTP line.
        if (b0 is >= 20 and <= 24)
        {
            if (length < 3) return null;
            return buffer[1] == 3 && buffer[2] <= 4;
        }
        // RFC 6101 Appendix E / RFC 5246 Appendix E.2: SSLv2 header with the high bit set,
        // then msg_type 1 (client_hello) and a version of major 0, 2 or 3. 0xFF is Telnet IAC.
        if ((b0 & 0x80) != 0 && b0 != 0xFF)
        {
            if (length < 4) return null;
            return buffer[2] == 1 && buffer[3] is 0 or 2 or 3;
        }
        return false;
    }
}
