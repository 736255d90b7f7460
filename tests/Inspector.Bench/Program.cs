using Inspector.Bench;

// inspector-bench relay [--seconds N] [--smoke]: throughput and latency direct, through socat and through inspector proxy.
string command = args.Length > 0 ? args[0] : "help";
var options = BenchOptions.Parse(args.Skip(1).ToArray());
switch (command)
{
    case "relay":
        return await RelayBenchmark.RunAsync(options, Console.Out);
    default:
        Console.Error.WriteLine("usage: inspector-bench relay [--seconds N] [--smoke]");
        return 2;
}
