using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Inspector.MicroBench -- --filter '*' [--job short]
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
