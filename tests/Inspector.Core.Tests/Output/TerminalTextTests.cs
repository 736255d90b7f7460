using Inspector.Core.Analysis;
using Inspector.Core.Output;
using Inspector.Core.Tests.Kit;
using Inspector.Core.Timeline;

namespace Inspector.Core.Tests.Output;

public class TerminalTextTests
{
    [Theory]
    [InlineData("\u001b[31mred", "\\x1b[31mred")]
    [InlineData("\u001b]0;title\u0007", "\\x1b]0;title\\x07")]
    [InlineData("a\u009bb", "a\\x9bb")]
    [InlineData("x\u202Ey", "x\\u{202e}y")]
    [InlineData("x\u2066y\u2069", "x\\u{2066}y\\u{2069}")]
    [InlineData("line\r\nnext", "line\\r\\nnext")]
    [InlineData("plain text", "plain text")]
    [InlineData("caf\u00e9", "caf\u00e9")]
    public void Control_and_bidi_characters_are_made_visible(string input, string expected)
    {
        Assert.Equal(expected, TerminalText.Escape(input));
    }

    [Fact]
    public void Hostile_reply_text_reaches_neither_text_nor_json_output_raw()
    {
        string hostile = "220 \u001b[2J\u001b]52;c;ZXZpbA==\u0007\u202Egnp.exe\r\n";
        AnalyzerRun run = AnalyzerRun.Of(Script.Info, new Script().Open().Server(hostile).Events);

        var text = new StringWriter();
        var textWriter = new TextSessionWriter(text, OutputFilter.All, color: false, grouped: false, verbose: true);
        var session = new Sessions.SessionInfo(1, Script.Info.Client, Script.Info.Server, default, false, false);
        var json = new JsonLinesFormatter(includeBytes: true);
        foreach (AnalysisOutput o in run.Outputs)
        {
            textWriter.Output(session, o);
            foreach (string line in new[] { text.ToString(), json.Format(1, o) })
            {
                Assert.DoesNotContain('\u001b', line);
                Assert.DoesNotContain('\u0007', line);
                Assert.DoesNotContain('\u202E', line);
            }
        }
        Assert.Contains(run.Events, e => e.Kind == EventKinds.FtpReply && e.Summary.Contains('\u001b'));
    }
}
