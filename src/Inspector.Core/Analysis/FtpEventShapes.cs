using System.Globalization;
using System.Runtime.CompilerServices;
using Inspector.Core.Ftp;
using Inspector.Core.Timeline;

namespace Inspector.Core.Analysis;

/// <summary>
/// A command line's parse, its label ("RETR file.bin", "PASS" when redacted), its event summary
/// (the command as shown) and its event detail, shared by every event of the same line.
/// </summary>
internal sealed record CommandShape(FtpCommand Command, string Label, string Summary, DetailNode Detail);

/// <summary>
/// The parts of FTP command and reply events that depend only on the line (and, for a reply, on
/// the command it answers): built once per distinct line and shared, as encrypted records' details
/// are, since a busy server repeats the same few dozen lines (issue #8: 800 bytes allocated per
/// line before). The JSON writer then keeps their JSON too (<see cref="DetailNode.Shared"/>).
/// Kept only for short lines (<see cref="FtpLineCache.MaxLineBytes"/> characters, commands,
/// labels and notes alike), and never for a line, command or reply that may hold a secret
/// (<see cref="FtpLineCache.MayHoldSecret(string)"/>), a line with Telnet commands or a multi-line
/// reply: those are built each time and kept nowhere. Each cache starts again empty when full, so
/// one-off lines cannot shut out the ones that repeat. Concurrent: the proxy's sessions share <see cref="Shared"/>.
/// </summary>
internal sealed class FtpEventShapes
{
    public const int Capacity = 4096;

    /// <summary>The one every analyzer uses.</summary>
    public static FtpEventShapes Shared { get; } = new();

    private readonly BoundedCache<string, CommandShape> redacting = new(Capacity, StringComparer.Ordinal);
    private readonly BoundedCache<string, CommandShape> showing = new(Capacity, StringComparer.Ordinal);
    private readonly BoundedCache<ReplyKey, (string Summary, DetailNode Detail)> replies = new(Capacity);

    /// <summary>What a reply event's summary and detail depend on.</summary>
    private readonly record struct ReplyKey(string Line, bool Greeting, string? Command, string? Note);

    private static bool Short(string? text) => text is null || text.Length <= FtpLineCache.MaxLineBytes;

    /// <summary>The command on this line, or null when the line is not a command (RFC 959 §5.3).</summary>
    public CommandShape? Command(FtpLine line, bool showPasswords)
    {
        BoundedCache<string, CommandShape> shapes = showPasswords ? showing : redacting;
        if (shapes.TryGet(line.Text, out CommandShape? known)) return known;
        if (FtpCommand.Parse(line.Text, showPasswords) is not { } cmd) return null;
        string label = cmd.Verb == "PASS" && cmd.Redacted ? "PASS" : cmd.ToString();
        var detail = DetailNode.Object("ftp");
        detail.Add("verb", cmd.Verb);
        if (cmd.Argument is not null) detail.Add("argument", cmd.Argument);
        detail.Add("known", cmd.Known);
        if (cmd.Redacted) detail.Add("redacted", true);
        if (line.TelnetCommands.Count > 0) detail.AddStrings("telnet", line.TelnetCommands);
        bool keepable = line.TelnetCommands.Count == 0 && Short(line.Text) && !FtpLineCache.MayHoldSecret(line.Text);
        // The summary is the command as shown, which for a kept shape is its label too.
        var shape = new CommandShape(cmd, label, keepable ? label : cmd.ToString(), keepable ? detail.MarkShared() : detail);
        if (keepable) shapes.Add(line.Text, shape);
        return shape;
    }

    /// <summary>A reply event's summary and detail: "220 text  [greeting]", "226 text  [reply to RETR f]".</summary>
    public (string Summary, DetailNode Detail) Reply(FtpReply reply, bool greeting, string? command, string? note)
    {
        bool single = reply is { Multiline: false, Truncated: false, Lines.Count: 1 };
        var key = new ReplyKey(single ? reply.Lines[0] : "", greeting, command, note);
        if (single && replies.TryGet(key, out var known)) return known;
        (string Summary, DetailNode Detail) built = (Summary(reply, greeting, command, note), Detail(reply, command));
        if (single && Short(key.Line) && Short(command) && Short(note)
            && !FtpLineCache.MayHoldSecret(key.Line) && !FtpLineCache.MayHoldSecret(command) && !FtpLineCache.MayHoldSecret(note))
        {
            built.Detail.MarkShared();
            replies.Add(key, built);
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

    /// <summary>Entries held now, all caches together (tests).</summary>
    public int Count => redacting.Count + showing.Count + replies.Count;
}
