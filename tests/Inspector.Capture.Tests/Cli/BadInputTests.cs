namespace Inspector.Capture.Tests.Cli;

/// <summary>Bad files give exit 2 and one clear line, never a stack trace; what was readable is still analysed.</summary>
public class BadInputTests
{
    private static string TempFile(byte[] content)
    {
        string path = Path.Combine(Path.GetTempPath(), "inspector-test-" + Guid.NewGuid().ToString("N") + ".pcap");
        File.WriteAllBytes(path, content);
        return path;
    }

    private static void AssertCleanFailure(CliRun run, string path)
    {
        Assert.Equal(2, run.ExitCode);
        string error = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("inspector: ", error);
        Assert.Contains(path, error);
        Assert.DoesNotContain("   at ", run.Stderr + run.Stdout);
        Assert.DoesNotContain("Exception", run.Stderr + run.Stdout);
    }

    [Fact]
    public void Missing_file()
    {
        string path = Path.Combine(Path.GetTempPath(), "does-not-exist-" + Guid.NewGuid().ToString("N") + ".pcap");
        AssertCleanFailure(CliRun.Of("read", path), path);
    }

    [Fact]
    public void Empty_file()
    {
        string path = TempFile([]);
        CliRun run = CliRun.Of("read", path);
        AssertCleanFailure(run, path);
        Assert.Contains("empty", run.Stderr);
    }

    [Fact]
    public void Random_bytes()
    {
        var bytes = new byte[4096];
        new Random(3).NextBytes(bytes);
        string path = TempFile(bytes);
        AssertCleanFailure(CliRun.Of("read", path), path);
    }

    [Fact]
    public void Wrong_magic()
    {
        byte[] real = File.ReadAllBytes(CliRun.Capture("seed-proftpd-1.3.7f-openssl-1.0.2n.pcap"));
        real[0] ^= 0xFF;
        string path = TempFile(real);
        CliRun run = CliRun.Of("read", path);
        AssertCleanFailure(run, path);
        Assert.Contains("offset 0", run.Stderr);
    }

    [Fact]
    public void Truncated_at_every_tenth_of_a_real_capture()
    {
        byte[] real = File.ReadAllBytes(CliRun.Capture("ftps-curl-proftpd.pcap"));
        for (int tenth = 1; tenth <= 9; tenth++)
        {
            int cut = real.Length * tenth / 10;
            string path = TempFile(real[..cut]);
            CliRun run = CliRun.Of("read", "--json", path);
            AssertCleanFailure(run, path);
            Assert.Contains("offset", run.Stderr);
            // The packets before the cut were analysed: the summary counts them.
            Assert.Contains("\"type\":\"summary\"", run.Stdout);
            Assert.Contains("\"input_error\"", run.Stdout);
            if (tenth >= 3) Assert.Contains("\"type\":\"session\"", run.Stdout);
        }
    }

    [Fact]
    public void Bad_usage_is_exit_2()
    {
        Assert.Equal(2, CliRun.Of("read").ExitCode);
        Assert.Equal(2, CliRun.Of("read", "x.pcap", "--min-severity", "fatal").ExitCode);
        Assert.Equal(2, CliRun.Of("frobnicate").ExitCode);
    }
}
