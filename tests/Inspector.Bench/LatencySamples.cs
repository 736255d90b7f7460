namespace Inspector.Bench;

/// <summary>Percentiles of round trips, in microseconds.</summary>
internal sealed record LatencyPercentiles(double P50, double P99, double P999)
{
    public static LatencyPercentiles Of(IEnumerable<double> samples)
    {
        double[] sorted = [.. samples.Order()];
        if (sorted.Length == 0) throw new ArgumentException("no round trips", nameof(samples));
        return new(Percentile(sorted, 0.50), Percentile(sorted, 0.99), Percentile(sorted, 0.999));
    }

    /// <summary>The sample below which the fraction <paramref name="p"/> of them lie (nearest rank).</summary>
    internal static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}

/// <summary>A relay's latency: over all its round trips, and each round's own, in the order of the rounds.</summary>
internal sealed record RelayLatency(LatencyPercentiles All, IReadOnlyList<LatencyPercentiles> Rounds);

/// <summary>
/// Round trips per relay as the rounds measure them: pooled for the overall percentiles, and
/// each round's percentiles kept apart so that two relays can be compared round by round.
/// </summary>
internal sealed class LatencySamples(string[] kinds)
{
    private readonly List<double>[] all = [.. kinds.Select(_ => new List<double>())];
    private readonly List<LatencyPercentiles>[] rounds = [.. kinds.Select(_ => new List<LatencyPercentiles>())];

    /// <summary>One round's round trips through the relay <paramref name="kind"/>.</summary>
    public void Add(string kind, List<double> round)
    {
        int i = Array.IndexOf(kinds, kind);
        all[i].AddRange(round);
        rounds[i].Add(LatencyPercentiles.Of(round));
    }

    /// <summary>Each relay's latency, in the order of the kinds given.</summary>
    public RelayLatency[] Results() => [.. kinds.Select((_, i) => new RelayLatency(LatencyPercentiles.Of(all[i]), rounds[i]))];
}
