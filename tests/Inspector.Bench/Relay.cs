using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Inspector.Bench;

/// <summary>A relay under test in front of one target: none (direct), socat, or inspector proxy, each its own process.</summary>
internal sealed class Relay : IDisposable
{
    private readonly Process? process;

    private Relay(string name, IPEndPoint endpoint, Process? process)
    {
        Name = name;
        Endpoint = endpoint;
        this.process = process;
    }

    public string Name { get; }

    /// <summary>Where clients connect.</summary>
    public IPEndPoint Endpoint { get; }

    public int? ProcessId => process?.Id;

    public static IReadOnlyList<string> Kinds => ["direct", "socat", "socat -b 131072", "inspector proxy"];

    /// <summary>
    /// A relay kind naming another build of Inspector, measured beside the one built with the
    /// benchmark: "inspector proxy=PATH/inspector.dll" (to compare a change with what it changes).
    /// </summary>
    public const string OtherInspector = "inspector proxy=";

    public static Relay Start(string kind, IPEndPoint target)
    {
        if (kind == "direct") return new Relay(kind, target, null);
        int port = FreePort();
        ProcessStartInfo psi = kind switch
        {
            "socat" => Psi("socat", $"TCP-LISTEN:{port},bind=127.0.0.1,fork,reuseaddr,backlog=4096", $"TCP:{target}"),
            "socat -b 131072" => Psi("socat", "-b", "131072", $"TCP-LISTEN:{port},bind=127.0.0.1,fork,reuseaddr,backlog=4096", $"TCP:{target}"),
            _ when kind == "inspector proxy" || kind.StartsWith(OtherInspector, StringComparison.Ordinal) => Psi("dotnet",
                kind == "inspector proxy" ? InspectorDll : Path.GetFullPath(kind[OtherInspector.Length..]),
                "proxy", "--listen", $"127.0.0.1:{port}", "--upstream", target.ToString(), "--findings-only", "--max-sessions", "100000"),
            _ => throw new ArgumentException($"unknown relay {kind}"),
        };
        Process p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        var relay = new Relay(kind, endpoint, p);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            try
            {
                // A probe connection: socat forks for it, inspector relays and closes it.
                using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
                probe.Connect(endpoint);
                return relay;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        relay.Dispose();
        throw new TimeoutException($"{kind} did not listen on {endpoint}");
    }

    /// <summary>Resident memory of the relay process (the sum over socat's forked children).</summary>
    public long ResidentBytes()
    {
        if (process is null) return 0;
        long total = ProcStatus.Rss(process.Id);
        foreach (int child in ProcStatus.Children(process.Id)) total += ProcStatus.Rss(child);
        return total;
    }

    public void Dispose()
    {
        if (process is null) return;
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
    }

    private static string InspectorDll => Path.Combine(AppContext.BaseDirectory, "inspector.dll");

    private static ProcessStartInfo Psi(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    private static int FreePort()
    {
        using var l = new Socket(SocketType.Stream, ProtocolType.Tcp);
        l.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)l.LocalEndPoint!).Port;
    }
}

/// <summary>/proc readings for memory figures.</summary>
internal static class ProcStatus
{
    public static long Rss(int pid) => Field(pid, "VmRSS:");

    public static long PeakRss(int pid) => Field(pid, "VmHWM:");

    public static IEnumerable<int> Children(int pid)
    {
        string path = $"/proc/{pid}/task/{pid}/children";
        if (!File.Exists(path)) return [];
        return File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse);
    }

    private static long Field(int pid, string name)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(name, StringComparison.Ordinal))
                    return long.Parse(line[name.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }
}

/// <summary>One relay of each kind in front of the same target, all running at once (for interleaved rounds).</summary>
internal sealed class RelaySet : IDisposable
{
    private readonly Dictionary<string, Relay> relays = [];

    private RelaySet()
    {
    }

    public static RelaySet Start(IEnumerable<string> kinds, IPEndPoint target)
    {
        var set = new RelaySet();
        try
        {
            foreach (string kind in kinds) set.relays[kind] = Relay.Start(kind, target);
            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    /// <summary>Where a client connects to go through the relay of this kind.</summary>
    public IPEndPoint this[string kind] => relays[kind].Endpoint;

    public void Dispose()
    {
        foreach (Relay relay in relays.Values) relay.Dispose();
    }
}
