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
    private readonly int capacity = Math.Max(16, maxLineLength);

    // Grows on demand up to the limit: a data connection's analyzer has line readers it never
    // uses, and most control lines are short.
    private byte[] buffer = [];
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
        int i = 0;
        while (i < data.Length)
        {
            if (skipping)
            {
                int lf = data[i..].IndexOf((byte)'\n');
                if (lf < 0) break;
                i += lf + 1;
                skipping = false;
                length = 0;
                LineStart = offset + i;
                continue;
            }
            if (length == 0) LineStart = offset + i;
            if (length == capacity)
            {
                skipping = true;
                consumed = i; // the byte past the limit is skipped on the next call
                return LineStatus.TooLong;
            }
            if (length < 4)
            {
                // A line's first bytes one at a time: a TLS record header is recognised before
                // anything after it is taken as text.
                byte b = data[i++];
                Append([b]);
                if (LooksLikeTls() is true)
                {
                    consumed = i;
                    return LineStatus.TlsDetected;
                }
                if (b == (byte)'\n')
                {
                    consumed = i;
                    return LineStatus.Line;
                }
                continue;
            }
            // The rest of the line in one step, up to the LF or the limit.
            ReadOnlySpan<byte> rest = data[i..];
            ReadOnlySpan<byte> fits = rest[..Math.Min(rest.Length, capacity - length)];
            int end = fits.IndexOf((byte)'\n');
            if (end >= 0)
            {
                Append(fits[..(end + 1)]);
                consumed = i + end + 1;
                return LineStatus.Line;
            }
            Append(fits);
            i += fits.Length;
        }
        consumed = data.Length;
        return LineStatus.NeedMoreData;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (length + bytes.Length > buffer.Length)
        {
            var bigger = new byte[Math.Min(capacity, Math.Max(length + bytes.Length, Math.Max(128, buffer.Length * 2)))];
            buffer.AsSpan(0, length).CopyTo(bigger);
            buffer = bigger;
        }
        bytes.CopyTo(buffer.AsSpan(length));
        length += bytes.Length;
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
