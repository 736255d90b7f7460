using System.Globalization;

namespace Inspector.Bench;

/// <summary>
/// How two relays compare when measured in the same rounds: the median of the per-round
/// differences (A's figure less B's) and a 95% confidence interval for it that assumes nothing
/// about how the differences are spread (the sign test's order statistics). A machine's noise
/// moves both relays of a round alike, so pairing by round cancels much of it, and the interval
/// says whether the rounds show a difference at all.
/// </summary>
internal readonly record struct PairedDifference(double Median, double? Low, double? High, int Pairs)
{
    public static PairedDifference Of(IReadOnlyCollection<double> differences)
    {
        if (differences.Count == 0) throw new ArgumentException("no differences", nameof(differences));
        double[] sorted = [.. differences.Order()];
        int n = sorted.Length;
        double median = RelayBenchmark.Median(sorted);
        int k = ConfidenceRank(n);
        return k == 0 ? new(median, null, null, n) : new(median, sorted[k - 1], sorted[n - k], n);
    }

    /// <summary>
    /// The rank k (1-based) such that the k-th smallest and k-th largest of n differences bound a
    /// confidence interval of at least 95% for their median: the largest k with
    /// P(Binomial(n, 1/2) ≤ k−1) ≤ 2.5%. 0 when n is too small (under 6) for any such interval.
    /// </summary>
    internal static int ConfidenceRank(int n)
    {
        // Cumulative binomial probabilities in log space, so that 2^-n does not underflow.
        double logTerm = -n * Math.Log(2), cumulative = 0;
        int k = 0;
        for (int i = 0; i < n; i++)
        {
            cumulative += Math.Exp(logTerm);
            if (cumulative > 0.025) break;
            k = i + 1;
            logTerm += Math.Log(n - i) - Math.Log(i + 1);
        }
        return k;
    }

    /// <summary>"lower", "higher" or "no difference shown": where the interval lies against zero.</summary>
    public string Verdict => High < 0 ? "lower" : Low > 0 ? "higher" : "no difference shown";

    public override string ToString() => Low is null
        ? $"{Signed(Median)} µs ({Pairs} rounds, too few for an interval)"
        : $"{Signed(Median)} µs (95% CI {Signed(Low.Value)} to {Signed(High!.Value)}, {Pairs} rounds)";

    private static string Signed(double value) => value.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture);
}
