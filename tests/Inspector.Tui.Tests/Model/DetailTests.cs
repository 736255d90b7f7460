using System.Text;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Tui.Model;
using Inspector.Tui.Tests.Kit;

namespace Inspector.Tui.Tests.Model;

public sealed class DetailTests
{
    [Fact(Timeout = 10_000)]
    public async Task Hex_dump_shows_offsets_hex_and_printable_ascii_with_the_range_highlighted()
    {
        await Task.Yield();
        byte[] bytes = Encoding.Latin1.GetBytes("550 TLS handshake failed\r\n\u0001\u00ff");
        var lines = HexDump.Lines(bytes, 95, [(0, 5, DetailStyle.ErrorEvidence)]).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal("    95  35 35 30 20 54 4c 53 20  68 61 6e 64 73 68 61 6b  |550 TLS handshak|", lines[0].Text);
        Assert.Equal("   111  65 20 66 61 69 6c 65 64  0d 0a 01 ff              |e failed....|", lines[1].Text);
        // The five evidence bytes are one highlighted run on the hex side and one on the ASCII side; nothing else is.
        Assert.Equal(["35 35 30 20 54", "550 T"], lines[0].Spans.Where(s => s.Style == DetailStyle.ErrorEvidence).Select(s => s.Text));
        Assert.DoesNotContain(lines[1].Spans, s => s.Style == DetailStyle.ErrorEvidence);
    }

    [Fact(Timeout = 10_000)]
    public async Task Wrapping_breaks_at_spaces_keeps_styles_and_indents_continuations()
    {
        await Task.Yield();
        var line = new DetailLine([new DetailSpan("name: ", DetailStyle.Label), new DetailSpan("alpha beta gamma delta epsilon", DetailStyle.Normal)], Wrap: true, Indent: 4);
        List<DetailLine> wrapped = DetailWrap.Lines([line, DetailLine.Of("0123456789012345678901234567890")], 20);
        Assert.Equal(["name: alpha beta", "    gamma delta", "    epsilon", "0123456789012345678901234567890"], wrapped.Select(l => l.Text));
        Assert.Equal(DetailStyle.Label, wrapped[0].Spans[0].Style);
        Assert.All(wrapped[1].Spans.Skip(1), s => Assert.Equal(DetailStyle.Normal, s.Style));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_finding_shows_its_explanation_and_its_evidence_inside_the_event_it_is_about()
    {
        await Task.Yield();
        var store = new SessionStore();
        var info = Stores.Session(1);
        store.Output(info, Stores.Event(1, "220 hi", Direction.ServerToClient, 0, "220 hi\r\n"));
        store.Output(info, Stores.Event(2, "550 no", Direction.ServerToClient, 8, "550 no\r\n"));
        store.Output(info, Stores.Finding(3, "ftps.plaintext_after_auth", Severity.Error, Direction.ServerToClient, 8, "550 no\r\n"));
        var list = new SessionList(store);
        list.Refresh();
        SessionRecord s = list[0];

        DetailDocument finding = DetailBuilder.Build(s, 2, s.RowCount);
        Assert.Contains("Explanation of ftps.plaintext_after_auth.", finding.Text);
        Assert.Contains("highlighted in row 2", finding.Text);
        Assert.Contains(finding.Lines, l => l.Spans.Any(sp => sp.Style == DetailStyle.ErrorEvidence && sp.Text.StartsWith("35 35 30", StringComparison.Ordinal)));

        // The event the finding is about lists it, and highlights the same bytes; the other event does not.
        DetailDocument reply = DetailBuilder.Build(s, 1, s.RowCount);
        Assert.Contains("ERROR ftps.plaintext_after_auth", reply.Text);
        Assert.Contains(reply.Lines, l => l.Spans.Any(sp => sp.Style == DetailStyle.ErrorEvidence));
        DetailDocument greeting = DetailBuilder.Build(s, 0, s.RowCount);
        Assert.DoesNotContain("ftps.plaintext_after_auth", greeting.Text);
        Assert.DoesNotContain(greeting.Lines, l => l.Spans.Any(sp => sp.Style == DetailStyle.ErrorEvidence));
    }

    [Theory(Timeout = 10_000)]
    [InlineData(0, "0")]
    [InlineData(9_999, "9999")]
    [InlineData(10_240, "10.0K")]
    [InlineData(5L * 1024 * 1024, "5.0M")]
    [InlineData(300L * 1024 * 1024 * 1024, "300G")]
    public async Task Byte_counts_fit_a_narrow_column(long n, string expected)
    {
        await Task.Yield();
        Assert.Equal(expected, RowText.Bytes(n));
    }
}
