using BenchmarkDotNet.Running;
using Inspector.MicroBench;

// dotnet run -c Release --project tests/Inspector.MicroBench -- --filter '*' [--job short] [--join]
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, MicroBenchConfig.Create());
