namespace Inspector.Bench.Tests;

/// <summary>The relay benchmark still runs end to end (direct, socat, inspector proxy): a smoke run, no figures judged.</summary>
public sealed class RelayBenchmarkTests
{
    [Fact(Timeout = 180_000)]
    public async Task Latency_in_bursts_smoke_prints_a_latency_per_relay()
    {
        var output = new StringWriter();
        int code = await RelayBenchmark.RunAsync(BenchOptions.Parse(["--smoke", "--latency-only", "--latency", "bursts"]), output);
        Assert.Equal(0, code);
        string text = output.ToString();
        Assert.Contains("bursts", text, StringComparison.Ordinal);
        foreach (string relay in Relay.Kinds)
        {
            string? row = text.Split('\n').FirstOrDefault(l => l.StartsWith($"| {relay} ", StringComparison.Ordinal));
            Assert.True(row is not null, $"no row for {relay} in:\n{text}");
            // p50 / p99 / p99.9, each a positive number of microseconds.
            string[] latency = row!.Split('|', StringSplitOptions.TrimEntries)[4].Split('/', StringSplitOptions.TrimEntries);
            Assert.All(latency, l => Assert.True(double.Parse(l, System.Globalization.CultureInfo.InvariantCulture) > 0, row));
        }
        // Each relay against socat -b 131072, round by round.
        Assert.Contains($"less {RelayBenchmark.LatencyPeer}'s in the same round", text, StringComparison.Ordinal);
        Assert.Contains("  inspector proxy: p50 ", text, StringComparison.Ordinal);
        Assert.Contains("  socat: p50 ", text, StringComparison.Ordinal);
    }

    [Fact(Timeout = 180_000)]
    public async Task Relay_benchmark_smoke_prints_a_row_per_relay()
    {
        var output = new StringWriter();
        int code = await RelayBenchmark.RunAsync(BenchOptions.Parse(["--smoke"]), output);
        string text = output.ToString();
        Assert.Equal(0, code);
        foreach (string relay in Relay.Kinds)
        {
            string? row = text.Split('\n').FirstOrDefault(l => l.StartsWith($"| {relay} ", StringComparison.Ordinal));
            Assert.True(row is not null, $"no row for {relay} in:\n{text}");
            // Every relay moved bytes: a throughput figure is positive. One of them may round to
            // 0.00 on a loaded machine (socat forks for each connection, and a smoke slot is short).
            string[] cells = row!.Split('|', StringSplitOptions.TrimEntries);
            double one = double.Parse(cells[2], System.Globalization.CultureInfo.InvariantCulture);
            double eight = double.Parse(cells[3], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(one > 0 || eight > 0, row);
        }
        Assert.Contains("SMOKE", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 3.0 }, 3.0)]
    [InlineData(new[] { 5.0, 1.0, 3.0 }, 3.0)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 2.5)]
    [InlineData(new[] { -2.0, 7.0 }, 2.5)]
    public void Median_of_the_rounds(double[] values, double median) => Assert.Equal(median, RelayBenchmark.Median(values));

    [Fact]
    public void Rounds_option_and_smoke_default()
    {
        Assert.Equal(5, BenchOptions.Parse([]).Rounds);
        Assert.Equal(8, BenchOptions.Parse(["--rounds", "8"]).Rounds);
        Assert.Equal(1, BenchOptions.Parse(["--smoke"]).Rounds);
    }

    [Fact]
    public void Latency_only_and_another_inspector_build_are_options()
    {
        Assert.False(BenchOptions.Parse([]).LatencyOnly);
        Assert.Equal("steady", BenchOptions.Parse([]).Latency);
        Assert.Equal("bursts", BenchOptions.Parse(["--latency", "bursts"]).Latency);
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--latency", "burst"]));
        Assert.True(BenchOptions.Parse(["--latency-only"]).LatencyOnly);
        Assert.Equal("process", BenchOptions.Parse([]).Echo);
        Assert.Equal("thread", BenchOptions.Parse(["--echo", "thread"]).Echo);
        Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["--echo", "inline"]));
        Assert.Equal(["socat -b 131072", "inspector proxy=/tmp/x/inspector.dll"],
            BenchOptions.Parse(["--relays", "socat -b 131072, inspector proxy=/tmp/x/inspector.dll"]).Relays);
    }

    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 100)]
    [InlineData(3, 90)]
    [InlineData(4, 60)]
    [InlineData(5, 45)]
    public void A_latency_slice_keeps_each_connection_waiting_under_200_ms(int relays, double slice)
    {
        TimeSpan s = RelayBenchmark.LatencySlice(relays);
        Assert.Equal(slice, s.TotalMilliseconds, 6);
        // Inspector hands a session quiet for 250 ms over to its asynchronous pumps.
        Assert.True(s * (relays - 1) < TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Percentiles_are_taken_from_the_sorted_samples()
    {
        double[] sorted = [.. Enumerable.Range(1, 1000).Select(i => (double)i)];
        Assert.Equal(501, LatencyPercentiles.Percentile(sorted, 0.50));
        Assert.Equal(991, LatencyPercentiles.Percentile(sorted, 0.99));
        Assert.Equal(1000, LatencyPercentiles.Percentile(sorted, 0.999));
        Assert.Equal(7, LatencyPercentiles.Percentile([7], 0.999));
    }

    [Fact]
    public void Each_round_measures_every_relay_once_in_an_order_that_varies_and_repeats_run_to_run()
    {
        string[] kinds = ["direct", "socat", "socat -b 131072", "inspector proxy"];
        var orders = Enumerable.Range(0, 12).Select(r => RelayBenchmark.RoundOrder(kinds, r)).ToList();
        foreach (string[] order in orders) Assert.Equal(kinds.Order(), order.Order());
        // No relay is always measured in the same place (after socat, say).
        foreach (string kind in kinds) Assert.True(orders.Select(o => Array.IndexOf(o, kind)).Distinct().Count() > 1, kind);
        Assert.Equal(orders[3], RelayBenchmark.RoundOrder(kinds, 3));
    }
}
