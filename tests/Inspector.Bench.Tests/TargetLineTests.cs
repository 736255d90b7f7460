using Inspector.Bench;

namespace Inspector.Bench.Tests;

/// <summary>The read benchmark's verdicts against issue #8's targets.</summary>
public class TargetLineTests
{
    private static Dictionary<string, ReadBenchmark.Timing> Medians(double inspector, double inspectorCpu, double tshark, double ssldump, double ssldumpCpu, double rss = 80) => new()
    {
        ["inspector"] = new(inspector, inspectorCpu, rss),
        ["tshark"] = new(tshark, tshark, 1000),
        ["ssldump"] = new(ssldump, ssldumpCpu, 10),
    };

    [Fact]
    public void The_30x_target_is_judged_on_a_1_GB_bulk_file_only()
    {
        string big = ReadBenchmark.TargetLine("bulk", 1034, 1_032_000, Medians(1.0, 1.1, 25.0, 8.0, 8.0));
        Assert.Contains("25.0x tshark wall", big);
        Assert.Contains("(target >= 30x: MISSED)", big);
        Assert.Contains("(target >= 30x: met)", ReadBenchmark.TargetLine("bulk", 1034, 1_032_000, Medians(0.7, 0.8, 22.0, 8.0, 8.0)));
        string small = ReadBenchmark.TargetLine("bulk", 104, 107_000, Medians(0.5, 0.5, 4.6, 0.8, 0.75));
        Assert.Contains("9.2x tshark wall", small);
        Assert.Contains("(the 30x target is for a 1 GB file)", small);
        Assert.DoesNotContain("30x: MISSED", small);
    }

    [Fact]
    public void Beating_ssldump_needs_both_wall_and_cpu_time()
    {
        Assert.Contains("(target > 1x: met)", ReadBenchmark.TargetLine("control", 104, 802_000, Medians(1.06, 1.40, 16, 1.45, 1.42)));
        Assert.Contains("(target > 1x: MISSED)", ReadBenchmark.TargetLine("control", 104, 802_000, Medians(1.06, 1.60, 16, 1.45, 1.42)));
        Assert.Contains("(target >= 500: met)", ReadBenchmark.TargetLine("control", 104, 802_000, Medians(1.06, 1.40, 16, 1.45, 1.42)));
        Assert.Contains("(target >= 500: MISSED)", ReadBenchmark.TargetLine("control", 104, 802_000, Medians(1.7, 1.80, 16, 1.45, 1.42)));
        Assert.Contains("(target < 160: MISSED)", ReadBenchmark.TargetLine("control", 104, 802_000, Medians(1.06, 1.40, 16, 1.45, 1.42, rss: 170)));
    }
}
