using System.CommandLine;
using Inspector.Capture.Files;
using Inspector.Capture.Pipeline;
using Inspector.Core.Analysis;
using Inspector.Core.Output;
using Inspector.Core.Sessions;

namespace Inspector.Cli.Commands;

/// <summary><c>inspector read FILE</c>: analyse a pcap or pcapng capture.</summary>
internal static class ReadCommand
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("file") { Description = "pcap or pcapng file (tcpdump -w, dumpcap, tshark -w)" };
        Option<bool> json = CommonOptions.Json();
        Option<bool> findingsOnly = CommonOptions.FindingsOnly();
        Option<long?> session = CommonOptions.Session();
        Option<string> minSeverity = CommonOptions.MinSeverity();
        Option<bool> noColor = CommonOptions.NoColor();
        Option<bool> showPasswords = CommonOptions.ShowPasswords();
        Option<bool> verbose = CommonOptions.Verbose();
        Option<int[]> ports = CommonOptions.Ports();
        var tui = new Option<bool>("--tui") { Description = "Explore the sessions in the terminal UI instead of printing them" };
        var cmd = new Command("read", "Analyse a capture file: every FTP and FTPS control session in it, with findings")
        {
            file, json, findingsOnly, session, minSeverity, noColor, showPasswords, verbose, ports, tui,
        };
        cmd.SetAction(parse =>
        {
            var filter = new OutputFilter
            {
                FindingsOnly = parse.GetValue(findingsOnly),
                SessionId = parse.GetValue(session),
                MinSeverity = CommonOptions.ParseSeverity(parse.GetValue(minSeverity)!),
            };
            bool asJson = parse.GetValue(json);
            bool color = !asJson && !parse.GetValue(noColor) && !Console.IsOutputRedirected && stdout == Console.Out
                && Environment.GetEnvironmentVariable("NO_COLOR") is null;
            var portSet = new HashSet<int> { 21, 990 };
            foreach (int p in parse.GetValue(ports) ?? []) portSet.Add(p);
            var options = new CaptureAnalysisOptions
            {
                FtpPorts = portSet,
                Analyzer = AnalyzerOptions.Default with { ShowPasswords = parse.GetValue(showPasswords) },
            };
            if (parse.GetValue(tui)) return TuiRunner.Read(parse.GetValue(file)!, options, stderr);
            ISessionSink writer = asJson
                ? new JsonSessionWriter(stdout, filter, grouped: true)
                : new TextSessionWriter(stdout, filter, color, grouped: true, verbose: parse.GetValue(verbose));
            return Run(parse.GetValue(file)!, options, writer, filter, asJson, stdout, stderr);
        });
        return cmd;
    }

    internal static int Run(string path, CaptureAnalysisOptions options, ISessionSink writer, OutputFilter filter, bool json, TextWriter stdout, TextWriter stderr)
    {
        var tally = new SessionTally(writer) { Counts = filter.Includes };
        var analysis = new CaptureAnalysis(tally, options);
        string? failure = null;
        string format = "?";
        try
        {
            using ICaptureReader reader = CaptureFileReader.Open(path);
            format = reader.Format;
            analysis.Read(reader);
        }
        catch (CaptureFormatException e)
        {
            failure = e.Message;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            failure = $"{path}: {e.Message}";
        }
        // Whatever was read before a problem is still analysed and reported.
        analysis.Complete();
        RunSummary.Write(stdout, json, path, format, analysis, tally, failure);
        if (failure is not null)
        {
            stderr.WriteLine($"inspector: {failure}");
            return InspectorCommand.ExitBadInput;
        }
        return tally.Errors > 0 ? InspectorCommand.ExitErrorFindings : InspectorCommand.ExitOk;
    }
}
