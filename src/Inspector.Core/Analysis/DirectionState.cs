using Inspector.Core.Ftp;
using Inspector.Core.Model;
using Inspector.Core.Tls;

namespace Inspector.Core.Analysis;

/// <summary>How a direction's next bytes are read.</summary>
internal enum DecodeMode : byte
{
    /// <summary>FTP lines; a TLS record at the start of a line is recognised.</summary>
    Ftp,
    /// <summary>Client bytes after AUTH, held until the server's reply says whether they are TLS.</summary>
    HoldForAuthReply,
    Tls,
    /// <summary>Undecodable (malformed TLS, lost sync): counted only.</summary>
    Opaque,
    /// <summary>A data connection's first bytes, held until they show TLS or plaintext.</summary>
    DataStart,
    /// <summary>Plaintext file or listing bytes on a data connection: counted only.</summary>
    DataPlain,
}

/// <summary>What the first bytes of a direction were.</summary>
internal enum FirstBytes : byte
{
    Unknown,
    Ftp,
    Tls,
}

/// <summary>Bytes a TLS reader expected but that turned out to be plaintext.</summary>
/// <param name="AfterHandshake">The TLS session was established before the plaintext came.</param>
internal sealed record PlaintextFallback(byte[] FirstBytes, long Offset, Timestamp Time, AlertInfo? AlertBefore, bool AfterHandshake);

/// <summary>Everything the analyzer keeps about one direction of a connection.</summary>
internal sealed class DirectionState
{
    private readonly int maxHandshakeMessageLength;
    private TlsRecordReader? records;
    private HandshakeReassembler? handshakes;

    public DirectionState(Direction direction, AnalyzerOptions options)
    {
        Direction = direction;
        Lines = new FtpLineReader(options.MaxLineLength);
        Replies = new FtpReplyAssembler(options.MaxReplyLines);
        maxHandshakeMessageLength = options.MaxHandshakeMessageLength;
    }

    public Direction Direction { get; }
    public Side Sender => Direction.Sender();
    public DecodeMode Mode { get; set; } = DecodeMode.Ftp;

    /// <summary>Next stream offset the source is expected to deliver.</summary>
    public long Received { get; set; }

    /// <summary>Next stream offset the decoders will read.</summary>
    public long DecodePos { get; set; }

    public FtpLineReader Lines { get; }
    public FtpReplyAssembler Replies { get; }
    // The TLS decoders are made when a direction first needs them: most directions of a busy
    // capture (plain FTP, plaintext data) never do, and every connection made both for both
    // directions, objects that live as long as the connection and so are copied by collections.
    public TlsRecordReader Records
    {
        get => records ??= new TlsRecordReader(allowSslV2: Direction == Direction.ClientToServer);
        set => records = value;
    }

    public HandshakeReassembler Handshakes => handshakes ??= new HandshakeReassembler(maxHandshakeMessageLength);

    /// <summary>Held bytes (null bytes mark a gap of Length).</summary>
    public List<(long Offset, Timestamp Time, byte[]? Bytes, long Length)> Held { get; set; } = [];
    public long HeldBytes { get; set; }

    public bool Active { get; set; }
    public Timestamp LastActivity { get; set; }
    public FirstBytes First { get; set; }
    public bool Closed { get; set; }

    /// <summary>Bytes of this direction went missing at some point: what they held is unknown.</summary>
    public bool GapSeen { get; set; }

    // TLS state of this direction.
    public bool Encrypted { get; set; }
    public int EncryptedRecords { get; set; }
    public int TlsRecords { get; set; }
    public AlertInfo? LastAlert { get; set; }
    public bool SentEncryptedAlert { get; set; }
    public bool ReturnedToPlaintext { get; set; }

    public PlaintextFallback? PendingFallback { get; set; }
    public bool FellBackToPlaintext { get; set; }
    public bool BareLfReported { get; set; }

    /// <summary>Lines in a row, up to the current one, that were not FTP (see <see cref="AnalyzerOptions.MaxMalformedLinesInARow"/>).</summary>
    public int MalformedRun { get; set; }

    /// <summary>While the line reader skips an over-long line: the stream offset up to which its skipped bytes were counted as lines that are not FTP.</summary>
    public long SkippedCountedTo { get; set; }

    // Data connections: payload bytes (plaintext, or TLS application-data record lengths) and
    // application-data records longer than a close_notify.
    public long Payload { get; set; }
    public int PayloadRecords { get; set; }
    public bool PayloadShown { get; set; }
    public Timestamp FirstEncryptedTime { get; set; }

    /// <summary>When this direction's first byte came, and its first bytes (however they were cut into segments).</summary>
    public Timestamp FirstTime { get; set; }
    public List<byte> Opening { get; } = [];

    // Multi-line reply being assembled.
    public long ReplyStart { get; set; }
    public long ReplyEnd { get; set; }
    public List<byte> ReplyBytes { get; } = [];
}
