using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Inspector.Core.Ftp;
using Inspector.Core.Timeline;

namespace Inspector.Core.Analysis;

/// <summary>A command line's parse, its label ("RETR file.bin") and its event detail, shared by every event of the same line.</summary>
internal sealed record CommandShape(FtpCommand Command, string Label, DetailNode Detail);

/// <summary>
/// The parts of FTP command and reply events that depend only on the line (and, for a reply, on
/// the command it answers): built once per distinct line and shared, as encrypted records' details
/// are, since a busy server repeats the same few dozen lines (issue #8: 800 bytes allocated per
/// line before). The JSON writer then keeps their JSON too (<see cref="DetailNode.Shared"/>).
/// Lines that may hold a secret (<see cref="FtpCommand.SecretVerbs"/>) and lines with Telnet
/// commands are built each time and kept nowhere; multi-line replies are built each time.
/// Bounded: once full, events are built as before. Concurrent: the proxy's sessions share them.
/// </summary>
internal static class FtpEventShapes
{
    public const int Capacity = 4096;

    private static readonly ConcurrentDictionary<string, CommandShape> Redacting = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, CommandShape> Showing = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<ReplyKey, (string Summary, DetailNode Detail)> Replies = new();

    /// <summary>What a reply event's summary and detail depend on.</summary>
    private readonly record struct ReplyKey(string Line, bool Greeting, string? Command, string? Note);

    /// <summary>The command on this line, or null when the line is not a command (RFC 959 §5.3).</summary>
    public static CommandShape? Command(FtpLine line, bool showPasswords)
    {
        ConcurrentDictionary<string, CommandShape> shapes = showPasswords ? Showing : Redacting;
        bool keepable = line.TelnetCommands.Count == 0;
        if (keepable && shapes.TryGetValue(line.Text, out CommandShape? known)) return known;
        if (FtpCommand.Parse(line.Text, showPasswords) is not { } cmd) return null;
        string label = cmd.Verb == "PASS" && cmd.Redacted ? "PASS" : cmd.ToString();
        var detail = DetailNode.Object("ftp");
        detail.Add("verb", cmd.Verb);
        if (cmd.Argument is not null) detail.Add("argument", cmd.Argument);
        detail.Add("known", cmd.Known);
        if (cmd.Redacted) detail.Add("redacted", true);
        if (line.TelnetCommands.Count > 0) detail.AddStrings("telnet", line.TelnetCommands);
        keepable &= !FtpCommand.SecretVerbs.Contains(cmd.Verb);
        var shape = new CommandShape(cmd, label, keepable ? detail.MarkShared() : detail);
        if (keepable && shapes.Count < Capacity) shapes.TryAdd(line.Text, shape);
        return shape;
    }

    /// <summary>A reply event's summary and detail: "220 text  [greeting]", "226 text  [reply to RETR f]".</summary>
    public static (string Summary, DetailNode Detail) Reply(FtpReply reply, bool greeting, string? command, string? note)
    {
        bool keepable = reply is { Multiline: false, Truncated: false, Lines.Count: 1 };
        var key = new ReplyKey(keepable ? reply.Lines[0] : "", greeting, command, note);
        if (keepable && Replies.TryGetValue(key, out var known)) return known;
        (string Summary, DetailNode Detail) built = (Summary(reply, greeting, command, note), Detail(reply, command));
        if (keepable)
        {
            built.Detail.MarkShared();
            if (Replies.Count < Capacity) Replies.TryAdd(key, built);
        }
        return built;
    }

    private static string Summary(FtpReply reply, bool greeting, string? command, string? note)
    {
        // Built in a pooled buffer: a StringBuilder per reply was a tenth of the FTP path's allocations.
        var sb = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture);
        sb.AppendFormatted(reply.Code);
        sb.AppendLiteral(" ");
        sb.AppendFormatted(reply.FirstText);
        if (reply.Lines.Count > 1)
        {
            sb.AppendLiteral(" (+");
            sb.AppendFormatted(reply.Lines.Count - 1);
            sb.AppendLiteral(" lines)");
        }
        if (greeting)
        {
            sb.AppendLiteral("  [greeting]");
        }
        else if (command is not null)
        {
            sb.AppendLiteral("  [reply to ");
            sb.AppendFormatted(command);
            sb.AppendLiteral("]");
        }
        if (note is not null)
        {
            sb.AppendLiteral("  [");
            sb.AppendFormatted(note);
            sb.AppendLiteral("]");
        }
        return sb.ToStringAndClear();
    }

    private static DetailNode Detail(FtpReply reply, string? command)
    {
        var detail = DetailNode.Object("ftp");
        detail.Add("code", reply.Code);
        detail.AddStrings("lines", reply.Lines);
        if (command is not null) detail.Add("command", command);
        if (reply.Truncated) detail.Add("truncated", true);
        return detail;
    }
}
