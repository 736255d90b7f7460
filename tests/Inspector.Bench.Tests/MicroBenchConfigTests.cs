using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Validators;
using Inspector.MicroBench;

namespace Inspector.Bench.Tests;

/// <summary>
/// BenchmarkDotNet accepts the micro-benchmarks as they are declared (parameters, setups,
/// memory diagnoser) under the project's configuration, checked the way it checks them before
/// a run but without running a job.
/// </summary>
public sealed class MicroBenchConfigTests
{
    /// <summary>The classes <see cref="MicroBenchSmokeTests"/> covers; a new one needs a smoke test too.</summary>
    private static readonly Type[] Smoked =
        [typeof(FtpLineBenchmarks), typeof(TlsRecordBenchmarks), typeof(ClientHelloBenchmarks), typeof(ConnectionAnalyzerBenchmarks)];

    [Fact]
    public void Every_benchmark_class_has_a_smoke_test()
    {
        Type[] declared = typeof(FtpLineBenchmarks).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            .ToArray();
        Assert.Equal(Smoked.Select(t => t.Name).Order(), declared.Select(t => t.Name).Order());
    }

    [Fact]
    public void Benchmarks_pass_benchmarkdotnet_validation()
    {
        // The tests are built in Debug; a real run is built in Release, where BenchmarkDotNet keeps this check on.
        IConfig config = MicroBenchConfig.Create().WithOptions(ConfigOptions.DisableOptimizationsValidator);
        int cases = 0;
        foreach (Type type in Smoked)
        {
            BenchmarkRunInfo run = BenchmarkConverter.TypeToBenchmarks(type, config);
            Assert.NotEmpty(run.BenchmarksCases);
            Assert.Contains(run.Config.GetDiagnosers(), d => d.GetType().Name == "MemoryDiagnoser");
            var parameters = new ValidationParameters(run.BenchmarksCases, run.Config);
            List<ValidationError> critical = run.Config.GetValidators()
                .SelectMany(v => v.Validate(parameters))
                .Where(e => e.IsCritical)
                .ToList();
            Assert.True(critical.Count == 0, string.Join("; ", critical.Select(e => e.Message)));
            cases += run.BenchmarksCases.Length;
        }
        // 2 chunkings; 2 sessions x 2 chunkings; 2 hellos; 3 sessions.
        Assert.Equal(11, cases);
    }
}
