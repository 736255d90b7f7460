namespace Inspector.Bench.Tests;

/// <summary>`read --inspector PATH` measures another build of Inspector (a published ReadyToRun one) in place of the bundled one.</summary>
public class ReadBenchmarkOptionsTests
{
    [Fact]
    public void Another_inspector_is_run_directly_or_through_dotnet_for_a_dll()
    {
        BenchOptions o = BenchOptions.Parse(["--inspector", "out/inspector", "--runs", "5"]);
        Assert.Equal(Path.GetFullPath("out/inspector"), o.Inspector);
        Assert.Equal(5, o.Runs);
        Assert.Equal([o.Inspector!, "read", "f.pcapng", "--json"], ReadBenchmark.CommandLine("inspector", "f.pcapng", o.Inspector));
        Assert.Equal(["dotnet", "/x/inspector.dll", "read", "f.pcapng", "--json"], ReadBenchmark.CommandLine("inspector", "f.pcapng", "/x/inspector.dll"));
        // Without it, the build beside the benchmark; the other tools ignore it.
        Assert.Equal("dotnet", ReadBenchmark.CommandLine("inspector", "f.pcapng")[0]);
        Assert.Equal("tcpdump", ReadBenchmark.CommandLine("tcpdump", "f.pcapng", o.Inspector)[0]);
        Assert.Equal(["ssldump", "-n", "-r", "f.pcapng"], ReadBenchmark.CommandLine("ssldump", "f.pcapng", o.Inspector));
    }

    [Theory]
    [InlineData(new[] { "--profile", "control" }, "unknown option --profile")]
    [InlineData(new[] { "--runs" }, "--runs needs a value")]
    [InlineData(new[] { "--latency", "often" }, "--latency steady|bursts")]
    public void A_bad_command_line_is_a_usage_error_with_its_reason(string[] args, string reason)
    {
        var e = Assert.Throws<ArgumentException>(() => BenchOptions.Parse(args));
        Assert.Equal(reason, e.Message);
    }
}
