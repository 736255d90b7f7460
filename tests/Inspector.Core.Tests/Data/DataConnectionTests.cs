using System.Net;
using System.Text;
using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Sessions;
using Inspector.Core.Streams;
using Inspector.Core.Tests.Kit;
using Inspector.Core.Tests.Seed;

namespace Inspector.Core.Tests.Data;

/// <summary>
/// Data connections: the analyzer's data role (whole, byte by byte and at random cuts) and the
/// tracker's checks that need the control channel too, on a readable control channel.
/// </summary>
public class DataConnectionTests
{
    private static readonly ConnectionInfo DataInfo = new(2, new IPEndPoint(IPAddress.Parse("192.0.2.10"), 50000),
        new IPEndPoint(IPAddress.Parse("198.51.100.20"), 40001));

    [Fact]
    public void Plaintext_data_is_counted_and_its_start_shown()
    {
        byte[] file = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("line of a listing\r\n", 40)));
        var s = new Script().Open().Server(file[..100]).Server(file[100..]).End(Direction.ServerToClient, EndKind.Fin).End(Direction.ClientToServer, EndKind.Fin);
        AnalyzerRun run = AnalyzerRun.Consistent(DataInfo, s.Events, data: true);

        Assert.Empty(run.Findings);
        DataConnectionFacts facts = Assert.Single(run.Outputs.OfType<DataConnectionFacts>());
        Assert.Equal(DataProtection.Plaintext, facts.Protection);
        Assert.Equal(file.Length, facts.ServerPayload);
        Assert.Equal(0, facts.ClientPayload);
        Assert.Contains(run.Events, e => e.Summary.StartsWith("plaintext data from the server begins: line of a listing", StringComparison.Ordinal));
    }

    [Fact]
    public void A_server_that_waits_for_a_client_hello_and_gives_up_blames_the_client()
    {
        var s = new Script().Open().Server(TlsBytes.Alert(2, 50)).End(Direction.ServerToClient, EndKind.Fin).End(Direction.ClientToServer, EndKind.Fin);
        AnalyzerRun run = AnalyzerRun.Consistent(DataInfo, s.Events, data: true);

        Finding f = run.Single(FindingCatalog.DataTlsFailed);
        Assert.Equal(Side.Client, f.Side);
        Assert.DoesNotContain(FindingCatalog.TlsAlert, run.Names);
    }

    [Fact]
    public void Tls_from_one_side_and_plaintext_from_the_other_is_mixed_not_a_failed_handshake()
    {
        var s = new Script().Open().Server("Hello from the file\n").Client(SeedHello.Record)
            .End(Direction.ServerToClient, EndKind.Fin).End(Direction.ClientToServer, EndKind.Reset);
        AnalyzerRun run = AnalyzerRun.Consistent(DataInfo, s.Events, data: true);

        DataConnectionFacts facts = Assert.Single(run.Outputs.OfType<DataConnectionFacts>());
        Assert.True(facts.Mixed);
        Assert.Equal(Side.Client, facts.TlsSide);
        Assert.DoesNotContain(FindingCatalog.DataTlsFailed, run.Names);
    }

    [Fact]
    public void Plaintext_data_under_prot_p_is_a_protection_mismatch_blaming_the_sender()
    {
        var world = new World();
        world.Control("PBSZ 0\r\n", "200 PBSZ 0 successful\r\n", "PROT P\r\n", "200 Protection set to Private\r\n",
            "PASV\r\n", "227 Entering Passive Mode (198,51,100,20,156,65).\r\n", "STOR up.bin\r\n");
        DataClaim claim = Assert.IsType<DataClaim>(world.Tracker.Claim(DataInfo.Client, DataInfo.Server));
        Assert.False(claim.Link.Inferred);
        world.Control("150 Opening BINARY mode data connection for up.bin\r\n");
        world.Data(claim, new Script().Open().Client(new byte[1536]).End(Direction.ClientToServer, EndKind.Fin).End(Direction.ServerToClient, EndKind.Fin));
        world.Control("425 Unable to build data connection: Operation not permitted\r\n");
        world.End();

        (SessionInfo session, Finding f) = Assert.Single(world.Findings, x => x.Finding.Name == FindingCatalog.DataProtectionMismatch);
        Assert.True(session.IsData);
        Assert.Equal(Side.Client, f.Side);
        Assert.Equal(("STOR", "up.bin"), (world.Ended[session.Id].Command, world.Ended[session.Id].Argument));
        Assert.Equal(1, world.Ended[session.Id].Errors);
        Assert.Contains(world.Outputs, o => o.Session.Id == 1 && o.Output is DataConnectionReport { DataSession: 2, Command: "STOR", Passive: true });
    }

    [Fact]
    public void A_binary_download_shorter_than_its_size_reply_is_reported()
    {
        var world = new World();
        world.Control("TYPE I\r\n", "200 Type set to I\r\n", "SIZE f.bin\r\n", "213 100\r\n",
            "PASV\r\n", "227 Entering Passive Mode (198,51,100,20,156,65).\r\n", "RETR f.bin\r\n", "150 Opening BINARY mode data connection\r\n");
        DataClaim claim = Assert.IsType<DataClaim>(world.Tracker.Claim(DataInfo.Client, DataInfo.Server));
        world.Data(claim, new Script().Open().Server(new byte[60]).End(Direction.ServerToClient, EndKind.Fin).End(Direction.ClientToServer, EndKind.Fin));
        world.Control("226 Transfer complete\r\n");
        world.End();

        (SessionInfo session, Finding f) = Assert.Single(world.Findings, x => x.Finding.Name == FindingCatalog.TransferSizeMismatch);
        Assert.Equal(2, session.Id);
        Assert.Contains("60 bytes", f.Summary);
        Assert.Contains("100", f.Summary);
    }

    [Fact]
    public void A_transfer_with_no_data_connection_and_an_unused_endpoint_are_reported()
    {
        var world = new World();
        world.Control("PASV\r\n", "227 Entering Passive Mode (198,51,100,20,156,65).\r\n", "LIST\r\n",
            "150 Here comes the directory listing.\r\n", "226 Directory send OK.\r\n", "PASV\r\n", "227 Entering Passive Mode (198,51,100,20,156,66).\r\n");
        world.End();

        List<Finding> missing = world.Findings.Where(x => x.Finding.Name == FindingCatalog.DataConnectionMissing).Select(x => x.Finding).ToList();
        Assert.Equal(2, missing.Count);
        Assert.Equal(Severity.Warning, missing[0].Severity); // LIST was answered 150 and 226: the connection existed
        Assert.Equal(Severity.Info, missing[1].Severity);    // the second PASV was never used
        Assert.Contains("198.51.100.20:40002", missing[1].Summary);
    }

    [Fact]
    public void A_pasv_reply_with_a_private_address_is_reported_once()
    {
        var world = new World();
        world.Control("PASV\r\n", "227 Entering Passive Mode (10,0,0,5,156,65).\r\n", "PASV\r\n", "227 Entering Passive Mode (10,0,0,5,156,66).\r\n");
        // The client connects to the control address (curl ignores the PASV address): still linked by port.
        Assert.NotNull(world.Tracker.Claim(DataInfo.Client, new IPEndPoint(IPAddress.Parse("198.51.100.20"), 40002)));
        world.End();

        Finding f = Assert.Single(world.Findings, x => x.Finding.Name == FindingCatalog.PasvAddressMismatch).Finding;
        Assert.Contains("private address 10.0.0.5", f.Summary);
    }

    [Fact]
    public void A_522_after_a_data_handshake_without_resumption_says_session_reuse_is_required()
    {
        var world = new World();
        world.Control("PASV\r\n", "227 Entering Passive Mode (198,51,100,20,156,65).\r\n", "LIST\r\n", "150 Here comes the directory listing.\r\n");
        DataClaim claim = Assert.IsType<DataClaim>(world.Tracker.Claim(DataInfo.Client, DataInfo.Server));
        world.Data(claim, new Script().Open().Client(SeedHello.Record).End(Direction.ServerToClient, EndKind.Fin).End(Direction.ClientToServer, EndKind.Fin));
        world.Control("522 SSL connection failed: session reuse required\r\n");
        world.End();

        (SessionInfo session, Finding f) = Assert.Single(world.Findings, x => x.Finding.Name == FindingCatalog.SessionReuseRequired);
        Assert.Equal(2, session.Id);
        Assert.Equal(Side.Client, f.Side);
    }

    [Fact]
    public void A_connection_nobody_announced_is_not_claimed()
    {
        var world = new World();
        world.Control("PASV\r\n", "227 Entering Passive Mode (198,51,100,20,156,65).\r\n");
        Assert.Null(world.Tracker.Claim(DataInfo.Client, new IPEndPoint(IPAddress.Parse("198.51.100.20"), 40999)));
        Assert.Null(world.Tracker.Claim(new IPEndPoint(IPAddress.Parse("203.0.113.9"), 1234), new IPEndPoint(IPAddress.Parse("203.0.113.8"), 40001)));
        Assert.False(world.Tracker.MayInfer(DataInfo.Client, DataInfo.Server)); // the control channel is readable: no guessing
    }

    /// <summary>A control session (Script.Info) and its data connections through one tracker.</summary>
    private sealed class World : ISessionSink
    {
        private readonly SessionAnalyzer control;
        private readonly Script controlScript = new();
        private int fed;

        public World()
        {
            Tracker = new DataConnectionTracker(this);
            var info = new SessionInfo(1, Script.Info.Client, Script.Info.Server, new Timestamp(1_800_000_000_000_000_000L), false, false);
            control = new SessionAnalyzer(info, Tracker, AnalyzerOptions.Default);
            controlScript.Open().Server("220 ready\r\n").Client("USER u\r\n").Server("331 pass\r\n").Client("PASS p\r\n").Server("230 in\r\n");
            Feed();
        }

        public DataConnectionTracker Tracker { get; }

        public List<(SessionInfo Session, AnalysisOutput Output)> Outputs { get; } = [];

        public Dictionary<long, SessionSummary> Ended { get; } = [];

        public IEnumerable<(SessionInfo Session, Finding Finding)> Findings =>
            Outputs.Where(o => o.Output is Finding).Select(o => (o.Session, (Finding)o.Output));

        /// <summary>Lines alternate by their look: commands from the client, replies (three digits) from the server.</summary>
        public void Control(params string[] lines)
        {
            foreach (string line in lines)
            {
                if (char.IsAsciiDigit(line[0])) controlScript.Server(line);
                else controlScript.Client(line);
            }
            Feed();
        }

        public void Data(DataClaim claim, Script script)
        {
            var info = new SessionInfo(2, DataInfo.Client, DataInfo.Server, new Timestamp(1_800_000_000_500_000_000L), false, false, claim.Link);
            var data = new SessionAnalyzer(info, Tracker, AnalyzerOptions.Default);
            foreach (StreamEvent e in script.Events) data.Feed(e);
            data.Finish(script.Events[^1].Time, EndKind.EndOfCapture);
        }

        public void End()
        {
            controlScript.End(Direction.ClientToServer, EndKind.Fin).End(Direction.ServerToClient, EndKind.Fin);
            Feed();
            control.Finish(controlScript.Events[^1].Time, EndKind.EndOfCapture);
        }

        private void Feed()
        {
            for (; fed < controlScript.Events.Count; fed++) control.Feed(controlScript.Events[fed]);
        }

        void ISessionSink.SessionStarted(SessionInfo session)
        {
        }

        void ISessionSink.Output(SessionInfo session, AnalysisOutput output) => Outputs.Add((session, output));

        void ISessionSink.SessionEnded(SessionInfo session, SessionSummary summary) => Ended[session.Id] = summary;
    }
}

public class DataConnectionReportTests
{
    [Fact]
    public void A_path_from_the_peer_is_escaped_before_it_reaches_a_terminal()
    {
        var text = new StringWriter();
        var writer = new Inspector.Core.Output.TextSessionWriter(text, Inspector.Core.Output.OutputFilter.All, color: false, grouped: false);
        var info = new SessionInfo(1, Script.Info.Client, Script.Info.Server, new Timestamp(1), false, false);
        writer.SessionStarted(info);
        writer.Output(info, new DataConnectionReport(new Timestamp(2_000_000), 2, "RETR", "evil\u001b]0;owned\u0007\u001b[2J.txt", true, false,
            DataProtection.Plaintext, 0, 1000, TimeSpan.FromMilliseconds(2), "ok"));

        string output = text.ToString();
        Assert.DoesNotContain('\u001b', output);
        Assert.DoesNotContain('\u0007', output);
        Assert.Contains("RETR evil", output);
        Assert.Contains("1,000 from the server in 2 ms (4 Mbit/s)", output);
    }
}
