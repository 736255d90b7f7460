using System.Net;
using System.Net.Sockets;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Proxy.Data;

namespace Inspector.Proxy;

/// <summary>
/// One client connection and its upstream connection, relayed by a <see cref="Relay"/>. Under
/// <c>--data relay</c> the control lines that announce data connections are rewritten
/// (<see cref="ControlLineRewriter"/>) and the data connections are relayed too
/// (<see cref="DataConnections"/>), each its own analysed session linked to this one.
/// </summary>
internal sealed class RelaySession(Socket client, ProxyOptions options, AnalysisQueue analysis, TimeProvider clock,
    IPEndPoint? target = null, Transparent.TransparentSockets? transparent = null)
{
    public async Task RunAsync(CancellationToken stop)
    {
        IPEndPoint clientEndPoint = Plain((IPEndPoint)client.RemoteEndPoint!);
        Socket? upstream = null;
        IDisposable? tracked = null;
        try
        {
            (upstream, tracked) = await ConnectUpstreamAsync(stop);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            ReportUpstreamFailure(clientEndPoint, e, stop.IsCancellationRequested);
            Relay.Abort(client);
            return;
        }

        IPEndPoint serverEndPoint = Plain((IPEndPoint)upstream.RemoteEndPoint!);
        IPEndPoint front = Plain((IPEndPoint)client.LocalEndPoint!);
        var legs = new RelayLegs(clientEndPoint, front, Plain((IPEndPoint)upstream.LocalEndPoint!), serverEndPoint)
        {
            DataFront = options.Data == DataMode.Relay && transparent is not null ? Transparent.TransparentSockets.DataFront(front, clientEndPoint) : null,
        };
        AnalysisQueue.SessionTap tap = analysis.Open(clientEndPoint, serverEndPoint, Now(), legs);
        DataConnections? data = options.Data == DataMode.Relay ? new DataConnections(analysis, tap, legs, options, clock, stop) : null;
        try
        {
            await new Relay(client, upstream, tap, options, clock, data is null ? null : new ControlLineRewriter(data)).RunAsync(stop);
        }
        finally
        {
            if (data is not null)
            {
                // The control connection is over: no data connection is accepted any more; the
                // ones already relayed run to their end (or the relay's stop).
                await data.CloseAsync();
            }
            tap.Close(Now());
            tracked?.Dispose();
        }
    }

    private async Task<(Socket, IDisposable?)> ConnectUpstreamAsync(CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(options.ConnectTimeout);
        var socket = target is null ? new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        IDisposable? tracked = null;
        try
        {
            if (target is null)
            {
                await ConnectBlockingAsync(socket, timeout.Token);
            }
            else
            {
                // The local port is known (and remembered) before the SYN leaves, so if a redirect
                // sends this connection back to the relay it is recognised as a loop when accepted.
                socket.Bind(new IPEndPoint(target.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0));
                tracked = transparent?.Track(((IPEndPoint)socket.LocalEndPoint!).Port);
                await socket.ConnectAsync(target, timeout.Token);
            }
            return (socket, tracked);
        }
        catch
        {
            tracked?.Dispose();
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Connects with a blocking call (see <see cref="BlockingSockets.ConnectAsync"/>). The name is
    /// resolved first, asynchronously, so the timeout covers it.
    /// </summary>
    private async Task ConnectBlockingAsync(Socket socket, CancellationToken token)
    {
        IPAddress[] addresses = IPAddress.TryParse(options.UpstreamHost, out IPAddress? literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(options.UpstreamHost, token);
        // Reported as an asynchronous connect reported it (Connect would throw ArgumentException).
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        await BlockingSockets.ConnectAsync(socket, addresses, options.UpstreamPort, token);
    }

    private void ReportUpstreamFailure(IPEndPoint clientEndPoint, Exception e, bool shuttingDown)
    {
        if (shuttingDown) return;
        IPEndPoint server = target ?? (IPAddress.TryParse(options.UpstreamHost, out IPAddress? address)
            ? new IPEndPoint(address, options.UpstreamPort)
            : new IPEndPoint(IPAddress.None, options.UpstreamPort));
        string upstreamName = target?.ToString() ?? $"{options.UpstreamHost}:{options.UpstreamPort}";
        AnalysisQueue.SessionTap tap = analysis.Open(clientEndPoint, server, Now(), new RelayLegs(clientEndPoint, Plain((IPEndPoint)client.LocalEndPoint!), null, null));
        string why = e is OperationCanceledException
            ? $"no answer within {options.ConnectTimeout.TotalSeconds:0.#} s"
            : e is SocketException se ? $"{se.SocketErrorCode}: {se.Message}" : e.Message;
        tap.Report(FindingCatalog.ProxyUpstreamFailed, Side.Server,
            target is null ? $"could not connect to the upstream {upstreamName}: {why}" : $"could not connect to the original destination {upstreamName}: {why}",
            $"The relay tried to open the upstream connection for this client and failed ({why}). The client's connection was closed. "
            + "Check the upstream address and port, that the server runs, and that no firewall drops the connection.", Now());
        tap.Close(Now());
    }

    /// <summary>IPv4 peers of a dual-mode socket show as ::ffff:a.b.c.d; name them as IPv4.</summary>
    internal static IPEndPoint Plain(IPEndPoint ep) =>
        ep.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(ep.Address.MapToIPv4(), ep.Port) : ep;

    private Timestamp Now() => Timestamp.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
