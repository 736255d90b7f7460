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
        var config = new InvocationConfiguration { Output = stdout, Error = stderr };
        int code = await parse.InvokeAsync(config);
        // System.CommandLine reports usage errors with exit code 1; ours is 2 (1 means error findings).
        return parse.Errors.Count > 0 ? ExitBadInput : code;
    }
}
