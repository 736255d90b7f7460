using SharpFuzz;

namespace Inspector.Fuzz;

/// <summary>
/// <c>Inspector.Fuzz TARGET</c> under afl-fuzz (SharpFuzz's in-process fork server) or
/// <c>Inspector.Fuzz TARGET FILE...</c> to run files once each (a crash reproduces with its stack).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || !FuzzTargets.Names.Contains(args[0]))
        {
            Console.Error.WriteLine("usage: Inspector.Fuzz ftp|tls|pcap [FILE...]   (INSPECTOR_FUZZ_ROUNDS=N: cut each file N ways; INSPECTOR_FUZZ_LIMITS=tight|default)");
            return 2;
        }
        string target = args[0];
        if (args.Length > 1)
        {
            // INSPECTOR_FUZZ_ROUNDS=N cuts each file N ways instead of one.
            if (int.TryParse(Environment.GetEnvironmentVariable("INSPECTOR_FUZZ_ROUNDS"), out int rounds) && rounds > 0) FuzzTargets.CutRounds = rounds;
            // INSPECTOR_FUZZ_LIMITS=tight|default runs every file with those analyzer limits.
            string? limits = Environment.GetEnvironmentVariable("INSPECTOR_FUZZ_LIMITS");
            if (limits is "tight" or "default") FuzzTargets.ForceTightLimits = limits == "tight";
            foreach (string file in args.Skip(1))
            {
                Console.WriteLine(file);
                FuzzTargets.Run(target, File.ReadAllBytes(file));
            }
            return 0;
        }
        Fuzzer.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            FuzzTargets.Run(target, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        });
        return 0;
    }
}
