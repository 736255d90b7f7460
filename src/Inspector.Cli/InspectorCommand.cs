using System.CommandLine;
using Inspector.Cli.Commands;

namespace Inspector.Cli;

/// <summary>
/// The command tree. Exit codes: 0 no finding at error level, 1 at least one, 2 bad usage or
/// unreadable input (with a one-line reason on stderr).
/// </summary>
public static class InspectorCommand
{
    public const int ExitOk = 0;
    public const int ExitErrorFindings = 1;
    public const int ExitBadInput = 2;

    public static RootCommand Build(TextWriter stdout, TextWriter stderr) =>
        new("Inspector: shows what really crossed the wire between an FTP/FTPS client and server, and says what went out of step.")
        {
            ReadCommand.Build(stdout, stderr),
            ProxyCommand.Build(stdout, stderr),
            LiveCommand.Build(stdout, stderr),
            RulesCommand.Build(stdout),
        };

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        RootCommand root = Build(stdout, stderr);
        ParseResult parse = root.Parse(args);
        // On Ctrl-C or SIGTERM the command's token is cancelled and System.CommandLine waits this
        // long for it to finish before it ends the process itself (exit 130 or 143). Its default
        // of 2 s was too short for the proxy's orderly stop on a loaded machine: resetting the
        // open sessions, analysing what they had queued, the summary line and the end of the
        // recording (a CI run killed it with 143 while other builds ran beside it).
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, ProcessTerminationTimeout = TimeSpan.FromSeconds(10) };
        int code = await parse.InvokeAsync(config);
        // System.CommandLine reports usage errors with exit code 1; ours is 2 (1 means error findings).
        return parse.Errors.Count > 0 ? ExitBadInput : code;
    }
}
