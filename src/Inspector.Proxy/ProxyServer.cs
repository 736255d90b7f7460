using System.Net;
using System.Net.Sockets;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Proxy.Transparent;

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
    private readonly TransparentSockets? transparent = options.Transparent ? new TransparentSockets() : null;
    private int active;

    /// <summary>The bound address (useful with port 0).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)listener.LocalEndPoint!;

    public int ActiveSessions => Volatile.Read(ref active);

    /// <summary>In transparent mode: whether the listener may take TPROXY connections (IP_TRANSPARENT, needs CAP_NET_ADMIN).</summary>
    public bool TproxyAllowed { get; private set; }

    public void Start()
    {
        if (options.Listen.AddressFamily == AddressFamily.InterNetworkV6 && options.Listen.Address.Equals(IPAddress.IPv6Any)) listener.DualMode = true;
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        if (transparent is not null) TproxyAllowed = TransparentSockets.TryAllowTproxy(listener);
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
            IPEndPoint? target = null;
            if (transparent is not null)
            {
                OriginalDestination.Decision decision = transparent.Decide(client, LocalEndPoint);
                if (decision.Kind != OriginalDestination.DecisionKind.Relay)
                {
                    RefuseTransparent(client, decision);
                    return;
                }
                target = decision.Target;
            }
            await new RelaySession(client, options, analysis, clock, target, transparent).RunAsync(stop);
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

    private void RefuseTransparent(Socket client, OriginalDestination.Decision decision)
    {
        var now = Timestamp.FromDateTime(clock.GetUtcNow().UtcDateTime);
        IPEndPoint clientEndPoint = RelaySession.Plain((IPEndPoint)client.RemoteEndPoint!);
        AnalysisQueue.SessionTap tap = analysis.Open(clientEndPoint, decision.Target, now,
            new RelayLegs(clientEndPoint, RelaySession.Plain((IPEndPoint)client.LocalEndPoint!), null, null));
        if (decision.Kind == OriginalDestination.DecisionKind.NotRedirected)
        {
            tap.Report(FindingCatalog.ProxyNotRedirected, Side.Unknown,
                $"refused a client that connected to the transparent relay itself ({decision.Target}), not redirected to it",
                $"In transparent mode the relay connects each client to the destination it originally asked for, read from the kernel's NAT table (SO_ORIGINAL_DST). "
                + $"This connection was addressed to the relay's own listen address {decision.Target} and was not redirected, so there is nowhere to relay it; it was closed. "
                + "Point the client at the real server and let the gateway's nftables/iptables REDIRECT rule send it here (see README, transparent mode), "
                + "or run the relay without --transparent and with --upstream HOST:PORT.", now);
        }
        else
        {
            tap.Report(FindingCatalog.ProxyRedirectLoop, Side.Unknown,
                $"refused a client whose original destination is the relay itself ({decision.Target}): a redirect loop",
                $"The original destination of this connection is the relay's own listen endpoint, or the connection is one of the relay's own upstream connections sent back to it. "
                + "Relaying it would make the relay connect to itself again and again, so it was closed. "
                + "Redirect only traffic that arrives from other hosts (nat prerouting, not output), exclude the relay host's own traffic from the rule, "
                + "and do not redirect the relay's listen port itself.", now);
        }
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
