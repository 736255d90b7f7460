namespace Inspector.Bench.Tests;

public sealed class PairedDifferenceTests
{
    [Theory]
    // The sign test's tables: the k-th smallest and k-th largest of n bound a 95% interval.
    [InlineData(5, 0)]
    [InlineData(6, 1)]
    [InlineData(12, 3)]
    [InlineData(20, 6)]
    [InlineData(100, 40)]
    public void Confidence_rank_matches_the_sign_test_tables(int n, int k) => Assert.Equal(k, PairedDifference.ConfidenceRank(n));

    [Fact]
    public void Confidence_rank_holds_for_many_rounds_where_2_to_the_minus_n_underflows()
    {
        // Normal approximation: n/2 − 1.96·√n/2 ≈ 956 for n = 2000.
        int k = PairedDifference.ConfidenceRank(2000);
        Assert.InRange(k, 950, 960);
    }

    [Fact]
    public void Median_and_interval_come_from_the_sorted_differences()
    {
        double[] differences = [5, -3, 2, 8, -1, 0, 4, 7, -6, 1, 3, 6];
        PairedDifference d = PairedDifference.Of(differences);
        // Sorted: -6 -3 -1 0 1 2 3 4 5 6 7 8; the interval is the 3rd and the 10th.
        Assert.Equal(2.5, d.Median);
        Assert.Equal(-1, d.Low);
        Assert.Equal(6, d.High);
        Assert.Equal(12, d.Pairs);
        Assert.Equal("no difference shown", d.Verdict);
        Assert.Equal("+2.5 µs (95% CI -1.0 to +6.0, 12 rounds)", d.ToString());
    }

    [Fact]
    public void An_interval_wholly_on_one_side_of_zero_is_a_difference()
    {
        Assert.Equal("lower", PairedDifference.Of([-9, -8, -7, -6, -5, -4.5, -4, -3, -2, -1, -0.5, 1]).Verdict);
        Assert.Equal("higher", PairedDifference.Of([9, 8, 7, 6, 5, 4.5, 4, 3, 2, 1, 0.5, -1]).Verdict);
        // A median below zero is not enough when the interval reaches above it (-5 to +2 here).
        PairedDifference straddling = PairedDifference.Of([-7, -6, -5, -4, -3, -2, -1, -0.5, 1, 2, 3, 4]);
        Assert.Equal(-1.5, straddling.Median);
        Assert.Equal("no difference shown", straddling.Verdict);
    }

    [Fact]
    public void Too_few_rounds_give_a_median_and_no_interval()
    {
        PairedDifference d = PairedDifference.Of([4, -2, 1]);
        Assert.Equal(1, d.Median);
        Assert.Null(d.Low);
        Assert.Equal("no difference shown", d.Verdict);
        Assert.Equal("+1.0 µs (3 rounds, too few for an interval)", d.ToString());
        Assert.Throws<ArgumentException>(() => PairedDifference.Of([]));
    }
}
