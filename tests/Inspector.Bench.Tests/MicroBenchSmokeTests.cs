using Inspector.Core.Tls;
using Inspector.MicroBench;
using Inspector.MicroBench.Inputs;

namespace Inspector.Bench.Tests;

/// <summary>
/// Runs every micro-benchmark once, outside BenchmarkDotNet (GlobalSetup, then the method),
/// and checks what it decoded against what the capture holds, so a benchmark that silently
/// stops measuring real work fails here. Both chunkings must give the same answer.
/// </summary>
public sealed class MicroBenchSmokeTests
{
    [Theory]
    [InlineData(Chunking.Whole)]
    [InlineData(Chunking.EightBytes)]
    public void Ftp_lines_of_the_lftp_session_are_all_decoded(Chunking chunking)
    {
        var bench = new FtpLineBenchmarks { Chunking = chunking };
        bench.Setup();

        // 17 commands (one PASS); 36 server lines in 20 replies: the banner, the 17-line FEAT reply and 18 one-line replies.
        Assert.Equal(new FtpDecodeResult(Lines: 53, Commands: 17, Replies: 20, Redacted: 1), bench.DecodeControlChannel());
    }

    [Theory]
    [InlineData(Session.Tls13Lftp, Chunking.Whole)]
    [InlineData(Session.Tls13Lftp, Chunking.EightBytes)]
    [InlineData(Session.Tls12Curl, Chunking.Whole)]
    [InlineData(Session.Tls12Curl, Chunking.EightBytes)]
    public void Tls_records_of_the_session_are_all_framed(Session session, Chunking chunking)
    {
        var bench = new TlsRecordBenchmarks { Session = session, Chunking = chunking };
        bench.Setup();

        TlsDecodeResult expected = session switch
        {
            // As tshark counts them: ClientHello, CCS and 15 application data records from the client;
            // ServerHello, CCS and 21 application data records from the server.
            Session.Tls13Lftp => new TlsDecodeResult(Records: 40, ApplicationDataRecords: 36, HandshakeMessages: 2),
            // ClientHello and the unknown_ca alert; ServerHello, Certificate, ServerKeyExchange, ServerHelloDone, a record each.
            _ => new TlsDecodeResult(Records: 6, ApplicationDataRecords: 0, HandshakeMessages: 5),
        };
        Assert.Equal(expected, bench.DecodeRecords());
    }

    [Theory]
    [InlineData(Session.Tls12Curl, 28, 5, 0x0303)]
    [InlineData(Session.Tls13Lftp, 29, 13, 0x0304)]
    public void Client_hello_is_parsed_with_every_suite_and_extension(Session session, int suites, int extensions, int highestVersion)
    {
        var bench = new ClientHelloBenchmarks { Hello = session };
        bench.Setup();

        ClientHelloInfo hello = Assert.IsType<ClientHelloInfo>(bench.Parse());
        Assert.Equal(suites, hello.CipherSuites.Length);
        Assert.Equal(extensions, hello.Extensions.Count);
        Assert.Equal(highestVersion, hello.HighestVersion);
    }

    [Theory]
    [InlineData(Session.PlainLftp, 17, 20)]
    [InlineData(Session.Tls13Lftp, 2, 3)]
    [InlineData(Session.Tls12Curl, 1, 3)]
    public void Analyzer_sees_the_clear_commands_and_replies(Session session, int commands, int replies)
    {
        var bench = new ConnectionAnalyzerBenchmarks { Session = session };
        bench.Setup();

        AnalyzerResult result = bench.AnalyzeConnection();
        Assert.Equal((commands, replies), (result.Commands, result.Replies));
        Assert.True(result.Events > commands + replies, result.ToString());
    }
}
