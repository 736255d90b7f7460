using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace Inspector.MicroBench;

/// <summary>The configuration every run uses (and the smoke tests validate).</summary>
public static class MicroBenchConfig
{
    /// <summary>
    /// BenchmarkDotNet's defaults plus the median and the minimum: on a shared, busy machine
    /// other processes only ever add time, so those two move less than the mean between runs.
    /// </summary>
    public static IConfig Create() => DefaultConfig.Instance.AddColumn(StatisticColumn.Median, StatisticColumn.Min);
}
