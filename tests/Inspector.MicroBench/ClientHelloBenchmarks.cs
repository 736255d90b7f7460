using BenchmarkDotNet.Attributes;
using Inspector.Core.Analysis;
using Inspector.Core.Model;
using Inspector.Core.Tls;
using Inspector.MicroBench.Inputs;

namespace Inspector.MicroBench;

/// <summary>
/// <see cref="ClientHelloParser"/> on two real ClientHellos: curl's TLS 1.2-only hello
/// (OpenSSL 3.0, 28 suites, 5 extensions) and lftp's TLS 1.3 hello (GnuTLS 3.7, 29 suites,
/// 13 extensions including SNI, key_share and supported_versions).
/// </summary>
[MemoryDiagnoser]
public class ClientHelloBenchmarks
{
    private byte[] body = [];

    [Params(Session.Tls12Curl, Session.Tls13Lftp)]
    public Session Hello { get; set; }

    /// <summary>Takes the handshake body the analyzer would hand the parser: the client's first TLS record without its record and handshake headers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        byte[] tls = Sessions.Load(Hello).TlsStream(Direction.ClientToServer);
        var records = new TlsRecordReader(allowSslV2: true);
        if (records.Feed(tls, 0, out _) != RecordStatus.Record) throw new InvalidDataException("no whole first record");
        var handshakes = new HandshakeReassembler(AnalyzerOptions.Default.MaxHandshakeMessageLength);
        handshakes.Append(records.Current.Payload.Span, records.Current.HeaderLength);
        if (handshakes.TryNext(out HandshakeMessage hello) != HandshakeStatus.Message || hello.Type != 1)
        {
            throw new InvalidDataException("the first record is not a whole ClientHello");
        }
        body = hello.Body.ToArray();
    }

    [Benchmark]
    public ClientHelloInfo? Parse() => ClientHelloParser.Parse(body, out _);
}
