using System.Globalization;

namespace Inspector.Capture.Tests.Cli;

/// <summary>
/// Extra command-line arguments a capture needs, from Golden/NAME.args (one line, e.g.
/// "--port 2131" for implicit FTPS on a port that says nothing recognisable in the clear).
/// </summary>
internal static class CaptureArgs
{
    public static string[] For(string capture)
    {
        string file = Path.Combine(SourceDirectory(), "Golden", capture + ".args");
        return File.Exists(file) ? File.ReadAllText(file).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) : [];
    }

    public static HashSet<int> Ports(string capture)
    {
        var ports = new HashSet<int> { 21, 990 };
        string[] args = For(capture);
        for (int i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] is "--port" or "-p") ports.Add(int.Parse(args[i + 1], CultureInfo.InvariantCulture));
        }
        return ports;
    }

    /// <summary>
    /// The test project's source folder (expected outputs live beside the tests, not in bin/),
    /// found by walking up from the test binaries: compile-time paths are mapped away in CI
    /// builds (ContinuousIntegrationBuild), so the caller's file path cannot be used.
    /// </summary>
    public static string SourceDirectory()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Inspector.Capture.Tests.csproj"))) return d.FullName;
        }
        throw new DirectoryNotFoundException($"no Inspector.Capture.Tests.csproj above {AppContext.BaseDirectory}");
    }
}
