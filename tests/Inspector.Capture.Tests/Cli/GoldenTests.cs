namespace Inspector.Capture.Tests.Cli;

/// <summary>
/// Every capture in captures/ gives exactly its expected JSON Lines (tests/Inspector.Capture.Tests/Golden).
/// A new capture has no expected file yet: run with INSPECTOR_UPDATE_GOLDEN=1 once, read the
/// result, and commit it. Without the variable a missing or different file fails.
/// </summary>
public class GoldenTests
{
    public static TheoryData<string> Captures() => Files.ReaderTestSupport.AllCaptures();

    [Theory]
    [MemberData(nameof(Captures))]
    public void Capture_gives_its_expected_json_lines(string capture)
    {
        string path = CliRun.Capture(capture);
        CliRun run = CliRun.Of(["read", "--json", .. CaptureArgs.For(capture), path]);
        Assert.True(run.ExitCode is 0 or 1, $"exit {run.ExitCode}: {run.Stderr}");
        string actual = run.Stdout.Replace(path, "captures/" + capture, StringComparison.Ordinal);

        string golden = Path.Combine(CaptureArgs.SourceDirectory(), "Golden", capture + ".jsonl");
        if (Environment.GetEnvironmentVariable("INSPECTOR_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, actual);
            return;
        }
        Assert.True(File.Exists(golden), $"no expected output for {capture}: run the tests once with INSPECTOR_UPDATE_GOLDEN=1, check {golden}, commit it");
        string[] expected = File.ReadAllText(golden).Split('\n');
        string[] lines = actual.Split('\n');
        for (int i = 0; i < Math.Min(expected.Length, lines.Length); i++)
        {
            Assert.True(expected[i] == lines[i], $"{capture} line {i + 1} differs\nexpected: {expected[i]}\nactual:   {lines[i]}");
        }
        Assert.Equal(expected.Length, lines.Length);
    }

}
