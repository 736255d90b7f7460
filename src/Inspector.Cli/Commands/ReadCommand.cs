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
        var output = new OutputOptions();
        Option<long?> session = CommonOptions.Session();
        Option<int[]> ports = CommonOptions.Ports();
        var tui = new Option<bool>("--tui") { Description = "Explore the sessions in the terminal UI instead of printing them" };
        var cmd = new Command("read", "Analyse a capture file: every FTP and FTPS control session in it, with findings")
        {
            file, session, ports, tui,
        };
        output.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            OutputFilter filter = output.Filter(parse, parse.GetValue(session));
            bool asJson = parse.GetValue(output.Json);
            var options = new CaptureAnalysisOptions
            {
                FtpPorts = CommonOptions.FtpPorts(parse.GetValue(ports)),
                Analyzer = output.Analyzer(parse, forTui: parse.GetValue(tui)),
            };
            if (parse.GetValue(tui)) return TuiRunner.Read(parse.GetValue(file)!, options, stderr);
            ISessionSink writer = output.Writer(parse, stdout, filter, grouped: true);
            return Run(parse.GetValue(file)!, options, writer, filter, asJson, stdout, stderr);
        });
        return cmd;
    }

    internal static int Run(string path, CaptureAnalysisOptions options, ISessionSink writer, OutputFilter filter, bool json, TextWriter stdout, TextWriter stderr)
    {
        using var output = new WriterThreadSink(writer);
        var tally = new SessionTally(output) { Counts = filter.Includes };
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
        catch (OutputFailedException e)
        {
            stderr.WriteLine($"inspector: {e.Message}");
            return InspectorCommand.ExitBadInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            failure = $"{path}: {e.Message}";
        }
        // Whatever was read before a problem is still analysed and reported.
        try
        {
            analysis.Complete();
            output.Complete();
        }
        catch (OutputFailedException e)
        {
            stderr.WriteLine($"inspector: {e.Message}");
            return InspectorCommand.ExitBadInput;
        }
        RunSummary.Write(stdout, json, path, format, analysis, tally, failure);
        if (failure is not null)
        {
            stderr.WriteLine($"inspector: {failure}");
            return InspectorCommand.ExitBadInput;
        }
        return tally.Errors > 0 ? InspectorCommand.ExitErrorFindings : InspectorCommand.ExitOk;
    }
}
