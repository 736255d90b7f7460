namespace Inspector.Bench;

/// <summary>Command-line knobs shared by the benchmarks.</summary>
internal sealed record BenchOptions
{
    /// <summary>Seconds each throughput measurement runs.</summary>
    public double Seconds { get; init; } = 3;

    /// <summary>Tiny sizes: proves the benchmark still runs (CI), measures nothing.</summary>
    public bool Smoke { get; init; }

    /// <summary>generate: bulk or control.</summary>
    public string Kind { get; init; } = "bulk";

    /// <summary>generate: the file's size; read: the size of the files it generates when none are given.</summary>
    public double SizeMb { get; init; } = 100;

    /// <summary>generate: where to write.</summary>
    public string? Out { get; init; }

    /// <summary>generate: the same seed gives the same file.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>read: capture files to measure (generated ones when empty).</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>read: runs of each tool per file; the median is reported.</summary>
    public int Runs { get; init; } = 3;

    /// <summary>read: the Inspector to measure, e.g. a published ReadyToRun build; the one built beside the benchmark when null.</summary>
    public string? Inspector { get; init; }

    /// <summary>relay: interleaved rounds; each relay's figure is the median over them.</summary>
    public int Rounds { get; init; } = 5;

    /// <summary>Only these relays (relay benchmark), e.g. "socat -b 131072,inspector proxy"; all when empty.</summary>
    public IReadOnlyList<string> Relays { get; init; } = [];

    /// <summary>relay: only the ping-pong latency (to compare builds or settings quickly).</summary>
    public bool LatencyOnly { get; init; }

    /// <summary>
    /// relay: how the ping-pong runs. "steady": a new connection per slot, warmed up, then a
    /// steady exchange for the slot. "bursts": one connection per relay for the whole run, in
    /// short bursts with pauses of some 150 ms between them (see RelayBenchmark).
    /// </summary>
    public string Latency { get; init; } = "steady";

    /// <summary>
    /// relay: where the ping-pong's echo runs. "process": a program of its own, as a server is
    /// (EchoServer). "thread": a thread of the benchmark, beside the measuring client.
    /// </summary>
    public string Echo { get; init; } = "process";

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (int i = 0; i < args.Length; i++)
        {
            o = args[i] switch
            {
                "--seconds" => o with { Seconds = double.Parse(Next(args, ref i), System.Globalization.CultureInfo.InvariantCulture) },
                "--relays" => o with { Relays = Next(args, ref i).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) },
                "--smoke" => o with { Smoke = true, Seconds = 1, SizeMb = 2, Runs = 1, Rounds = 1 },
                "--latency" => o with { Latency = Next(args, ref i) is "steady" or "bursts" ? args[i] : throw new ArgumentException("--latency steady|bursts") },
                "--echo" => o with { Echo = Next(args, ref i) is "process" or "thread" ? args[i] : throw new ArgumentException("--echo process|thread") },
                "--latency-only" => o with { LatencyOnly = true },
                "--rounds" => o with { Rounds = int.Parse(Next(args, ref i), System.Globalization.CultureInfo.InvariantCulture) },
                "--kind" => o with { Kind = Next(args, ref i) },
                "--size-mb" => o with { SizeMb = double.Parse(Next(args, ref i), System.Globalization.CultureInfo.InvariantCulture) },
                "--out" => o with { Out = Next(args, ref i) },
                "--seed" => o with { Seed = int.Parse(Next(args, ref i), System.Globalization.CultureInfo.InvariantCulture) },
                "--file" => o with { Files = [.. o.Files, Next(args, ref i)] },
                "--inspector" => o with { Inspector = Path.GetFullPath(Next(args, ref i)) },
                "--runs" => o with { Runs = int.Parse(Next(args, ref i), System.Globalization.CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return o;
    }

    /// <summary>The value after an option; a missing one is a usage error, not an index out of range.</summary>
    private static string Next(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value");
}
