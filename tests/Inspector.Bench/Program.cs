using Inspector.Bench;

// inspector-bench relay [--seconds N] [--rounds N] [--smoke]: throughput and latency direct, through socat and through inspector proxy, in interleaved rounds.
// inspector-bench echo: the relay benchmark's echo server as a process of its own (prints "listening PORT", runs until stdin closes).
// inspector-bench generate --kind bulk|control --size-mb N --out F.pcapng [--seed N]: a realistic capture of that size.
// inspector-bench read [--file F ...] [--size-mb N] [--runs N] [--inspector PATH] [--smoke]: tcpdump, tshark and inspector read on the same files.
string command = args.Length > 0 ? args[0] : "help";
BenchOptions options;
try
{
    options = BenchOptions.Parse(args.Skip(1).ToArray());
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"inspector-bench: {e.Message}");
    return Usage();
}
switch (command)
{
    case "relay":
        return await RelayBenchmark.RunAsync(options, Console.Out);
    case "echo":
        return EchoServer.Run(Console.Out);
    case "generate":
        return ReadBenchmark.Generate(options, Console.Out);
    case "read":
        return await ReadBenchmark.RunAsync(options, Console.Out);
    default:
        return Usage();
}

static int Usage()
{
    Console.Error.WriteLine("usage: inspector-bench relay [--seconds N] [--rounds N] [--relays A,B] [--latency-only] [--latency steady|bursts] [--echo process|thread] [--smoke]");
    Console.Error.WriteLine("       inspector-bench generate --kind bulk|control --size-mb N --out F.pcapng [--seed N]");
    Console.Error.WriteLine("       inspector-bench read [--file F ...] [--size-mb N] [--runs N] [--inspector PATH] [--smoke]");
    return 2;
}
