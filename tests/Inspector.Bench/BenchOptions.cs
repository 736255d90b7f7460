namespace Inspector.Bench;

/// <summary>Command-line knobs shared by the benchmarks.</summary>
internal sealed record BenchOptions
{
    /// <summary>Seconds each throughput measurement runs.</summary>
    public double Seconds { get; init; } = 3;

    /// <summary>Tiny sizes: proves the benchmark still runs (CI), measures nothing.</summary>
    public bool Smoke { get; init; }

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (int i = 0; i < args.Length; i++)
        {
            o = args[i] switch
            {
                "--seconds" => o with { Seconds = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture) },
                "--smoke" => o with { Smoke = true, Seconds = 0.3 },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return o;
    }
}
