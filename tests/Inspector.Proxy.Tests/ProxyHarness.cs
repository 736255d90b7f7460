using System.Net;
using System.Net.Sockets;
using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Sessions;
using Inspector.Core.Timeline;

namespace Inspector.Proxy.Tests;

/// <summary>Collects what the analysis reports, from the consumer thread, for assertions on the test thread.</summary>
internal sealed class RecordingSink(bool keepOutputs = true) : ISessionSink
{
    private readonly object gate = new();
    private readonly List<(SessionInfo Session, AnalysisOutput Output)> outputs = [];
    private readonly List<(SessionInfo Session, SessionSummary Summary)> ended = [];

    public void SessionStarted(SessionInfo session) { }

    public void Output(SessionInfo session, AnalysisOutput output)
    {
        if (keepOutputs) lock (gate) outputs.Add((session, output));
    }

    public void SessionEnded(SessionInfo session, SessionSummary summary)
    {
        lock (gate)
        {
            EndedCount++;
            if (keepOutputs) ended.Add((session, summary));
        }
    }

    public int EndedCount { get; private set; }

    public List<Finding> Findings
    {
        get { lock (gate) return outputs.Select(o => o.Output).OfType<Finding>().ToList(); }
    }

    public List<Finding> FindingsOf(long session)
    {
        lock (gate) return outputs.Where(o => o.Session.Id == session).Select(o => o.Output).OfType<Finding>().ToList();
    }

    public List<T> OutputsOf<T>(long session) where T : AnalysisOutput
    {
        lock (gate) return outputs.Where(o => o.Session.Id == session).Select(o => o.Output).OfType<T>().ToList();
    }

    public List<TimelineEvent> Events
    {
        get { lock (gate) return outputs.Select(o => o.Output).OfType<TimelineEvent>().ToList(); }
    }

    public List<(SessionInfo Session, SessionSummary Summary)> Ended
    {
        get { lock (gate) return [.. ended]; }
    }
}

/// <summary>A proxy on 127.0.0.1 (port chosen by the system) in front of an upstream, with its analysis running.</summary>
internal sealed class ProxyHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task run;
    private readonly Task analysis;
    private readonly IRelayRecorder? recorder;

    public ProxyHarness(IPEndPoint upstream, Func<ProxyOptions, ProxyOptions>? configure = null, IRelayRecorder? recorder = null, bool keepOutputs = true)
    {
        Sink = new RecordingSink(keepOutputs);
        ProxyOptions options = new()
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            UpstreamHost = upstream.Address.ToString(),
            UpstreamPort = upstream.Port,
            // Generous: under a loaded CI machine a loopback connect can wait on the accept queue.
            ConnectTimeout = TimeSpan.FromSeconds(20),
        };
        options = configure?.Invoke(options) ?? options;
        this.recorder = recorder;
        Queue = new AnalysisQueue(Sink, AnalyzerOptions.Default, options.AnalysisQueueBytes, recorder);
        Server = new ProxyServer(options, Queue);
        Server.Start();
        analysis = Queue.RunAsync();
        run = Server.RunAsync(stop.Token);
    }

    public RecordingSink Sink { get; }

    public AnalysisQueue Queue { get; }

    public ProxyServer Server { get; }

    public IPEndPoint Endpoint => Server.LocalEndPoint;

    public async Task<Socket> ConnectAsync()
    {
        var s = new Socket(Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await s.ConnectAsync(Endpoint);
        return s;
    }

    /// <summary>
    /// Sends lines that are not FTP on a client's <paramref name="stream"/> until the analysis
    /// gives that stream up (<c>ftp.not_ftp</c>) and only counts it; returns what was sent.
    /// </summary>
    public async Task<byte[]> SendNotFtpAsync(Stream stream)
    {
        var lines = new System.Text.StringBuilder();
        for (int i = 0; i < 100; i++) lines.Append("\u0001not a command ").Append(i).Append("\r\n");
        byte[] garbage = System.Text.Encoding.Latin1.GetBytes(lines.ToString());
        await stream.WriteAsync(garbage);
        await Measure.UntilAsync(() => Sink.Findings.Any(f => f.Name == FindingCatalog.FtpNotFtp));
        await Task.Delay(200); // the flag is set just after the finding, on the analysis thread
        return garbage;
    }

    /// <summary>Waits until no session is being relayed (every peer has closed), before a stop that would cut one.</summary>
    public async Task WaitIdleAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Server.ActiveSessions > 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal(0, Server.ActiveSessions);
    }

    /// <summary>Stops the proxy and waits until the analysis has read everything.</summary>
    public async Task StopAsync()
    {
        stop.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        Queue.Complete();
        await analysis.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Closes the recording (after <see cref="StopAsync"/>) so the file is complete.</summary>
    public void DisposeRecorder() => recorder?.Dispose();

    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested) await StopAsync();
        recorder?.Dispose();
        stop.Dispose();
    }
}

/// <summary>A loopback TCP server that runs a handler per connection (the upstream in tests).</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly Socket listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private readonly List<Task> handlers = [];
    private readonly Dictionary<Task, string> names = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> states = new();

    public TestServer(Func<Socket, Task> handler, IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, 0));
        listener.Listen(1024);
        loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Socket s;
                try
                {
                    s = await listener.AcceptAsync(stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }
                // Forget finished handlers, so a long test's memory measures the relay, not this list.
                lock (handlers)
                {
                    foreach (Task done in handlers.Where(t => t.IsCompletedSuccessfully)) names.Remove(done);
                    handlers.RemoveAll(t => t.IsCompletedSuccessfully);
                }
                string who = $"{s.RemoteEndPoint} accepted at {DateTime.UtcNow:HH:mm:ss.fff}";
                states[who] = "running";
                lock (handlers) handlers.Add(Task.Run(async () =>
                {
                    using (s)
                    {
                        await handler(s);
                        states[who] = "returned";
                    }
                    states[who] = "closed";
                }).ContinueWith(t => { if (t.IsFaulted || t.IsCanceled) throw new InvalidOperationException($"handler for {who} failed", t.Exception); }, TaskScheduler.Default));
                lock (handlers) names[handlers[^1]] = who;
            }
        });
    }

    public IPEndPoint Endpoint => (IPEndPoint)listener.LocalEndPoint!;

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Dispose();
        await loop;
        Task[] all;
        lock (handlers) all = [.. handlers];
        try
        {
            await Task.WhenAll(all).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            string stuck;
            lock (handlers) stuck = string.Join("; ", all.Where(t => !t.IsCompleted).Select(t => names.GetValueOrDefault(t, "?") + " " + states.GetValueOrDefault(names.GetValueOrDefault(t, "?"), "?")));
            stuck += $" (of {all.Length}: {string.Join(", ", all.Select(t => t.Status))})";
            throw new TimeoutException($"upstream handlers still running after 30 s: {stuck}");
        }
    }
}

internal static class SocketIo
{
    public static async Task SendInPiecesAsync(Socket s, byte[] data, Random random)
    {
        int pos = 0;
        while (pos < data.Length)
        {
            int n = Math.Min(data.Length - pos, random.Next(1, 20_000));
            int sent = await s.SendAsync(data.AsMemory(pos, n), SocketFlags.None);
            pos += sent;
        }
    }

    /// <summary>Reads until the peer half-closes.</summary>
    public static async Task<byte[]> ReadToEndAsync(Socket s)
    {
        var ms = new MemoryStream();
        var buffer = new byte[32 * 1024];
        while (true)
        {
            int n = await s.ReceiveAsync(buffer, SocketFlags.None);
            if (n == 0) return ms.ToArray();
            ms.Write(buffer, 0, n);
        }
    }
}
