using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Inspector.Core.Analysis;
using Inspector.Core.Model;
using Inspector.Core.Sessions;

namespace Inspector.Core.Output;

/// <summary>
/// JSON Lines: a "session" object, then the session's events and findings, then a
/// "session_end" object. With <c>grouped</c> a session's lines are written together when it
/// ends, so the "session" line can carry the final protocol (capture files); without it they
/// stream as they happen (live). Field names are a public contract.
/// </summary>
public sealed class JsonSessionWriter(TextWriter writer, OutputFilter filter, bool grouped, bool includeBytes = false) : ISessionSink
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.Default };
    private readonly JsonLinesFormatter formatter = new(includeBytes);
    private readonly Dictionary<long, HeldLines> blocks = [];
    private readonly HeldChunks chunks = new();
    private readonly Utf8LineWriter lines = new(writer);
    // One buffer and JSON writer for every session line, reset for each.
    private readonly ArrayBufferWriter<byte> lineBuffer = new(512);
    private Utf8JsonWriter? lineJson;

    /// <summary>Lines one session may hold back in grouped mode before it is written as it goes.</summary>
    public const int MaxBufferedLines = TextSessionWriter.MaxBufferedLines;

    public void SessionStarted(SessionInfo session)
    {
        if (!filter.Includes(session)) return;
        if (grouped) blocks[session.Id] = new HeldLines(chunks);
        else WriteSessionLine(session, null);
    }

    public void Output(SessionInfo session, AnalysisOutput output)
    {
        if (!filter.Includes(session) || !filter.Includes(output)) return;
        if (grouped && blocks.TryGetValue(session.Id, out HeldLines? block))
        {
            formatter.FormatInto(block, session.Id, output);
            block.EndLine();
            if (block.Count >= MaxBufferedLines)
            {
                // Too long to hold back: the session line goes out now (its final protocol and
                // outcome follow in session_end) and the rest streams.
                blocks.Remove(session.Id);
                WriteSessionLine(session, null);
                block.WriteTo(lines);
            }
        }
        else
        {
            lines.WriteLine(formatter.FormatUtf8(session.Id, output).Span);
        }
    }

    public void SessionEnded(SessionInfo session, SessionSummary summary)
    {
        if (!filter.Includes(session)) return;
        if (grouped && blocks.Remove(session.Id, out HeldLines? block))
        {
            WriteSessionLine(session, summary);
            block.WriteTo(lines);
        }
        Utf8JsonWriter w = StartLine();
        w.WriteString("type"u8, "session_end"u8);
        w.WriteNumber("session"u8, session.Id);
        JsonLinesFormatter.WriteTime(w, "end"u8, summary.End);
        w.WriteString("protocol"u8, summary.Protocol);
        WriteDataLink(w, session);
        WriteSummary(w, summary);
        EndLine();
    }

    private Utf8JsonWriter StartLine()
    {
        lineBuffer.ResetWrittenCount();
        if (lineJson is null) lineJson = new Utf8JsonWriter(lineBuffer, Options);
        else lineJson.Reset(lineBuffer);
        lineJson.WriteStartObject();
        return lineJson;
    }

    private void EndLine()
    {
        lineJson!.WriteEndObject();
        lineJson.Flush();
        lines.WriteLine(lineBuffer.WrittenSpan);
    }

    /// <summary>Writes one JSON object built by <paramref name="build"/> as a line.</summary>
    public static string Line(Action<Utf8JsonWriter> build)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            build(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void WriteSessionLine(SessionInfo s, SessionSummary? summary)
    {
        Utf8JsonWriter w = StartLine();
        w.WriteString("type"u8, "session"u8);
        w.WriteNumber("session"u8, s.Id);
        w.WriteString("client"u8, ConnectionInfo.Format(s.Client));
        w.WriteString("server"u8, ConnectionInfo.Format(s.Server));
        JsonLinesFormatter.WriteTime(w, "start"u8, s.Start);
        w.WriteString("protocol"u8, summary?.Protocol ?? (s.IsData ? "ftp-data" : "unknown"));
        w.WriteBoolean("midstream"u8, s.Midstream);
        WriteDataLink(w, s);
        if (summary is not null) WriteSummary(w, summary);
        EndLine();
    }

    /// <summary>A data connection names its control session ("parent") and how the link was made.</summary>
    private static void WriteDataLink(Utf8JsonWriter w, SessionInfo s)
    {
        if (s.Data is not { } link) return;
        w.WriteNumber("parent"u8, link.ParentId);
        w.WriteBoolean("inferred"u8, link.Inferred);
        w.WriteString("mode"u8, link.ServerConnected ? "active" : "passive");
    }

    private static void WriteSummary(Utf8JsonWriter w, SessionSummary s)
    {
        if (s.Command is not null)
        {
            w.WriteString("command"u8, s.Command);
            if (s.Argument is not null) w.WriteString("argument"u8, s.Argument);
        }
        w.WriteString("state"u8, s.State);
        w.WriteString("outcome"u8, s.Outcome);
        w.WriteNumber("client_bytes"u8, s.ClientBytes);
        w.WriteNumber("server_bytes"u8, s.ServerBytes);
        w.WriteNumber("errors"u8, s.Errors);
        w.WriteNumber("warnings"u8, s.Warnings);
        w.WriteNumber("infos"u8, s.Infos);
    }
}
