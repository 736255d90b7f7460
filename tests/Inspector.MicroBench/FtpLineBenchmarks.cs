using BenchmarkDotNet.Attributes;
using Inspector.Core.Analysis;
using Inspector.Core.Ftp;
using Inspector.Core.Model;
using Inspector.MicroBench.Inputs;

namespace Inspector.MicroBench;

/// <summary>What one pass over a control channel's lines found.</summary>
public record struct FtpDecodeResult(int Lines, int Commands, int Replies, int Redacted);

/// <summary>
/// The FTP control-channel decoders on lftp's plain session with ProFTPD (banner, a 17-line FEAT
/// reply, CLNT, HOST, USER, PASS, PASV, LIST, PORT, RETR, QUIT): lines cut by
/// <see cref="FtpLineReader"/>, Telnet-stripped by <see cref="FtpLine"/>, then parsed as
/// commands or assembled into replies, as the analyzer does for each direction.
/// </summary>
[MemoryDiagnoser]
public class FtpLineBenchmarks
{
    private ReadOnlyMemory<byte>[] client = [];
    private ReadOnlyMemory<byte>[] server = [];

    [ParamsAllValues]
    public Chunking Chunking { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        RecordedConnection session = Sessions.Load(Session.PlainLftp);
        client = Chunks.Cut(session.Stream(Direction.ClientToServer), Chunking);
        server = Chunks.Cut(session.Stream(Direction.ServerToClient), Chunking);
    }

    /// <summary>Both directions of one session, with fresh decoders as a new connection gets.</summary>
    [Benchmark]
    public FtpDecodeResult DecodeControlChannel()
    {
        var result = new FtpDecodeResult();
        Decode(client, replies: null, ref result);
        Decode(server, new FtpReplyAssembler(AnalyzerOptions.Default.MaxReplyLines), ref result);
        return result;
    }

    /// <param name="replies">The server's reply assembler; null for the client's direction (commands).</param>
    private static void Decode(ReadOnlyMemory<byte>[] chunks, FtpReplyAssembler? replies, ref FtpDecodeResult result)
    {
        var reader = new FtpLineReader(AnalyzerOptions.Default.MaxLineLength);
        long offset = 0;
        foreach (ReadOnlyMemory<byte> chunk in chunks)
        {
            ReadOnlySpan<byte> data = chunk.Span;
            while (!data.IsEmpty)
            {
                LineStatus status = reader.Feed(data, offset, out int used);
                data = data[used..];
                offset += used;
                if (status == LineStatus.NeedMoreData) continue;
                // A plain session from a real client has no over-long line and no TLS: anything
                // else means the input is not what this benchmark claims to measure.
                if (status != LineStatus.Line) throw new InvalidDataException($"unexpected {status} at offset {reader.LineStart}");
                string text = FtpLine.Parse(reader.Line).Text;
                reader.Clear();
                result.Lines++;
                if (replies is not null)
                {
                    if (replies.Add(text) == ReplyLineResult.Completed) result.Replies++;
                }
                else if (FtpCommand.Parse(text, showPasswords: false) is { } cmd)
                {
                    result.Commands++;
                    if (cmd.Redacted) result.Redacted++;
                }
            }
        }
    }
}
