namespace Inspector.Bench.Tests;

/// <summary>The relay benchmark still runs end to end (direct, socat, inspector proxy): a smoke run, no figures judged.</summary>
public sealed class RelayBenchmarkTests
{
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
