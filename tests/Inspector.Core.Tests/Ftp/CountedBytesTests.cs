using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Output;
using Inspector.Core.Streams;
using Inspector.Core.Tests.Kit;

namespace Inspector.Core.Tests.Ftp;

/// <summary>
/// A direction the analysis only counts (opaque, or plaintext data past its preview) may be fed
/// lengths instead of bytes, as the relay does: the outputs are the same as with the bytes.
/// </summary>
public class CountedBytesTests
{
    /// <param name="skipWhenAllowed">Bytes that could be counted come as a gap the relay's full queue left instead.</param>
    private static (List<string> Lines, long Counted) Run(IReadOnlyList<StreamEvent> events, bool data, bool countWhenAllowed, bool skipWhenAllowed = false)
    {
        var sink = new ListSink();
        var analyzer = new ConnectionAnalyzer(Script.Info, sink, null, data);
        long counted = 0;
        Timestamp last = default;
        foreach (StreamEvent e in events)
        {
            last = e.Time;
            if (countWhenAllowed && e is DataEvent d && analyzer.OnlyCounts(d.Direction))
            {
                if (skipWhenAllowed) analyzer.OnGap(d.Direction, d.Offset, d.Bytes.Length, d.Time, "skipped", GapCause.AnalysisOverflow);
                else analyzer.OnCounted(d.Direction, d.Offset, d.Bytes.Length, d.Time);
                counted += d.Bytes.Length;
            }
            else
            {
                analyzer.Feed(e);
            }
        }
        analyzer.Finish(last);
        var f = new JsonLinesFormatter(includeBytes: true);
        List<string> lines = [.. sink.Items.Select(o => f.Format(1, o))];
        (long c, long s) = analyzer.ByteCounts;
        lines.Add($"bytes {c} {s}, {analyzer.Protocol}, {analyzer.ProtocolState}");
        return (lines, counted);
    }

    private static byte[] Random(int n, int seed)
    {
        var bytes = new byte[n];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void A_plaintext_data_transfer_counted_after_its_preview_reads_as_the_bytes()
    {
        var s = new Script().Open();
        for (int i = 0; i < 20; i++) s.Server(Random(1448, i));
        s.End(Direction.ServerToClient, EndKind.Fin).End(Direction.ClientToServer, EndKind.Fin);

        (List<string> bytes, long none) = Run(s.Events, data: true, countWhenAllowed: false);
        (List<string> counted, long n) = Run(s.Events, data: true, countWhenAllowed: true);
        Assert.Equal(0, none);
        Assert.Equal(19 * 1448, n); // all but the first segment, which holds the preview
        Assert.Equal(bytes, counted);
    }

    [Fact]
    public void Bytes_the_relay_skipped_past_the_preview_read_as_the_bytes_and_only_earlier_skips_are_reported()
    {
        var s = new Script().Open();
        for (int i = 0; i < 20; i++) s.Server(Random(1448, i));
        s.End(Direction.ServerToClient, EndKind.Fin).End(Direction.ClientToServer, EndKind.Fin);

        // Skipped once the analysis only counts: nothing is lost, nothing is reported.
        (List<string> bytes, _) = Run(s.Events, data: true, countWhenAllowed: false);
        (List<string> skipped, long n) = Run(s.Events, data: true, countWhenAllowed: true, skipWhenAllowed: true);
        Assert.Equal(19 * 1448, n);
        Assert.Equal(bytes, skipped);
        Assert.DoesNotContain(skipped, l => l.Contains("inspector.analysis_overflow", StringComparison.Ordinal));

        // Skipped before the preview: those bytes were never decoded, and that is reported.
        var sink = new ListSink();
        var analyzer = new ConnectionAnalyzer(Script.Info, sink, null, true);
        DataEvent first = s.Events.OfType<DataEvent>().First();
        analyzer.OnGap(first.Direction, first.Offset, first.Bytes.Length, first.Time, "skipped", GapCause.AnalysisOverflow);
        Assert.Contains(sink.Items.OfType<Finding>(), f => f.Name == "inspector.analysis_overflow");
    }

    [Fact]
    public void A_direction_given_up_as_not_ftp_counted_reads_as_the_bytes()
    {
        var s = new Script().Open().Server("220 ready\r\n").Client("USER anonymous\r\n").Server("331 pass\r\n");
        for (int i = 0; i < 200; i++) s.Client($"\u0001garbage line {i} \u00ff\u00fe\r\n");
        for (int i = 0; i < 10; i++) s.Client(Random(4000, i));
        s.Server("421 bye\r\n").End(Direction.ServerToClient, EndKind.Fin).End(Direction.ClientToServer, EndKind.Fin);

        (List<string> bytes, _) = Run(s.Events, data: false, countWhenAllowed: false);
        (List<string> counted, long n) = Run(s.Events, data: false, countWhenAllowed: true);
        Assert.True(n > 40_000, $"only {n} bytes counted");
        Assert.Contains(bytes, l => l.Contains("ftp.not_ftp", StringComparison.Ordinal));
        Assert.Equal(bytes, counted);
    }

    [Fact]
    public void A_tls_data_connection_is_never_only_counted_and_a_wrong_call_is_a_gap_not_a_crash()
    {
        var s = new Script().Open().Client(TlsBytes.ModernClientHelloRecord()).Server(TlsBytes.ServerHello13Record());
        for (int i = 0; i < 5; i++) s.Server(TlsBytes.ApplicationData(1000));
        (_, long n) = Run(s.Events, data: true, countWhenAllowed: true);
        Assert.Equal(0, n);

        var sink = new ListSink();
        var analyzer = new ConnectionAnalyzer(Script.Info, sink, null, dataConnection: true);
        foreach (StreamEvent e in s.Events) analyzer.Feed(e);
        Assert.False(analyzer.OnlyCounts(Direction.ServerToClient));
        (long _, long before) = analyzer.ByteCounts;
        analyzer.OnCounted(Direction.ServerToClient, before, 500, s.Events[^1].Time);
        Assert.Contains(sink.Items.OfType<Inspector.Core.Timeline.TimelineEvent>(), e => e.Kind == Inspector.Core.Timeline.EventKinds.TcpGap);
    }
}
