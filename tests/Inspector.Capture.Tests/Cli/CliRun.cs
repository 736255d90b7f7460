using Inspector.Cli;

namespace Inspector.Capture.Tests.Cli;

/// <summary>Runs the real command line in-process and captures what it prints.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public static CliRun Of(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int code = InspectorCommand.RunAsync(args, stdout, stderr).GetAwaiter().GetResult();
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    public static string Capture(string name) => Path.Combine(AppContext.BaseDirectory, "captures", name);

    public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
