using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Inspector.Bench;

/// <summary>
/// The ping-pong's far end as a program of its own (<c>inspector-bench echo</c>): an FTP client
/// and its server are never one process, and where the two share one (the echo a thread of the
/// measuring process) the relays rank differently: on a 2-core VM a single-threaded relay
/// (socat) gained some 15-30 µs per round trip against a two-threaded one, and a C client with
/// a C echo ranked them as separate .NET processes do (README, Performance).
/// </summary>
internal static class EchoServer
{
    /// <summary>
    /// Listens on 127.0.0.1 (any free port), writes "listening PORT", then echoes each connection
    /// on a thread of its own that blocks in receive and send, until standard input closes (the
    /// benchmark that started it is gone).
    /// </summary>
    public static int Run(TextWriter output)
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4096);
        output.WriteLine($"listening {((IPEndPoint)listener.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture)}");
        output.Flush();
        new Thread(() => AcceptAll(listener)) { IsBackground = true, Name = "echo accept" }.Start();
        while (Console.In.ReadLine() is not null)
        {
        }
        return 0;
    }

    private static void AcceptAll(Socket listener)
    {
        while (true)
        {
            Socket s;
            try
            {
                s = listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            s.NoDelay = true;
            new Thread(() => Echo(s)) { IsBackground = true, Name = "echo" }.Start();
        }
    }

    /// <summary>Sends back what it receives, as <see cref="LoopbackServers"/>' in-process echo does.</summary>
    internal static void Echo(Socket s)
    {
        using (s)
        {
            byte[] buffer = new byte[64 * 1024];
            try
            {
                int n;
                while ((n = s.Receive(buffer)) > 0) s.Send(buffer, 0, n, SocketFlags.None);
            }
            catch (SocketException)
            {
                // The client went away mid-exchange: the echo has nothing to say about it.
            }
        }
    }
}

/// <summary>An <see cref="EchoServer"/> in a child process, for as long as this object lives.</summary>
internal sealed class EchoProcess : IDisposable
{
    private readonly Process process;

    public EchoProcess()
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add(typeof(EchoServer).Assembly.Location);
        psi.ArgumentList.Add("echo");
        process = Process.Start(psi)!;
        string? line = process.StandardOutput.ReadLine();
        if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
        {
            string error = process.StandardError.ReadToEnd();
            Dispose();
            throw new InvalidOperationException($"the echo process did not start: {line} {error}");
        }
        Endpoint = new IPEndPoint(IPAddress.Loopback, int.Parse(line["listening ".Length..], CultureInfo.InvariantCulture));
    }

    public IPEndPoint Endpoint { get; }

    internal int ProcessId => process.Id;

    public void Dispose()
    {
        try
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(5000)) process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            // Already gone.
        }
        process.Dispose();
    }
}
