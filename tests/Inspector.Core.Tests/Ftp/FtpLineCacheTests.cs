using System.Text;
using Inspector.Core.Analysis;
using Inspector.Core.Ftp;
using Inspector.Core.Timeline;

namespace Inspector.Core.Tests.Ftp;

/// <summary>
/// Repeated control-channel lines are parsed once and their events' summary and detail shared
/// (FtpLineCache, FtpEventShapes); a line that may hold a secret is never kept.
/// </summary>
public class FtpLineCacheTests
{
    private static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    [Theory]
    [InlineData("TYPE I\r\n")]
    [InlineData("226 Transfer complete.\r\n")]
    [InlineData("NOOP\n")]
    [InlineData("230 caf\u00c3\u00a9 ok\r\n")] // UTF-8 bytes
    [InlineData("230 caf\u00e9 latin-1\r\n")]
    [InlineData("no terminator")]
    public void A_repeated_line_is_the_same_object_and_parses_as_before(string text)
    {
        byte[] raw = B(text);
        FtpLine first = FtpLine.Parse(raw);
        FtpLine again = FtpLine.Parse(raw.ToArray());
        Assert.Same(first, again);
        FtpLine uncached = FtpLine.ParseUncached(raw);
        Assert.Equal(uncached.Text, first.Text);
        Assert.Equal(uncached.Terminator, first.Terminator);
        Assert.Empty(first.TelnetCommands);
    }

    [Theory]
    [InlineData("PASS hunter2\r\n")]
    [InlineData("pass hunter2\r\n")]
    [InlineData("  PaSs hunter2\r\n")]
    [InlineData("ACCT secret\r\n")]
    [InlineData("ADAT c2VjcmV0\r\n")]
    [InlineData("PASS\r\n")]
    public void A_line_that_may_hold_a_secret_is_never_kept(string text)
    {
        byte[] raw = B(text);
        FtpLine first = FtpLine.Parse(raw);
        Assert.NotSame(first, FtpLine.Parse(raw));
        Assert.Equal(FtpLine.ParseUncached(raw), first with { TelnetCommands = first.TelnetCommands });
        if (FtpEventShapes.Command(first, showPasswords: false) is { } shape)
        {
            Assert.NotSame(shape, FtpEventShapes.Command(first, showPasswords: false));
            Assert.False(shape.Detail.Shared);
            Assert.DoesNotContain("hunter2", shape.Label);
        }
    }

    [Fact]
    public void Long_lines_and_lines_with_telnet_commands_are_not_kept()
    {
        byte[] longLine = B("STOR " + new string('x', FtpLineCache.MaxLineBytes) + "\r\n");
        Assert.NotSame(FtpLine.Parse(longLine), FtpLine.Parse(longLine));
        byte[] telnet = [0xFF, 0xF4, 0xFF, 0xF2, .. B("ABOR\r\n")];
        FtpLine parsed = FtpLine.Parse(telnet);
        Assert.NotSame(parsed, FtpLine.Parse(telnet));
        Assert.Equal(["IAC IP", "IAC DM"], parsed.TelnetCommands);
        CommandShape shape = FtpEventShapes.Command(parsed, showPasswords: false)!;
        Assert.NotSame(shape, FtpEventShapes.Command(parsed, showPasswords: false));
        Assert.Equal(["IAC IP", "IAC DM"], shape.Detail.Child("telnet")!.Children.Select(c => (string)c.Value!));
    }

    [Fact]
    public void The_line_cache_stays_within_its_bound()
    {
        for (int i = 0; i < FtpLineCache.Capacity + 500; i++) FtpLine.Parse(B($"SIZE file{i}\r\n"));
        Assert.True(FtpLineCache.Count <= FtpLineCache.Capacity);
        byte[] late = B("SIZE a-line-after-the-cache-is-full\r\n");
        Assert.Equal("SIZE a-line-after-the-cache-is-full", FtpLine.Parse(late).Text);
    }

    [Fact]
    public void A_command_shape_is_shared_and_says_what_the_command_said()
    {
        FtpLine line = FtpLine.Parse(B("RETR file.bin\r\n"));
        CommandShape shape = FtpEventShapes.Command(line, showPasswords: false)!;
        Assert.Same(shape, FtpEventShapes.Command(line, showPasswords: false));
        Assert.Equal("RETR file.bin", shape.Label);
        Assert.Equal(new FtpCommand("RETR", "file.bin", true, false), shape.Command);
        Assert.True(shape.Detail.Shared);
        Assert.Equal("{\"verb\":\"RETR\",\"argument\":\"file.bin\",\"known\":true}", Kit.Text.Json(shape.Detail));
        Assert.Null(FtpEventShapes.Command(FtpLine.Parse(B("123 not a verb\r\n")), showPasswords: false));
    }

    [Fact]
    public void A_shown_password_is_a_label_only_when_asked_for_and_never_kept()
    {
        FtpLine line = FtpLine.Parse(B("PASS hunter2\r\n"));
        CommandShape hidden = FtpEventShapes.Command(line, showPasswords: false)!;
        Assert.Equal("PASS", hidden.Label);
        Assert.Equal(FtpCommand.RedactedText, hidden.Command.Argument);
        CommandShape shown = FtpEventShapes.Command(line, showPasswords: true)!;
        Assert.Equal("PASS hunter2", shown.Label);
        Assert.NotSame(shown, FtpEventShapes.Command(line, showPasswords: true));
    }

    [Fact]
    public void A_single_line_reply_shape_is_shared_per_command_and_greeting_and_a_multiline_one_is_not()
    {
        var reply = new FtpReply(226, ["226 Transfer complete."], Multiline: false, Truncated: false);
        (string summary, DetailNode detail) = FtpEventShapes.Reply(reply, greeting: false, "RETR f", note: null);
        Assert.Equal("226 Transfer complete.  [reply to RETR f]", summary);
        Assert.Equal("{\"code\":226,\"lines\":[\"226 Transfer complete.\"],\"command\":\"RETR f\"}", Kit.Text.Json(detail));
        Assert.True(detail.Shared);
        var same = FtpEventShapes.Reply(reply with { }, greeting: false, "RETR f", note: null);
        Assert.Same(summary, same.Summary);
        Assert.Same(detail, same.Detail);
        Assert.Equal("226 Transfer complete.  [reply to STOR f]", FtpEventShapes.Reply(reply, false, "STOR f", null).Summary);
        Assert.Equal("226 Transfer complete.  [greeting]", FtpEventShapes.Reply(reply, true, null, null).Summary);
        Assert.Equal("226 Transfer complete.  [reply to RETR f]  [late]", FtpEventShapes.Reply(reply, false, "RETR f", "late").Summary);

        var multi = new FtpReply(211, ["211-Features:", " UTF8", "211 End"], Multiline: true, Truncated: false);
        var m1 = FtpEventShapes.Reply(multi, false, "FEAT", null);
        Assert.Equal("211 Features: (+2 lines)  [reply to FEAT]", m1.Summary);
        Assert.False(m1.Detail.Shared);
        Assert.NotSame(m1.Detail, FtpEventShapes.Reply(multi, false, "FEAT", null).Detail);
        var truncated = FtpEventShapes.Reply(new FtpReply(550, ["550 x"], Multiline: false, Truncated: true), false, null, null);
        Assert.Contains("\"truncated\":true", Kit.Text.Json(truncated.Detail));
        Assert.False(truncated.Detail.Shared);
    }
}
