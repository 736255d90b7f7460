using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Inspector.Bench.Generate;

namespace Inspector.Bench.Tests;

/// <summary>
/// The capture generator writes files that tshark opens without an error and in which
/// inspector read finds every control session, with no TCP loss or overlap findings.
/// </summary>
public sealed class GeneratorTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("inspector-bench-tests-");

    public void Dispose() => dir.Delete(recursive: true);

    [Theory(Timeout = 180_000)]
    [InlineData("bulk", 3.0)]
    [InlineData("control", 1.0)]
    public async Task Generated_capture_is_read_cleanly_by_tshark_and_inspector(string kind, double sizeMb)
    {
        string path = Path.Combine(dir.FullName, $"{kind}.pcapng");
        GeneratedCapture g = new CaptureGenerator(CaptureGenerator.ParseKind(kind), (long)(sizeMb * 1048576), seed: 7).Write(path);
        Assert.InRange(g.Bytes, (long)(sizeMb * 1048576 * 0.8), (long)(sizeMb * 1048576 * 1.5));
        Assert.True(g.FtpsSessions > 0 && g.PlainSessions > 0, g.ToString());
        Assert.True(g.DataConnections >= g.ControlSessions, g.ToString());
        if (kind == "bulk") Assert.True(g.Retransmissions > 0 && g.Reordered > 0, g.ToString());

        // tshark: no error-level expert info once it reassembles out-of-order segments (4.0 does not by default).
        var tshark = await RunAsync("tshark", "-o", "tcp.reassemble_out_of_order:TRUE", "-r", path, "-q", "-z", "expert");
        Assert.Equal(0, tshark.ExitCode);
        Assert.DoesNotContain("Errors (", tshark.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Malformed", tshark.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("appears to", tshark.Stderr, StringComparison.Ordinal); // "appears to have been cut short", "appears to be damaged"

        // tshark sees every TLS handshake: a ClientHello on each FTPS control connection and FTPS data connection.
        var hellos = await RunAsync("tshark", "-o", "tcp.reassemble_out_of_order:TRUE", "-r", path, "-Y", "tls.handshake.type == 1", "-T", "fields", "-e", "frame.number");
        Assert.Equal(0, hellos.ExitCode);
        int helloCount = hellos.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.True(helloCount >= 2 * g.FtpsSessions, $"{helloCount} ClientHellos for {g}");

        var read = await RunAsync("dotnet", Path.Combine(AppContext.BaseDirectory, "inspector.dll"), "read", path, "--json");
        Assert.Equal(0, read.ExitCode);
        string[] lines = read.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var summary = JsonDocument.Parse(lines[^1]);
        Assert.Equal("summary", summary.RootElement.GetProperty("type").GetString());
        Assert.Equal(g.Packets, summary.RootElement.GetProperty("packets").GetInt64());
        Assert.Equal(g.ControlSessions, summary.RootElement.GetProperty("sessions").GetInt64());
        Assert.Equal(0, summary.RootElement.GetProperty("failed_sessions").GetInt64());
        Assert.Equal(0, summary.RootElement.GetProperty("errors").GetInt64());
        Assert.Equal(0, summary.RootElement.GetProperty("warnings").GetInt64());
        var findings = lines.Where(l => l.Contains("\"type\":\"finding\"", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("name").GetString()!).ToList();
        Assert.DoesNotContain(findings, n => n.StartsWith("tcp.", StringComparison.Ordinal));
        int ftpsSessions = lines.Count(l => l.Contains("\"type\":\"session\"", StringComparison.Ordinal) && l.Contains("\"protocol\":\"ftps-explicit\"", StringComparison.Ordinal));
        Assert.Equal(g.FtpsSessions, ftpsSessions);
    }

    [Fact(Timeout = 60_000)]
    public async Task Same_seed_gives_the_same_file()
    {
        await Task.Yield();
        string a = Path.Combine(dir.FullName, "a.pcapng"), b = Path.Combine(dir.FullName, "b.pcapng"), c = Path.Combine(dir.FullName, "c.pcapng");
        new CaptureGenerator(CaptureKind.Bulk, 1 << 20, seed: 3).Write(a);
        new CaptureGenerator(CaptureKind.Bulk, 1 << 20, seed: 3).Write(b);
        new CaptureGenerator(CaptureKind.Bulk, 1 << 20, seed: 4).Write(c);
        Assert.Equal(Hash(a), Hash(b));
        Assert.NotEqual(Hash(a), Hash(c));
    }

    [Fact(Timeout = 180_000)]
    public async Task Read_benchmark_smoke_prints_a_row_per_tool_and_file()
    {
        var output = new StringWriter();
        int code = await ReadBenchmark.RunAsync(BenchOptions.Parse(["--smoke"]), output);
        string text = output.ToString();
        Assert.Equal(0, code);
        foreach (string tool in ReadBenchmark.Tools)
        {
            int rows = text.Split('\n').Count(l => l.StartsWith("| ", StringComparison.Ordinal) && l.Contains($" | {tool} ", StringComparison.Ordinal));
            Assert.True(rows == 2, $"{rows} rows for {tool} (one per generated file) in:\n{text}");
        }
        Assert.Contains("SMOKE", text, StringComparison.Ordinal);
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync(), stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }
}
