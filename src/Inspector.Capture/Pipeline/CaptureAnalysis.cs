using System.Net;
using Inspector.Capture.Files;
using Inspector.Capture.Packets;
using Inspector.Capture.Tcp;
using Inspector.Core.Analysis;
using Inspector.Core.Model;
using Inspector.Core.Sessions;
using Inspector.Core.Streams;
using Inspector.Core.Tls;

namespace Inspector.Capture.Pipeline;

/// <summary>Which connections to analyse and how.</summary>
public sealed record CaptureAnalysisOptions
{
    /// <summary>Server ports always treated as FTP (21 and 990 by default; --port adds more).</summary>
    public IReadOnlySet<int> FtpPorts { get; init; } = new HashSet<int> { 21, 990 };

    public AnalyzerOptions Analyzer { get; init; } = AnalyzerOptions.Default;

    public TcpReassemblyOptions Reassembly { get; init; } = TcpReassemblyOptions.Default;

    public DataTrackingOptions Data { get; init; } = DataTrackingOptions.Default;
}

/// <summary>
/// Packets in, sessions out: decodes frames, reassembles TCP, recognises FTP control
/// connections and runs one analyzer per session, reporting to an <see cref="ISessionSink"/>.
/// The same pipeline serves capture files and live capture.
/// </summary>
public sealed class CaptureAnalysis : ITcpStreamSink
{
    private readonly CaptureAnalysisOptions options;
    private readonly DataConnectionTracker sink;
    private readonly FrameDecoder decoder;
    private readonly TcpReassembler reassembler;
    private long nextSessionId = 1;

    public CaptureAnalysis(ISessionSink sink, CaptureAnalysisOptions? options = null)
    {
        this.options = options ?? new CaptureAnalysisOptions();
        // Every session passes the tracker, which links data connections to their control sessions.
        this.sink = new DataConnectionTracker(sink, this.options.Data);
        decoder = new FrameDecoder(Stats);
        reassembler = new TcpReassembler(this, this.options.Reassembly, port => this.options.FtpPorts.Contains(port));
    }

    public CaptureStats Stats { get; } = new();

    /// <summary>TCP connections that were not recognised as FTP.</summary>
    public long IgnoredConnections { get; private set; }

    public long Sessions => nextSessionId - 1;

    public void Add(in CapturedPacket packet)
    {
        if (decoder.Decode(packet, out TcpSegment segment) == FrameKind.Tcp) reassembler.Add(segment);
    }

    /// <summary>Feeds one already-decoded segment (tests that reorder and split real segments).</summary>
    internal void AddSegment(in TcpSegment segment) => reassembler.Add(segment);

    /// <summary>Reads a whole capture. Format errors propagate after the packets before them were analysed; call <see cref="Complete"/> either way.</summary>
    public void Read(ICaptureReader reader)
    {
        while (reader.TryRead(out CapturedPacket packet)) Add(packet);
    }

    /// <summary>End of input: every open connection ends as "capture ended".</summary>
    public void Complete() => reassembler.Finish();

    /// <summary>Live sources: end idle connections.</summary>
    public void Sweep(Timestamp now) => reassembler.Sweep(now);

    void ITcpStreamSink.OnConnection(TcpConnection connection)
    {
        if (options.FtpPorts.Contains(connection.Server.Port))
        {
            connection.Tag = StartSession(connection);
        }
        else if (sink.Claim(connection.Client.ToIPEndPoint(), connection.Server.ToIPEndPoint()) is { } claim)
        {
            connection.Tag = StartDataSession(connection, claim);
        }
        else
        {
            connection.Tag = new Pending { MayBeData = sink.MayInfer(connection.Client.ToIPEndPoint(), connection.Server.ToIPEndPoint()) };
        }
    }

    void ITcpStreamSink.OnEvent(TcpConnection connection, StreamEvent e)
    {
        switch (connection.Tag)
        {
            case SessionAnalyzer session:
                session.Feed(e);
                break;
            case DataSession data:
                data.Analyzer.Feed(data.Swap ? StreamEventRoles.Swap(e) : e);
                break;
            case Pending pending:
                pending.Add(e);
                Decide(connection, pending, complete: false);
                break;
        }
    }

    void ITcpStreamSink.OnData(TcpConnection connection, Direction direction, long offset, Timestamp time, ReadOnlyMemory<byte> bytes)
    {
        switch (connection.Tag)
        {
            case SessionAnalyzer session:
                session.FeedData(direction, offset, time, bytes.Span);
                break;
            case DataSession data:
                data.Analyzer.FeedData(data.Swap ? direction.Opposite() : direction, offset, time, bytes.Span);
                break;
            case Pending:
                ((ITcpStreamSink)this).OnEvent(connection, new DataEvent(direction, offset, time, bytes));
                break;
        }
    }

    void ITcpStreamSink.OnClosed(TcpConnection connection, Timestamp time, EndKind kind)
    {
        if (connection.Tag is Pending pending) Decide(connection, pending, complete: true);
        if (connection.Tag is SessionAnalyzer session) session.Finish(time, kind);
        if (connection.Tag is DataSession data) data.Analyzer.Finish(time, kind);
        connection.Tag = null; // release the analyzer
    }

    private void Decide(TcpConnection connection, Pending pending, bool complete)
    {
        if (DecideData(connection, pending, complete)) return;
        FtpVerdict verdict = FtpRecognizer.Judge(pending.First(Direction.ClientToServer), pending.First(Direction.ServerToClient), connection.Midstream, complete);
        if (verdict == FtpVerdict.Undecided && pending.Bytes > FtpRecognizer.MaxBytesToDecide) verdict = FtpVerdict.NotFtp;
        switch (verdict)
        {
            case FtpVerdict.Ftp:
                SessionAnalyzer session = StartSession(connection);
                connection.Tag = session;
                foreach (StreamEvent e in pending.Events) session.Feed(e);
                break;
            case FtpVerdict.NotFtp:
                IgnoredConnections++;
                connection.Tag = Ignored.Instance;
                break;
        }
    }

    /// <summary>
    /// A connection not yet recognised may be a data connection: an announced endpoint that the
    /// control channel's reply named only after the SYN was seen, or one of an encrypted control
    /// session, which is decided at its first bytes (the side sending a ClientHello is the FTP client).
    /// </summary>
    private bool DecideData(TcpConnection connection, Pending pending, bool complete)
    {
        IPEndPoint client = connection.Client.ToIPEndPoint(), server = connection.Server.ToIPEndPoint();
        DataClaim? claim = sink.Claim(client, server);
        // Decide on a whole record header and handshake type, however the first segments were cut.
        bool enough = pending.First(Direction.ClientToServer).Length >= 6 || pending.First(Direction.ServerToClient).Length >= 6;
        if (claim is null && pending.MayBeData && (enough || complete))
        {
            // The FTP client is the TLS client (RFC 4217 §7): a ClientHello from the TCP server, or
            // TLS other than a ClientHello (a ServerHello, an alert) from the TCP client, means the FTP server connected.
            ReadOnlySpan<byte> fromClient = pending.First(Direction.ClientToServer);
            bool serverConnected = TlsRecordReader.IsClientHelloStart(pending.First(Direction.ServerToClient))
                || TlsRecordReader.IsPlausibleHeader(fromClient) && !TlsRecordReader.IsClientHelloStart(fromClient);
            claim = sink.ClaimInferred(client, server, clientHelloFromTcpServer: serverConnected);
        }
        if (claim is null) return false;
        DataSession data = StartDataSession(connection, claim);
        connection.Tag = data;
        foreach (StreamEvent e in pending.Events) data.Analyzer.Feed(data.Swap ? StreamEventRoles.Swap(e) : e);
        return true;
    }

    private DataSession StartDataSession(TcpConnection c, DataClaim claim)
    {
        bool swap = claim.FtpClientIsTcpServer;
        var info = new SessionInfo(nextSessionId++, (swap ? c.Server : c.Client).ToIPEndPoint(), (swap ? c.Client : c.Server).ToIPEndPoint(),
            c.Start, c.Midstream, c.RolesInferred, claim.Link);
        return new DataSession(new SessionAnalyzer(info, sink, options.Analyzer), swap);
    }

    private SessionAnalyzer StartSession(TcpConnection c)
    {
        var info = new SessionInfo(nextSessionId++, c.Client.ToIPEndPoint(), c.Server.ToIPEndPoint(), c.Start, c.Midstream, c.RolesInferred);
        return new SessionAnalyzer(info, sink, options.Analyzer);
    }

    /// <summary>Events of a connection not yet recognised (copied: the reader reuses its buffers).</summary>
    /// <summary>A data connection's analyzer; for active mode its directions are swapped into FTP roles.</summary>
    private sealed record DataSession(SessionAnalyzer Analyzer, bool Swap);

    private sealed class Pending
    {
        /// <summary>An encrypted control session between the same hosts is open: this may be one of its data connections.</summary>
        public bool MayBeData { get; init; }

        private readonly List<byte>[] first = [[], []];

        public List<StreamEvent> Events { get; } = [];

        public long Bytes { get; private set; }

        public void Add(StreamEvent e)
        {
            if (e is DataEvent d)
            {
                byte[] copy = d.Bytes.ToArray();
                Events.Add(d with { Bytes = copy });
                Bytes += copy.Length;
                List<byte> f = first[(int)d.Direction];
                if (f.Count < 64) f.AddRange(copy.AsSpan(0, Math.Min(64 - f.Count, copy.Length)));
            }
            else
            {
                Events.Add(e);
            }
        }

        public ReadOnlySpan<byte> First(Direction d) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(first[(int)d]);
    }

    private sealed class Ignored
    {
        public static readonly Ignored Instance = new();
    }
}
