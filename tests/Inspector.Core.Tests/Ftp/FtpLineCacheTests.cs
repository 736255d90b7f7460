using System.Text;
using Inspector.Core.Analysis;
using Inspector.Core.Ftp;
using Inspector.Core.Timeline;

namespace Inspector.Core.Tests.Ftp;

/// <summary>
/// Repeated control-channel lines are parsed once and their events' summary and detail shared
/// (FtpLineCache, FtpEventShapes); a line that may hold a secret is never kept, nor a long one.
/// Each test has caches of its own: the shared ones belong to every analysis in the process.
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
        var cache = new FtpLineCache();
        byte[] raw = B(text);
        FtpLine first = cache.Parse(raw);
        Assert.Same(first, cache.Parse(raw.ToArray()));
        FtpLine uncached = FtpLine.ParseUncached(raw);
        Assert.Equal(uncached.Text, first.Text);
        Assert.Equal(uncached.Terminator, first.Terminator);
        Assert.Empty(first.TelnetCommands);
        Assert.Equal(uncached.Text, FtpLine.Parse(raw).Text); // the shared one
    }

    [Theory]
    [InlineData("PASS hunter2\r\n")]
    [InlineData("pass hunter2\r\n")]
    [InlineData("  PaSs hunter2\r\n")]
    [InlineData("\tPASS hunter2\r\n")]
    [InlineData("ACCT secret\r\n")]
    [InlineData("ADAT c2VjcmV0\r\n")]
    [InlineData("PASS\r\n")]
    [InlineData("335 ADAT=c2VjcmV0\r\n")]
    [InlineData("500 'PASS hunter2': command not understood\r\n")]
    public void A_line_that_may_hold_a_secret_is_never_kept(string text)
    {
        var cache = new FtpLineCache();
        var shapes = new FtpEventShapes();
        byte[] raw = B(text);
        FtpLine first = cache.Parse(raw);
        Assert.NotSame(first, cache.Parse(raw));
        Assert.Equal(0, cache.Count);
        Assert.Equal(FtpLine.ParseUncached(raw).Text, first.Text);
        foreach (bool show in new[] { false, true })
        {
            if (shapes.Command(first, show) is { } shape)
            {
                Assert.NotSame(shape, shapes.Command(first, show));
                Assert.False(shape.Detail.Shared);
            }
        }
        Assert.Equal(0, shapes.Count);
    }

    [Theory]
    [InlineData("ACCT topsecret", "230 ok")]
    [InlineData("ADAT dG9rZW4=", "235 ADAT=c2VydmVy")]
    [InlineData("PASS hunter2", "230 Login successful.")] // as labelled when passwords are shown
    [InlineData("USER bob", "335 ADAT=c2VydmVy")]
    public void A_reply_to_a_secret_or_holding_one_is_never_kept(string label, string line)
    {
        var shapes = new FtpEventShapes();
        var reply = new FtpReply(int.Parse(line[..3]), [line], Multiline: false, Truncated: false);
        var first = shapes.Reply(reply, greeting: false, label, note: null);
        var again = shapes.Reply(reply, greeting: false, label, note: null);
        Assert.NotSame(first.Detail, again.Detail);
        Assert.False(first.Detail.Shared);
        Assert.Equal(0, shapes.Count);
        Assert.Equal(first.Summary, again.Summary);
    }

    [Fact]
    public void Long_lines_and_lines_with_telnet_commands_are_not_kept()
    {
        var cache = new FtpLineCache();
        var shapes = new FtpEventShapes();
        byte[] longLine = B("STOR " + new string('x', FtpLineCache.MaxLineBytes) + "\r\n");
        FtpLine parsedLong = cache.Parse(longLine);
        Assert.NotSame(parsedLong, cache.Parse(longLine));
        Assert.NotSame(shapes.Command(parsedLong, false), shapes.Command(parsedLong, false));
        var longReply = new FtpReply(250, ["250 " + new string('y', 4000)], false, false);
        Assert.NotSame(shapes.Reply(longReply, false, "CWD y", null).Detail, shapes.Reply(longReply, false, "CWD y", null).Detail);
        var longLabel = new FtpReply(250, ["250 ok"], false, false);
        string label = "CWD " + new string('z', 4000);
        Assert.NotSame(shapes.Reply(longLabel, false, label, null).Detail, shapes.Reply(longLabel, false, label, null).Detail);
        Assert.Equal(0, shapes.Count);

        byte[] telnet = [0xFF, 0xF4, 0xFF, 0xF2, .. B("ABOR\r\n")];
        FtpLine parsed = cache.Parse(telnet);
        Assert.NotSame(parsed, cache.Parse(telnet));
        Assert.Equal(["IAC IP", "IAC DM"], parsed.TelnetCommands);
        CommandShape shape = shapes.Command(parsed, showPasswords: false)!;
        Assert.NotSame(shape, shapes.Command(parsed, showPasswords: false));
        Assert.Equal(["IAC IP", "IAC DM"], shape.Detail.Child("telnet")!.Children.Select(c => (string)c.Value!));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void A_full_line_cache_starts_again_and_keeps_working()
    {
        var cache = new FtpLineCache();
        for (int i = 0; i < FtpLineCache.Capacity + 500; i++) cache.Parse(B($"SIZE file{i}\r\n"));
        Assert.InRange(cache.Count, 1, FtpLineCache.Capacity);
        byte[] late = B("SIZE a-line-after-the-cache-filled\r\n");
        FtpLine first = cache.Parse(late);
        Assert.Equal("SIZE a-line-after-the-cache-filled", first.Text);
        Assert.Same(first, cache.Parse(late)); // not shut out by the one-off lines before it
    }

    [Fact]
    public void Full_shape_caches_start_again_and_keep_working()
    {
        var shapes = new FtpEventShapes();
        var cache = new FtpLineCache();
        for (int i = 0; i < FtpEventShapes.Capacity + 500; i++) shapes.Command(cache.Parse(B($"SIZE file{i}\r\n")), false);
        Assert.InRange(shapes.Count, 1, FtpEventShapes.Capacity);
        FtpLine line = cache.Parse(B("RETR late.bin\r\n"));
        Assert.Same(shapes.Command(line, false), shapes.Command(line, false));
    }

    [Fact]
    public void A_command_shape_is_shared_and_says_what_the_command_said()
    {
        var shapes = new FtpEventShapes();
        FtpLine line = FtpLine.ParseUncached(B("RETR file.bin\r\n"));
        CommandShape shape = shapes.Command(line, showPasswords: false)!;
        Assert.Same(shape, shapes.Command(line, showPasswords: false));
        Assert.Equal("RETR file.bin", shape.Label);
        Assert.Same(shape.Summary, shapes.Command(line, showPasswords: false)!.Summary); // so JSON can keep its line's end
        Assert.Equal("RETR file.bin", shape.Summary);
        Assert.Equal(new FtpCommand("RETR", "file.bin", true, false), shape.Command);
        Assert.True(shape.Detail.Shared);
        Assert.Equal("{\"verb\":\"RETR\",\"argument\":\"file.bin\",\"known\":true}", Kit.Text.Json(shape.Detail));
        Assert.Null(shapes.Command(FtpLine.ParseUncached(B("123 not a verb\r\n")), showPasswords: false));
    }

    [Fact]
    public void A_password_is_redacted_or_shown_as_asked_and_never_kept()
    {
        var shapes = new FtpEventShapes();
        FtpLine line = FtpLine.ParseUncached(B("PASS hunter2\r\n"));
        CommandShape hidden = shapes.Command(line, showPasswords: false)!;
        Assert.Equal("PASS", hidden.Label);
        Assert.Equal("PASS " + FtpCommand.RedactedText, hidden.Summary);
        Assert.Equal(FtpCommand.RedactedText, hidden.Command.Argument);
        CommandShape shown = shapes.Command(line, showPasswords: true)!;
        Assert.Equal("PASS hunter2", shown.Label);
        Assert.Equal(0, shapes.Count);
    }

    [Fact]
    public void A_single_line_reply_shape_is_shared_per_command_and_greeting_and_a_multiline_one_is_not()
    {
        var shapes = new FtpEventShapes();
        var reply = new FtpReply(226, ["226 Transfer complete."], Multiline: false, Truncated: false);
        (string summary, DetailNode detail) = shapes.Reply(reply, greeting: false, "RETR f", note: null);
        Assert.Equal("226 Transfer complete.  [reply to RETR f]", summary);
        Assert.Equal("{\"code\":226,\"lines\":[\"226 Transfer complete.\"],\"command\":\"RETR f\"}", Kit.Text.Json(detail));
        Assert.True(detail.Shared);
        var same = shapes.Reply(reply with { }, greeting: false, "RETR f", note: null);
        Assert.Same(summary, same.Summary);
        Assert.Same(detail, same.Detail);
        Assert.Equal("226 Transfer complete.  [reply to STOR f]", shapes.Reply(reply, false, "STOR f", null).Summary);
        Assert.Equal("226 Transfer complete.  [greeting]", shapes.Reply(reply, true, null, null).Summary);
        Assert.Equal("226 Transfer complete.  [reply to RETR f]  [late]", shapes.Reply(reply, false, "RETR f", "late").Summary);

        var multi = new FtpReply(211, ["211-Features:", " UTF8", "211 End"], Multiline: true, Truncated: false);
        var m1 = shapes.Reply(multi, false, "FEAT", null);
        Assert.Equal("211 Features: (+2 lines)  [reply to FEAT]", m1.Summary);
        Assert.False(m1.Detail.Shared);
        Assert.NotSame(m1.Detail, shapes.Reply(multi, false, "FEAT", null).Detail);
        var truncated = shapes.Reply(new FtpReply(550, ["550 x"], Multiline: false, Truncated: true), false, null, null);
        Assert.Contains("\"truncated\":true", Kit.Text.Json(truncated.Detail));
        Assert.False(truncated.Detail.Shared);
    }
}
