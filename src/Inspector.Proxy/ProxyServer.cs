using System.Net;
using System.Net.Sockets;
using Inspector.Core.Findings;
using Inspector.Core.Model;

namespace Inspector.Proxy;

/// <summary>
/// Accepts clients on the listen address and relays each to the upstream server through a
/// <see cref="RelaySession"/>. Stopping (Ctrl-C) stops accepting, ends every session, and waits
/// for them.
/// </summary>
public sealed class ProxyServer(ProxyOptions options, AnalysisQueue analysis, TimeProvider? clock = null) : IAsyncDisposable
{
    private readonly TimeProvider clock = clock ?? TimeProvider.System;
    private readonly Socket listener = new(options.Listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
    private readonly HashSet<Task> sessions = [];
    private int active;

    /// <summary>The bound address (useful with port 0).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)listener.LocalEndPoint!;

    public int ActiveSessions => Volatile.Read(ref active);

    public void Start()
    {
        if (options.Listen.AddressFamily == AddressFamily.InterNetworkV6 && options.Listen.Address.Equals(IPAddress.IPv6Any)) listener.DualMode = true;
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(options.Listen);
        listener.Listen(512);
    }

    /// <summary>Accepts until <paramref name="stop"/> fires, then waits for every session to end.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    client = await listener.AcceptAsync(stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (SocketException)
                {
                    continue; // a client that vanished between SYN and accept
                }
                client.NoDelay = true;
                if (Interlocked.Increment(ref active) > options.MaxSessions)
                {
                    Interlocked.Decrement(ref active);
                    Refuse(client);
                    continue;
                }
                Task t = RunSessionAsync(client, stop);
                lock (sessions) sessions.Add(t);
            }
        }
        finally
        {
            listener.Dispose();
            Task[] running;
            lock (sessions) running = [.. sessions];
            await Task.WhenAll(running);
        }
    }

    private async Task RunSessionAsync(Socket client, CancellationToken stop)
    {
        try
        {
            await Task.Yield();
            await new RelaySession(client, options, analysis, clock).RunAsync(stop);
        }
        finally
        {
            Interlocked.Decrement(ref active);
            lock (sessions) sessions.RemoveWhere(t => t.IsCompleted);
        }
    }

    private void Refuse(Socket client)
    {
        var now = Timestamp.FromDateTime(clock.GetUtcNow().UtcDateTime);
        IPEndPoint server = IPAddress.TryParse(options.UpstreamHost, out IPAddress? address)
            ? new IPEndPoint(address, options.UpstreamPort) : new IPEndPoint(IPAddress.None, options.UpstreamPort);
        IPEndPoint clientEndPoint = RelaySession.Plain((IPEndPoint)client.RemoteEndPoint!);
        AnalysisQueue.SessionTap tap = analysis.Open(clientEndPoint, server, now,
            new RelayLegs(clientEndPoint, RelaySession.Plain((IPEndPoint)client.LocalEndPoint!), null, null));
        tap.Report(FindingCatalog.ProxySessionLimit, Side.Unknown,
            $"refused a client: {options.MaxSessions} sessions are already being relayed",
            $"The relay carries at most {options.MaxSessions} sessions at once (--max-sessions); this client's connection was closed at once.", now);
        tap.Close(now);
        client.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        listener.Dispose();
        Task[] running;
        lock (sessions) running = [.. sessions];
        await Task.WhenAll(running).ConfigureAwait(false);
    }
}
