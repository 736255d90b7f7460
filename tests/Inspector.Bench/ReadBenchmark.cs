using System.Diagnostics;
using System.Globalization;
using Inspector.Bench.Generate;

namespace Inspector.Bench;

/// <summary>
/// `inspector read` throughput against a floor and an anchor, on the same files in one run:
/// tcpdump -r F -w /dev/null (reads and writes every packet, decodes nothing), ssldump -n -r F
/// (a C tool that reassembles TCP and decodes TLS records and handshakes, the issue's bar to
/// beat), tshark with an FTP/TLS filter and three fields (full dissection), and
/// inspector read F --json &gt; /dev/null.
/// Each tool runs a few times per file; the table shows the median wall time, MB/s, packets/s,
/// user+sys CPU time (GNU time; steadier than wall time on a busy machine), the peak resident
/// set (GNU time %M, else /proc VmHWM polled) and the ratios.
/// </summary>
internal static class ReadBenchmark
{
    public static IReadOnlyList<string> Tools => ["tcpdump", "ssldump", "tshark", "inspector"];

    public static int Generate(BenchOptions options, TextWriter output)
    {
        if (options.Out is null) throw new ArgumentException("generate needs --out FILE");
        var clock = Stopwatch.StartNew();
        var result = new CaptureGenerator(CaptureGenerator.ParseKind(options.Kind), (long)(options.SizeMb * 1048576), options.Seed).Write(options.Out);
        output.WriteLine(result);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"written in {clock.Elapsed.TotalSeconds:0.0} s"));
        return 0;
    }

    public static async Task<int> RunAsync(BenchOptions options, TextWriter output)
    {
        var files = options.Files.ToList();
        string? temp = null;
        try
        {
            if (files.Count == 0)
            {
                temp = Directory.CreateTempSubdirectory("inspector-bench-read-").FullName;
                foreach (string kind in new[] { "bulk", "control" })
                {
                    string path = Path.Combine(temp, $"{kind}-{options.SizeMb.ToString(CultureInfo.InvariantCulture)}mb.pcapng");
                    Generate(options with { Kind = kind, Out = path }, output);
                    files.Add(path);
                }
            }
            var rows = new List<string[]>();
            var inspectorRuns = new List<(string Kind, double Mb, long Packets, Dictionary<string, Timing> Medians)>();
            foreach (string file in files)
            {
                GeneratedCapture? info = GeneratedCapture.ReadSidecar(file);
                long bytes = new FileInfo(file).Length;
                long packets = info?.Packets ?? await CountPacketsAsync(file);
                string kind = info?.Kind ?? "?";
                var medians = new Dictionary<string, Timing>();
                var runs = new List<(string Tool, List<Timing> Times)>();
                foreach (string tool in Tools)
                {
                    if (Installed(tool == "inspector" ? "dotnet" : tool)) runs.Add((tool, []));
                    else rows.Add([Path.GetFileName(file), kind, tool, "not installed", "-", "-", "-", "-", "-", "-", "-", "-"]);
                }
                // Round by round, every tool once a round: this machine's speed moves by a third
                // between minutes, and a tool measured three times in a row could meet a slow
                // spell that the next one missed.
                for (int r = 0; r < Math.Max(1, options.Runs); r++)
                {
                    foreach ((string tool, List<Timing> times) in runs) times.Add(await MeasureAsync(tool, file, options.Inspector));
                }
                foreach ((string tool, List<Timing> times) in runs)
                {
                    times.Sort((a, b) => a.Seconds.CompareTo(b.Seconds));
                    medians[tool] = new(times[times.Count / 2].Seconds, times.Select(x => x.Cpu).Order().ElementAt(times.Count / 2), times.Max(x => x.PeakMb));
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {Path.GetFileName(file)} {tool}: wall {string.Join(" ", times.Select(x => x.Seconds.ToString("0.00", CultureInfo.InvariantCulture)))} s, cpu {string.Join(" ", times.Select(x => x.Cpu.ToString("0.00", CultureInfo.InvariantCulture)))} s"));
                }
                foreach (string tool in Tools)
                {
                    if (!medians.TryGetValue(tool, out var m)) continue;
                    string vsTshark = medians.TryGetValue("tshark", out Timing? t) ? Ratios(t, m) : "-";
                    string vsSsldump = medians.TryGetValue("ssldump", out Timing? sd) ? Ratios(sd, m) : "-";
                    string vsTcpdump = medians.TryGetValue("tcpdump", out Timing? d) ? Ratios(m, d) : "-";
                    rows.Add([
                        Path.GetFileName(file), kind, tool,
                        F(bytes / 1048576.0, "0"), F(packets / 1000.0, "0"),
                        F(m.Seconds, "0.00") + " / " + F(m.Cpu, "0.00"),
                        F(bytes / 1048576.0 / m.Seconds, "0") + " / " + F(bytes / 1048576.0 / m.Cpu, "0"),
                        F(packets / 1000.0 / m.Seconds, "0") + " / " + F(packets / 1000.0 / m.Cpu, "0"),
                        F(m.PeakMb, "0"), vsTshark, vsSsldump, vsTcpdump,
                    ]);
                    if (tool == "inspector") inspectorRuns.Add((kind, bytes / 1048576.0, packets, medians));
                }
            }
            output.WriteLine();
            output.WriteLine($"inspector read throughput, {Environment.ProcessorCount} cores, median of {Math.Max(1, options.Runs)} run(s){(options.Smoke ? " (SMOKE: sizes too small to mean anything)" : "")}:");
            output.WriteLine($"inspector measured: {string.Join(' ', CommandLine("inspector", "F", options.Inspector)[..^3])}");
            output.WriteLine("(wall / cpu: wall-clock time and user+sys CPU time; on a busy machine the CPU figures are the steadier ones)");
            Table.Write(output, ["file", "kind", "tool", "MB", "kpkt", "s wall / cpu", "MB/s wall / cpu", "kpkt/s wall / cpu", "peak RSS MB",
                "x faster than tshark wall / cpu", "x faster than ssldump wall / cpu", "x tcpdump's time wall / cpu"], rows);
            output.WriteLine();
            foreach (var (kind, mb, packets, medians) in inspectorRuns) output.WriteLine(TargetLine(kind, mb, packets, medians));
            return 0;
        }
        finally
        {
            if (temp is not null) Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>A tool's median wall and CPU seconds and its peak resident set.</summary>
    internal sealed record Timing(double Seconds, double Cpu, double PeakMb);

    /// <summary>How many times less time <paramref name="fast"/> took than <paramref name="slow"/>, wall / cpu.</summary>
    private static string Ratios(Timing slow, Timing fast) => Ratio(slow.Seconds / fast.Seconds) + " / " + Ratio(slow.Cpu / fast.Cpu);

    /// <summary>The size from which the bulk target applies: the issue's "generated 1 GB file" (1,024 MB, give or take the generator's rounding).</summary>
    internal const double BulkTargetMb = 1000;

    /// <summary>Inspector's figures on one file against the issue's targets (#8) for its kind.</summary>
    internal static string TargetLine(string kind, double mb, long packets, Dictionary<string, Timing> medians)
    {
        Timing m = medians["inspector"];
        double tsharkWall = medians.TryGetValue("tshark", out Timing? t) ? t.Seconds / m.Seconds : double.NaN;
        double tsharkCpu = t is null ? double.NaN : t.Cpu / m.Cpu;
        double kpps = packets / 1000.0 / m.Seconds, kppsCpu = packets / 1000.0 / m.Cpu;
        string target = kind switch
        {
            // The issue sets 30x for the 1 GB capture; on a smaller file tshark's start-up weighs more.
            "bulk" when mb < BulkTargetMb => $"bulk {mb:0} MB: {tsharkWall:0.0}x tshark wall, {tsharkCpu:0.0}x cpu (the 30x target is for a 1 GB file)",
            "bulk" => $"bulk {mb:0} MB: {tsharkWall:0.0}x tshark wall, {tsharkCpu:0.0}x cpu (target >= 30x: {(tsharkWall >= 30 ? "met" : "MISSED")})",
            "control" => $"control {mb:0} MB: {kpps:0} kpkt/s wall, {kppsCpu:0} cpu (target >= 500: {(kpps >= 500 ? "met" : "MISSED")})",
            _ => $"{kind} {mb:0} MB",
        };
        // The issue asks Inspector to beat ssldump on both kinds; wall and CPU time both.
        string vsSsldump = !medians.TryGetValue("ssldump", out Timing? s) ? "ssldump not installed"
            : $"{s.Seconds / m.Seconds:0.0}x ssldump wall, {s.Cpu / m.Cpu:0.0}x cpu (target > 1x: {(s.Seconds > m.Seconds && s.Cpu > m.Cpu ? "met" : "MISSED")})";
        return FormattableString.Invariant($"  {target}; {vsSsldump}; peak RSS {m.PeakMb:0} MB (target < 160: {(m.PeakMb < 160 ? "met" : "MISSED")})");
    }

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    private static string Ratio(double v) => v.ToString(v >= 10 ? "0" : "0.0", CultureInfo.InvariantCulture) + "x";

    private static string InspectorDll => Path.Combine(AppContext.BaseDirectory, "inspector.dll");

    /// <summary>The command of one tool; <paramref name="inspector"/> is another build of Inspector (an executable or a .dll), the bundled one when null.</summary>
    public static string[] CommandLine(string tool, string file, string? inspector = null) => tool switch
    {
        "inspector" when inspector is not null => inspector.EndsWith(".dll", StringComparison.Ordinal)
            ? ["dotnet", inspector, "read", file, "--json"]
            : [inspector, "read", file, "--json"],
        "tcpdump" => ["tcpdump", "-r", file, "-w", "/dev/null"],
        "ssldump" => ["ssldump", "-n", "-r", file],
        "tshark" => ["tshark", "-r", file, "-Y", "ftp || tls", "-T", "fields", "-e", "ftp.request.command", "-e", "ftp.response.code", "-e", "tls.record.content_type"],
        "inspector" => ["dotnet", InspectorDll, "read", file, "--json"],
        _ => throw new ArgumentException(tool),
    };

    /// <summary>
    /// One run, standard output to /dev/null: wall seconds and peak RSS in MB. The tool is
    /// exec'd by bash under GNU time, so %M is the tool's own high-water mark.
    /// </summary>
    private static async Task<Timing> MeasureAsync(string tool, string file, string? inspector)
    {
        string[] command = CommandLine(tool, file, inspector);
        string timeOut = Path.GetTempFileName();
        string errOut = Path.GetTempFileName();
        bool gnuTime = File.Exists("/usr/bin/time");
        var psi = new ProcessStartInfo(gnuTime ? "/usr/bin/time" : "bash") { UseShellExecute = false };
        if (gnuTime)
        {
            foreach (string a in new[] { "-f", "%M %U %S", "-o", timeOut, "bash" }) psi.ArgumentList.Add(a);
        }
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"exec \"$0\" \"$@\" > /dev/null 2> '{errOut}'");
        foreach (string a in command) psi.ArgumentList.Add(a);
        try
        {
            var clock = Stopwatch.StartNew();
            using Process p = Process.Start(psi)!;
            long polled = 0;
            while (!p.HasExited)
            {
                if (!gnuTime) polled = Math.Max(polled, ProcStatus.PeakRss(p.Id));
                await Task.Delay(gnuTime ? 20 : 5);
            }
            await p.WaitForExitAsync();
            double seconds = clock.Elapsed.TotalSeconds;
            // inspector exits 1 when it found an error-level finding; 2 is a failure, as is any non-zero for the others.
            bool failed = tool == "inspector" ? p.ExitCode >= 2 : p.ExitCode != 0;
            if (failed) throw new InvalidOperationException($"{string.Join(' ', command)} exited {p.ExitCode}: {File.ReadAllText(errOut).Trim()}");
            if (!gnuTime) return new(seconds, double.NaN, polled / 1048576.0);
            string[] f = File.ReadAllLines(timeOut).Last(l => l.Trim().Length > 0).Trim().Split(' ');
            double cpu = double.Parse(f[1], CultureInfo.InvariantCulture) + double.Parse(f[2], CultureInfo.InvariantCulture);
            return new(seconds, Math.Max(cpu, 0.01), long.Parse(f[0], CultureInfo.InvariantCulture) / 1024.0); // %U and %S count in hundredths
        }
        finally
        {
            File.Delete(timeOut);
            File.Delete(errOut);
        }
    }

    private static bool Installed(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, program)));

    /// <summary>Packets in a file that was not generated here (no FILE.json beside it): capinfos, else tcpdump.</summary>
    private static async Task<long> CountPacketsAsync(string file)
    {
        var psi = new ProcessStartInfo("capinfos", ["-M", "-c", "-T", "-r", file]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using Process p = Process.Start(psi)!;
        string text = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        string last = text.Trim().Split('\n').Last();
        return long.Parse(last.Split('\t').Last().Trim(), CultureInfo.InvariantCulture);
    }
}
