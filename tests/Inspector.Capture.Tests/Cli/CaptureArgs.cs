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

    /// <summary>The test project's source folder (expected outputs live beside the tests, not in bin/).</summary>
    public static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.GetDirectoryName(Path.GetDirectoryName(file)!)!;
}
