using System.CommandLine;
using Inspector.Core.Analysis;
using Inspector.Core.Output;
using Inspector.Core.Sessions;

namespace Inspector.Cli.Commands;

/// <summary>
/// How results are printed, the same for read, proxy and live: text or JSON Lines, what to hide,
/// colour, passwords, decoded detail. One group, so the commands cannot drift apart.
/// </summary>
internal sealed class OutputOptions
{
    public Option<bool> Json { get; } = CommonOptions.Json();
    public Option<bool> FindingsOnly { get; } = CommonOptions.FindingsOnly();
    public Option<string> MinSeverity { get; } = CommonOptions.MinSeverity();
    public Option<bool> NoColor { get; } = CommonOptions.NoColor();
    public Option<bool> ShowPasswords { get; } = CommonOptions.ShowPasswords();
    public Option<bool> Verbose { get; } = CommonOptions.Verbose();

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { Json, FindingsOnly, MinSeverity, NoColor, ShowPasswords, Verbose }) command.Options.Add(o);
    }

    public OutputFilter Filter(ParseResult parse, long? session = null) => new()
    {
        FindingsOnly = parse.GetValue(FindingsOnly),
        SessionId = session,
        MinSeverity = CommonOptions.ParseSeverity(parse.GetValue(MinSeverity)!),
    };

    /// <summary>
    /// What the analysis keeps: passwords as asked, and the bytes of each timeline event only
    /// for the terminal UI's hex view, since the text and JSON writers never print them.
    /// </summary>
    public AnalyzerOptions Analyzer(ParseResult parse, bool forTui) => AnalyzerOptions.Default with
    {
        ShowPasswords = parse.GetValue(ShowPasswords),
        MaxEventBytes = forTui ? AnalyzerOptions.Default.MaxEventBytes : 0,
    };

    /// <summary>
    /// The text or JSON writer. Colour only on a terminal (never into a file or pipe), and never
    /// with --no-color or NO_COLOR (https://no-color.org).
    /// </summary>
    /// <param name="grouped">Each session printed whole when it ends (files), or lines as they happen (live sources).</param>
    public ISessionSink Writer(ParseResult parse, TextWriter stdout, OutputFilter filter, bool grouped)
    {
        if (parse.GetValue(Json)) return new JsonSessionWriter(stdout, filter, grouped);
        bool color = !parse.GetValue(NoColor) && !Console.IsOutputRedirected && stdout == Console.Out
            && Environment.GetEnvironmentVariable("NO_COLOR") is null;
        return new TextSessionWriter(stdout, filter, color, grouped, verbose: parse.GetValue(Verbose));
    }
}
