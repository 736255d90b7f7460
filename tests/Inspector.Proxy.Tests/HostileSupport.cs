using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Inspector.Proxy.Tests;

/// <summary>
/// Sizes of the hostile-peer and load tests: reduced by default (CI), full with
/// <c>INSPECTOR_FULL_LOAD=1</c>.
/// </summary>
internal static class LoadSize
{
    public static bool Full => Environment.GetEnvironmentVariable("INSPECTOR_FULL_LOAD") == "1";

    public static int Pick(int reduced, int full) => Full ? full : reduced;

    public static long Pick(long reduced, long full) => Full ? full : reduced;
}

internal static class Measure
{
    /// <summary>The managed heap after full blocking collections (what is still referenced).</summary>
    public static long SettledHeap()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    public static long WorkingSet()
    {
        using Process p = Process.GetCurrentProcess();
        p.Refresh();
        return p.WorkingSet64;
    }

    /// <summary>Waits (generously) until <paramref name="done"/> holds: peers finish on their own threads.</summary>
    public static async Task UntilAsync(Func<bool> done, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!done() && DateTime.UtcNow < deadline) await Task.Delay(10);
    }

    public static string Mb(long bytes) => $"{bytes / (1024.0 * 1024):0.0} MB";

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Max;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrlimit(int resource, out RLimit limit);

    [DllImport("libc", SetLastError = true)]
    private static extern int setrlimit(int resource, ref RLimit limit);

    /// <summary>Raises this process's open-file limit to at least <paramref name="wanted"/> where allowed (root may raise the hard limit).</summary>
    public static long RaiseFileLimit(ulong wanted)
    {
        const int RLIMIT_NOFILE = 7;
        if (!OperatingSystem.IsLinux()) return -1;
        if (getrlimit(RLIMIT_NOFILE, out RLimit now) != 0) return -1;
        if (now.Current >= wanted) return (long)now.Current;
        var raised = new RLimit { Current = wanted, Max = Math.Max(wanted, now.Max) };
        if (setrlimit(RLIMIT_NOFILE, ref raised) != 0)
        {
            raised = new RLimit { Current = now.Max, Max = now.Max };
            setrlimit(RLIMIT_NOFILE, ref raised);
        }
        getrlimit(RLIMIT_NOFILE, out now);
        return (long)now.Current;
    }
}

/// <summary>Bytes from a seed, produced a chunk at a time (no test holds a whole transfer in memory).</summary>
internal static class Bytes
{
    /// <summary>Fills <paramref name="chunk"/> with the next bytes of seed <paramref name="random"/>; <paramref name="noLf"/>: never a line feed.</summary>
    public static void Next(Random random, Span<byte> chunk, bool noLf = false)
    {
        random.NextBytes(chunk);
        if (!noLf) return;
        for (int i = 0; i < chunk.Length; i++) if (chunk[i] == (byte)'\n') chunk[i] = (byte)'x';
    }

    /// <summary>Sends <paramref name="length"/> bytes of the seed, returns their SHA-256.</summary>
    public static async Task<byte[]> SendAsync(Stream to, int seed, long length, bool noLf = false, Func<long, Task>? progress = null)
    {
        var random = new Random(seed);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] chunk = new byte[64 * 1024];
        long sent = 0;
        while (sent < length)
        {
            int n = (int)Math.Min(chunk.Length, length - sent);
            Next(random, chunk.AsSpan(0, n), noLf);
            hash.AppendData(chunk, 0, n);
            await to.WriteAsync(chunk.AsMemory(0, n));
            sent += n;
            if (progress is not null) await progress(sent);
        }
        await to.FlushAsync();
        return hash.GetHashAndReset();
    }

    /// <summary>The SHA-256 of <paramref name="length"/> bytes of the seed.</summary>
    public static byte[] Hash(int seed, long length, bool noLf = false) => Hash([], seed, length, noLf);

    /// <summary>The SHA-256 of <paramref name="prefix"/> followed by <paramref name="length"/> bytes of the seed.</summary>
    public static byte[] Hash(byte[] prefix, int seed, long length, bool noLf = false)
    {
        var random = new Random(seed);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(prefix);
        byte[] chunk = new byte[64 * 1024];
        for (long done = 0; done < length;)
        {
            int n = (int)Math.Min(chunk.Length, length - done);
            Next(random, chunk.AsSpan(0, n), noLf);
            hash.AppendData(chunk, 0, n);
            done += n;
        }
        return hash.GetHashAndReset();
    }

    /// <summary>Reads until the end of the stream (or <paramref name="limit"/> bytes); returns the count and SHA-256.</summary>
    public static async Task<(long Count, byte[] Hash)> ReadAsync(Stream from, long limit = long.MaxValue)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] chunk = new byte[64 * 1024];
        long count = 0;
        while (count < limit)
        {
            int n = await from.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit - count)));
            if (n == 0) break;
            hash.AppendData(chunk, 0, n);
            count += n;
        }
        return (count, hash.GetHashAndReset());
    }
}

/// <summary>
/// A small explicit-FTPS upstream for the hostile-peer tests. It greets with 220, then reads the
/// client's first ten bytes:
/// <list type="bullet">
/// <item><c>AUTH TLS\r\n</c>: 234, a TLS handshake (self-signed certificate), then inside TLS a
/// transfer both ways that the <see cref="NormalFtpsClient"/> verifies by SHA-256;</item>
/// <item><c>FLOOD    \n</c>: sends <see cref="FloodBytes"/> of seed 7 (counting in <see cref="FloodSent"/>), then half-closes;</item>
/// <item>anything else: counts and hashes everything the client sends, those ten bytes included,
/// until the end (<see cref="Sunk"/>).</item>
/// </list>
/// Hostile peers make its handlers fail; those failures are counted, never thrown.
/// </summary>
internal sealed class MiniFtpsServer : IAsyncDisposable
{
    private static readonly Lazy<X509Certificate2> Certificate = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=inspector-test", key, HashAlgorithmName.SHA256);
        using X509Certificate2 cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    });

    private readonly TestServer server;
    private long floodSent;
    private int failures;
    private int tlsSessions;

    public MiniFtpsServer()
    {
        server = new TestServer(HandleAsync);
    }

    public IPEndPoint Endpoint => server.Endpoint;

    public long FloodBytes { get; init; }

    public long FloodSent => Interlocked.Read(ref floodSent);

    /// <summary>Handlers that ended with an exception (a peer that reset, or sent something else than expected).</summary>
    public int Failures => Volatile.Read(ref failures);

    /// <summary>Normal FTPS sessions that completed their transfer.</summary>
    public int TlsSessions => Volatile.Read(ref tlsSessions);

    /// <summary>What each sinking handler received: byte count and SHA-256, and how it ended.</summary>
    public ConcurrentQueue<(long Count, byte[] Hash, bool Reset)> Sunk { get; } = new();

    private async Task HandleAsync(Socket s)
    {
        try
        {
            using var net = new NetworkStream(s, ownsSocket: false);
            await net.WriteAsync("220 mini FTPS test server\r\n"u8.ToArray());
            byte[] first = new byte[10];
            int got = 0;
            while (got < first.Length)
            {
                int n = await net.ReadAsync(first.AsMemory(got));
                if (n == 0) break;
                got += n;
            }
            if (got == 10 && first.AsSpan().SequenceEqual("AUTH TLS\r\n"u8)) await TlsAsync(s, net);
            else if (got == 10 && first.AsSpan().SequenceEqual("FLOOD    \n"u8)) await FloodAsync(s, net);
            else await SinkAsync(net, first.AsMemory(0, got));
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or ObjectDisposedException)
        {
            Interlocked.Increment(ref failures);
        }
    }

    private async Task TlsAsync(Socket s, NetworkStream net)
    {
        await net.WriteAsync("234 AUTH TLS ok\r\n"u8.ToArray());
        using var tls = new SslStream(net, leaveInnerStreamOpen: true);
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = Certificate.Value });
        byte[] header = new byte[16];
        await tls.ReadExactlyAsync(header);
        long up = BitConverter.ToInt64(header, 0);
        int down = BitConverter.ToInt32(header, 8), seed = BitConverter.ToInt32(header, 12);
        Task<(long Count, byte[] Hash)> reading = Bytes.ReadAsync(tls, up);
        await Bytes.SendAsync(tls, seed + 1, down);
        (long count, byte[] hash) = await reading;
        await tls.WriteAsync(BitConverter.GetBytes(count));
        await tls.WriteAsync(hash);
        await tls.FlushAsync();
        await tls.ShutdownAsync();
        s.Shutdown(SocketShutdown.Send);
        await Bytes.ReadAsync(net);
        Interlocked.Increment(ref tlsSessions);
    }

    private async Task FloodAsync(Socket s, NetworkStream net)
    {
        Task<(long, byte[])> reading = Bytes.ReadAsync(net);
        await Bytes.SendAsync(net, 7, FloodBytes, progress: sent =>
        {
            Interlocked.Exchange(ref floodSent, sent);
            return Task.CompletedTask;
        });
        s.Shutdown(SocketShutdown.Send);
        await reading;
    }

    private async Task SinkAsync(NetworkStream net, ReadOnlyMemory<byte> first)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(first.Span);
        long count = first.Length;
        byte[] chunk = new byte[64 * 1024];
        bool reset = false;
        try
        {
            while (true)
            {
                int n = await net.ReadAsync(chunk);
                if (n == 0) break;
                hash.AppendData(chunk, 0, n);
                count += n;
            }
        }
        catch (IOException)
        {
            reset = true;
        }
        Sunk.Enqueue((count, hash.GetHashAndReset(), reset));
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}

/// <summary>
/// A well-behaved FTPS client for <see cref="MiniFtpsServer"/>: greeting, AUTH TLS, a real TLS
/// handshake, then bytes both ways inside TLS, each direction checked by SHA-256, and a clean close.
/// </summary>
internal static class NormalFtpsClient
{
    public static async Task RunAsync(IPEndPoint proxy, int seed, long up, int down)
    {
        using var s = new Socket(proxy.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await s.ConnectAsync(proxy);
        using var net = new NetworkStream(s, ownsSocket: false);
        await ExpectLineAsync(net, "220 ");
        await net.WriteAsync("AUTH TLS\r\n"u8.ToArray());
        await ExpectLineAsync(net, "234 ");
        using var tls = new SslStream(net, leaveInnerStreamOpen: true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "inspector-test",
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        });
        byte[] header = new byte[16];
        BitConverter.TryWriteBytes(header.AsSpan(0), up);
        BitConverter.TryWriteBytes(header.AsSpan(8), down);
        BitConverter.TryWriteBytes(header.AsSpan(12), seed);
        await tls.WriteAsync(header);
        Task<(long Count, byte[] Hash)> reading = Bytes.ReadAsync(tls, down);
        byte[] sentHash = await Bytes.SendAsync(tls, seed, up);
        (long count, byte[] hash) = await reading;
        Assert.Equal(down, count);
        Assert.Equal(Bytes.Hash(seed + 1, down), hash);
        byte[] verdict = new byte[40];
        await tls.ReadExactlyAsync(verdict);
        Assert.Equal(up, BitConverter.ToInt64(verdict, 0));
        Assert.Equal(sentHash, verdict[8..]);
        await tls.ShutdownAsync();
        s.Shutdown(SocketShutdown.Send);
        await Bytes.ReadAsync(net);
    }

    /// <summary>Reads one reply line byte by byte (so nothing after it is consumed).</summary>
    public static async Task<string> ExpectLineAsync(Stream net, string prefix)
    {
        var line = new List<byte>();
        byte[] one = new byte[1];
        while (line.Count == 0 || line[^1] != '\n')
        {
            if (await net.ReadAsync(one) == 0) throw new IOException($"closed before a line starting {prefix}");
            line.Add(one[0]);
        }
        string text = System.Text.Encoding.ASCII.GetString([.. line]);
        Assert.StartsWith(prefix, text);
        return text;
    }
}
