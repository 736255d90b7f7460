using BenchmarkDotNet.Attributes;
using Inspector.Core.Analysis;
using Inspector.Core.Model;
using Inspector.Core.Tls;
using Inspector.MicroBench.Inputs;

namespace Inspector.MicroBench;

/// <summary>What one pass over both directions' TLS bytes found.</summary>
public record struct TlsDecodeResult(int Records, int ApplicationDataRecords, int HandshakeMessages);

/// <summary>
/// The TLS record layer on real FTPS control connections, from the ClientHello on:
/// <see cref="TlsRecordReader"/> frames records (application data counted, not copied) and
/// <see cref="HandshakeReassembler"/> joins the clear handshake records into messages.
/// Tls13Lftp is mostly small application-data records; Tls12Curl is a clear handshake
/// flight (ServerHello, Certificate, ServerKeyExchange, ServerHelloDone) and an alert.
/// </summary>
[MemoryDiagnoser]
public class TlsRecordBenchmarks
{
    private ReadOnlyMemory<byte>[] client = [];
    private ReadOnlyMemory<byte>[] server = [];

    [Params(Session.Tls13Lftp, Session.Tls12Curl)]
    public Session Session { get; set; }

    [ParamsAllValues]
    public Chunking Chunking { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        RecordedConnection session = Sessions.Load(Session);
        client = Chunks.Cut(session.TlsStream(Direction.ClientToServer), Chunking);
        server = Chunks.Cut(session.TlsStream(Direction.ServerToClient), Chunking);
    }

    /// <summary>Both directions, with fresh decoders as a new connection gets.</summary>
    [Benchmark]
    public TlsDecodeResult DecodeRecords()
    {
        var result = new TlsDecodeResult();
        Decode(client, new TlsRecordReader(allowSslV2: true), ref result);
        Decode(server, new TlsRecordReader(), ref result);
        return result;
    }

    private static void Decode(ReadOnlyMemory<byte>[] chunks, TlsRecordReader records, ref TlsDecodeResult result)
    {
        var handshakes = new HandshakeReassembler(AnalyzerOptions.Default.MaxHandshakeMessageLength);
        long offset = 0;
        foreach (ReadOnlyMemory<byte> chunk in chunks)
        {
            ReadOnlySpan<byte> data = chunk.Span;
            while (!data.IsEmpty)
            {
                RecordStatus status = records.Feed(data, offset, out int used);
                data = data[used..];
                offset += used;
                if (status == RecordStatus.NeedMoreData) continue;
                // Real clients and servers on loopback send only valid records with no gap:
                // anything else means the input is not what this benchmark claims to measure.
                if (status != RecordStatus.Record) throw new InvalidDataException($"unexpected {status} at offset {records.InvalidHeaderOffset}");
                TlsRecord record = records.Current;
                result.Records++;
                if (record.ContentType == 23) result.ApplicationDataRecords++;
                if (record.ContentType != 22) continue;
                handshakes.Append(record.Payload.Span, record.Offset + record.HeaderLength);
                while (handshakes.TryNext(out _) == HandshakeStatus.Message) result.HandshakeMessages++;
            }
        }
    }
}
