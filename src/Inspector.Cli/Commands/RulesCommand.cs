using System.CommandLine;
using Inspector.Core.Findings;
using Inspector.Core.Output;

namespace Inspector.Cli.Commands;

/// <summary><c>inspector rules</c>: the catalogue of findings.</summary>
internal static class RulesCommand
{
    public static Command Build(TextWriter stdout)
    {
        Option<bool> json = CommonOptions.Json();
        var cmd = new Command("rules", "Print the catalogue of findings: name, severity, what it means") { json };
        cmd.SetAction(parse =>
        {
            foreach (FindingDefinition d in FindingCatalog.All)
            {
                if (parse.GetValue(json))
                {
                    stdout.WriteLine(JsonSessionWriter.Line(w =>
                    {
                        w.WriteString("type", "rule");
                        w.WriteString("name", d.Name);
                        w.WriteString("severity", d.Severity.WireName());
                        w.WriteString("title", d.Title);
                        w.WriteString("description", d.Description);
                    }));
                    continue;
                }
                stdout.WriteLine($"{d.Name}  [{d.Severity.WireName()}]  {d.Title}");
                foreach (string line in TextSessionWriter.Wrap(d.Description, 96)) stdout.WriteLine("    " + line);
                stdout.WriteLine();
            }
            return InspectorCommand.ExitOk;
        });
        return cmd;
    }
}
