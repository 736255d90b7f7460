using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Streams;
using Inspector.Core.Tests.Kit;
using Inspector.Core.Timeline;

namespace Inspector.Core.Tests.Ftp;

public class FtpControlTests
{
    private static AnalyzerRun Run(Script s, AnalyzerOptions? options = null) => AnalyzerRun.Consistent(Script.Info, s.Events, options);

    private static List<string> Summaries(AnalyzerRun run, string kind) =>
        run.Events.Where(e => e.Kind == kind).Select(e => e.Summary).ToList();

    [Fact]
    public void Commands_and_replies_pair_in_order_with_known_and_unknown_verbs()
    {
        AnalyzerRun run = Run(new Script().Open()
            .Server("220 Welcome\r\n")
            .Client("user anonymous\r\n")
            .Server("331 Send password\r\n")
            .Client("XFOO bar baz\r\n")
            .Server("500 Unknown command\r\n")
            .Client("QUIT\r\n")
            .Server("221 Bye\r\n"));

        Assert.Equal(["USER anonymous", "XFOO bar baz", "QUIT"], Summaries(run, EventKinds.FtpCommand));
        Assert.Equal(
            ["220 Welcome  [greeting]", "331 Send password  [reply to USER anonymous]", "500 Unknown command  [reply to XFOO bar baz]", "221 Bye  [reply to QUIT]"],
            Summaries(run, EventKinds.FtpReply));
        TimelineEvent unknown = run.Events.Single(e => e.Summary.StartsWith("XFOO"));
        Assert.Equal(false, unknown.Detail!.Get("known"));
        Assert.Empty(run.Findings);
    }

    [Fact]
    public void Pipelined_commands_pair_with_replies_in_order_and_preliminary_replies_do_not_consume()
    {
        AnalyzerRun run = Run(new Script().Open()
            .Server("220 ready\r\n")
            .Client("TYPE I\r\nPASV\r\nRETR f.bin\r\n")
            .Server("200 Type set\r\n227 Entering Passive Mode (127,0,0,1,156,65).\r\n")
            .Server("150 Opening BINARY mode data connection\r\n")
            .Server("226 Transfer complete\r\n"));

        Assert.Equal(
            ["220 ready  [greeting]", "200 Type set  [reply to TYPE I]", "227 Entering Passive Mode (127,0,0,1,156,65).  [reply to PASV]",
             "150 Opening BINARY mode data connection  [reply to RETR f.bin]", "226 Transfer complete  [reply to RETR f.bin]"],
            Summaries(run, EventKinds.FtpReply));
        ExpectedDataConnection data = Assert.Single(run.Outputs.OfType<ExpectedDataConnection>());
        Assert.Equal("127.0.0.1:40001", ConnectionInfo.Format(data.Endpoint));
        Assert.Equal(Side.Server, data.Listener);
        Assert.Equal("PASV", data.Via);
    }

    [Fact]
    public void Multiline_reply_ends_only_at_same_code_and_space()
    {
        AnalyzerRun run = Run(new Script().Open()
            .Server("220 hi\r\n")
            .Client("FEAT\r\n")
            .Server("211-Features:\r\n AUTH TLS\r\n PBSZ\r\n211-not the end\r\n200 not the end either\r\n MDTM\r\n211 End\r\n"));

        TimelineEvent feat = run.Events.Single(e => e.Kind == EventKinds.FtpReply && e.Summary.StartsWith("211"));
        Assert.Equal("211 Features: (+6 lines)  [reply to FEAT]", feat.Summary);
        Assert.Equal(7, ((IReadOnlyList<Timeline.DetailNode>)feat.Detail!.Child("lines")!.Children).Count);
        Assert.Equal("211-Features:\r\n AUTH TLS\r\n PBSZ\r\n211-not the end\r\n200 not the end either\r\n MDTM\r\n211 End\r\n".Length, feat.Length);
        Assert.Empty(run.Findings);
    }

    [Fact]
    public void Pass_argument_is_redacted_in_summary_detail_and_bytes_unless_asked()
    {
        Script script = new Script().Open().Server("220 hi\r\n").Client("USER bob\r\n").Server("331 pw\r\n")
            .Client("PASS s3cret-Pa55\r\n").Server("230 ok\r\n");

        AnalyzerRun run = Run(script);
        TimelineEvent pass = run.Events.Single(e => e.Summary.StartsWith("PASS"));
        Assert.Equal("PASS ********", pass.Summary);
        Assert.Equal("********", pass.Detail!.Get("argument"));
        Assert.Equal("PASS ********\r\n", Text.Of(pass.Bytes));
        Assert.Equal("PASS s3cret-Pa55\r\n".Length, pass.Length);
        Assert.DoesNotContain(run.Canonical, line => line.Contains("s3cret", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Canonical, line => line.Contains(Convert.ToHexStringLower("s3cret"u8), StringComparison.Ordinal));

        AnalyzerRun shown = Run(script, new AnalyzerOptions { ShowPasswords = true });
        Assert.Contains(shown.Events, e => e.Summary == "PASS s3cret-Pa55");
    }

    [Fact]
    public void Telnet_iac_sequences_are_removed_and_reported()
    {
        // ABOR sent with Telnet Synch (RFC 959 §4.1.3): IAC IP, IAC DM, then the command.
        AnalyzerRun run = Run(new Script().Open().Server("220 hi\r\n")
            .Client(new byte[] { 0xFF, 0xF4, 0xFF, 0xF2 }.Concat("ABOR\r\n"u8.ToArray()).ToArray())
            .Server("226 Abort successful\r\n")
            .Client(new byte[] { 0xFF, 0xFB, 0x01 }.Concat("NOOP\r\n"u8.ToArray()).ToArray())
            .Server("200 ok\r\n"));

        Assert.Equal(["ABOR [telnet IAC IP, IAC DM]", "NOOP [telnet IAC WILL 1]"], Summaries(run, EventKinds.FtpCommand));
        Assert.Empty(run.Findings);
    }

    [Fact]
    public void Bare_lf_is_reported_once_per_direction()
    {
        AnalyzerRun run = Run(new Script().Open().Server("220 hi\n").Client("USER a\n").Server("331 pw\n").Client("PASS b\r\n").Server("230 ok\r\n"));

        List<Finding> bare = run.Findings.Where(f => f.Name == FindingCatalog.FtpBareLf).ToList();
        Assert.Equal(2, bare.Count);
        Assert.Equal([Side.Server, Side.Client], bare.Select(f => f.Side));
        Assert.Equal(5, Summaries(run, EventKinds.FtpReply).Count + Summaries(run, EventKinds.FtpCommand).Count);
    }

    [Fact]
    public void Over_long_line_is_reported_skipped_and_decoding_resumes()
    {
        var options = new AnalyzerOptions { MaxLineLength = 64 };
        AnalyzerRun run = Run(new Script().Open().Server("220 hi\r\n")
            .Client("SITE " + new string('A', 200) + "\r\n")
            .Client("NOOP\r\n").Server("500 too long\r\n200 ok\r\n"), options);

        Finding f = run.Single(FindingCatalog.FtpLineTooLong);
        Assert.Equal(Side.Client, f.Side);
        Assert.Equal(64, f.Evidence.Length);
        Assert.Contains("NOOP", Summaries(run, EventKinds.FtpCommand));
        Assert.Contains(FindingCatalog.FtpReplyWithoutCommand, run.Names);
    }

    [Fact]
    public void A_stream_with_no_line_end_is_given_up_as_not_ftp_where_the_run_of_over_long_lines_ends()
    {
        // Binary bytes with no LF: the first 64 bytes are the over-long line, and each further 64
        // skipped bytes count as one more line that is not FTP, so the 8th ends at 8 x 64 = 512.
        var options = new AnalyzerOptions { MaxLineLength = 64, MaxMalformedLinesInARow = 8 };
        byte[] binary = new byte[2000];
        AnalyzerRun run = Run(new Script().Open().Server("220 hi\r\n").Client("USER a\r\n").Server("331 pw\r\n").Client(binary), options);

        Finding notFtp = run.Single(FindingCatalog.FtpNotFtp);
        Assert.Equal(Side.Client, notFtp.Side);
        Assert.Equal("USER a\r\n".Length + 8 * 64, notFtp.Offset);
        Assert.Single(run.Findings, f => f.Name == FindingCatalog.FtpLineTooLong);
    }

    [Fact]
    public void An_over_long_line_followed_by_commands_is_not_given_up()
    {
        var options = new AnalyzerOptions { MaxLineLength = 64, MaxMalformedLinesInARow = 8 };
        AnalyzerRun run = Run(new Script().Open().Server("220 hi\r\n")
            .Client("SITE " + new string('A', 7 * 64) + "\r\n")
            .Client("NOOP\r\n").Server("500 too long\r\n200 ok\r\n"), options);

        Assert.DoesNotContain(FindingCatalog.FtpNotFtp, run.Names);
        Assert.Contains("NOOP", Summaries(run, EventKinds.FtpCommand));
    }

    [Fact]
    public void Malformed_command_and_reply_are_findings()
    {
        AnalyzerRun run = Run(new Script().Open().Server("220 hi\r\n").Client("123 go\r\n").Server("500 what\r\nhello there\r\n"));

        Assert.Equal(Side.Client, run.Single(FindingCatalog.FtpMalformedCommand).Side);
        Assert.Equal(Side.Server, run.Single(FindingCatalog.FtpMalformedReply).Side);
        Assert.Contains("500 what  [reply to (malformed line)]", Summaries(run, EventKinds.FtpReply));
    }

    [Fact]
    public void Reply_without_command_is_reported()
    {
        AnalyzerRun run = Run(new Script().Open().Server("220 hi\r\n").Client("NOOP\r\n").Server("200 ok\r\n200 again\r\n"));

        Finding f = run.Single(FindingCatalog.FtpReplyWithoutCommand);
        Assert.Equal(Side.Server, f.Side);
        Assert.Contains("200 again", f.Summary);
    }

    [Fact]
    public void Pasv_epsv_port_and_eprt_become_expected_data_connections()
    {
        AnalyzerRun run = Run(new Script().Open().Server("220 hi\r\n")
            .Client("PASV\r\n").Server("227 =10,1,2,3,4,1\r\n")
            .Client("EPSV\r\n").Server("229 Entering Extended Passive Mode (|||40002|)\r\n")
            .Client("PORT 192,0,2,10,156,67\r\n").Server("200 PORT ok\r\n")
            .Client("EPRT |2|2001:db8::1|40004|\r\n").Server("200 EPRT ok\r\n")
            .Client("PORT 1,2,3\r\n").Server("501 bad\r\n")
            .Client("PASV\r\n").Server("227 no address here\r\n"));

        List<ExpectedDataConnection> data = run.Outputs.OfType<ExpectedDataConnection>().ToList();
        Assert.Equal(["10.1.2.3:1025", "198.51.100.20:40002", "192.0.2.10:40003", "[2001:db8::1]:40004"], data.Select(d => ConnectionInfo.Format(d.Endpoint)));
        Assert.Equal([Side.Server, Side.Server, Side.Client, Side.Client], data.Select(d => d.Listener));
        Assert.Equal(2, run.Findings.Count(f => f.Name == FindingCatalog.FtpMalformedEndpoint));
    }

    [Fact]
    public void Partial_line_at_close_is_reported()
    {
        AnalyzerRun run = Run(new Script().Open().Server("220 hi\r\n").Client("QUI").End(Direction.ClientToServer, EndKind.Fin));

        Finding f = run.Single(FindingCatalog.FtpUnterminatedLine);
        Assert.Equal("QUI", Text.Of(f.Evidence));
    }

    [Fact]
    public void Stall_waiting_for_a_reply_is_reported_with_the_side_waited_on()
    {
        AnalyzerRun run = Run(new Script().Open().Server("220 hi\r\n").Client("LIST\r\n").Wait(TimeSpan.FromSeconds(30)).End(Direction.ClientToServer, EndKind.Reset));

        Finding f = run.Single(FindingCatalog.FtpStalled);
        Assert.Equal(Side.Server, f.Side);
        Assert.Contains("no reply to LIST", f.Summary);
    }

    [Fact]
    public void Silent_connection_explains_implicit_versus_explicit_wait()
    {
        AnalyzerRun run = Run(new Script().Open().Wait(TimeSpan.FromSeconds(20)).End(Direction.ClientToServer, EndKind.Fin).End(Direction.ServerToClient, EndKind.Fin));

        Finding f = run.Single(FindingCatalog.FtpStalled);
        Assert.Contains("220 greeting", f.Summary);
        Assert.Contains("implicit-FTPS server", f.Explanation);
    }

    [Fact]
    public void Short_silent_connection_is_still_reported_when_nobody_spoke()
    {
        AnalyzerRun run = Run(new Script().Open().Wait(TimeSpan.FromSeconds(5)).End(Direction.ClientToServer, EndKind.Fin).End(Direction.ServerToClient, EndKind.Fin));

        Assert.Contains("never sent its 220 greeting", run.Single(FindingCatalog.FtpStalled).Summary);
    }

    [Fact]
    public void Gap_resynchronises_at_the_next_line()
    {
        AnalyzerRun run = Run(new Script().Open().Server("220 hi\r\n").Client("NOOP\r\nLI")
            .Gap(Direction.ClientToServer, 10).Client("ST\r\nPWD\r\n").Server("200 ok\r\n257 \"/\"\r\n"));

        Assert.Equal(["NOOP", "PWD"], Summaries(run, EventKinds.FtpCommand));
        Assert.Equal(Side.Network, run.Single(FindingCatalog.TcpGap).Side);
    }

    [Fact]
    public void Pending_command_limit_is_a_finding_not_growth()
    {
        var s = new Script().Open().Server("220 hi\r\n");
        for (int i = 0; i < 10; i++) s.Client("NOOP\r\n");
        AnalyzerRun run = Run(s, new AnalyzerOptions { MaxPendingCommands = 4 });

        Assert.Single(run.Findings, f => f.Name == FindingCatalog.FtpPendingLimit);
    }
}

public class FindingLimitTests
{
    [Fact]
    public void A_flood_of_garbage_lines_gives_the_first_findings_and_one_count_of_the_rest()
    {
        var s = new Script().Open().Server("220 ready\r\n");
        for (int i = 0; i < 500; i++) s.Client($"\u0001{i}\r\n");
        // Garbage is normally cut short as not FTP (below); here every line is decoded.
        AnalyzerRun run = AnalyzerRun.Consistent(Script.Info, s.End(Direction.ClientToServer, EndKind.Fin).Events,
            new AnalyzerOptions { MaxMalformedLinesInARow = int.MaxValue });

        Assert.Equal(AnalyzerOptions.Default.MaxFindingsPerName, run.Findings.Count(f => f.Name == FindingCatalog.FtpMalformedCommand));
        Assert.Contains(run.Events, e => e.Summary == $"{500 - AnalyzerOptions.Default.MaxFindingsPerName} more ftp.malformed_command finding(s) in this session not shown (the first {AnalyzerOptions.Default.MaxFindingsPerName} are)");
    }

    [Fact]
    public void Lines_in_a_row_that_are_not_FTP_end_the_decoding_of_that_direction()
    {
        int limit = AnalyzerOptions.Default.MaxMalformedLinesInARow;
        var s = new Script().Open().Server("220 ready\r\n").Client("USER alice\r\n").Server("331 go on\r\n");
        // A valid line in between starts the count again.
        for (int i = 0; i < limit - 1; i++) s.Client($"\u0001{i}\r\n");
        s.Client("NOOP\r\n");
        for (int i = 0; i < limit + 100; i++) s.Client($"\u0002{i}\r\n");
        s.Client("QUIT\r\n").Server("221 bye\r\n");
        AnalyzerRun run = AnalyzerRun.Consistent(Script.Info, s.End(Direction.ClientToServer, EndKind.Fin).Events);

        Finding notFtp = run.Single(FindingCatalog.FtpNotFtp);
        Assert.Equal(Side.Client, notFtp.Side);
        Assert.Contains($"{limit} lines in a row", notFtp.Summary);
        // Nothing after the cut is decoded (not even the QUIT); the server's side still is.
        Assert.DoesNotContain(run.Events, e => e.Summary.Contains("QUIT", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Events, e => e.Summary.Contains($"\u0002{limit}", StringComparison.Ordinal));
        Assert.Contains(run.Events, e => e.Summary.Contains("221", StringComparison.Ordinal));
        Assert.Equal(notFtp.Offset, run.Events.Where(e => e.Direction == Direction.ClientToServer && e.Layer == Layer.Ftp).Max(e => e.Offset + e.Length));
    }
}
