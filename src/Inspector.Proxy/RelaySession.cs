using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Streams;

namespace Inspector.Proxy;

/// <summary>
/// One client connection and its upstream connection: two pumps copy bytes each way unchanged
/// and in order, reading only as fast as the other side accepts (each read waits for the
/// previous write). A FIN is passed on as a half-close while the other direction keeps going;
/// a reset is passed on as a reset; when one direction fails the other is cancelled and
/// awaited. The analysis gets a copy of every byte through a queue that never makes a pump wait.
/// </summary>
internal sealed class RelaySession(Socket client, ProxyOptions options, AnalysisQueue analysis, TimeProvider clock)
{
    private long lastActivity;

    /// <summary>The idle timeout closed the session (both connections get a FIN, not a reset).</summary>
    private volatile bool closedForIdle;

    /// <summary>Per direction: its sender's FIN or reset was passed on, so nothing more is in flight.</summary>
    private readonly bool[] finished = new bool[2];

    public async Task RunAsync(CancellationToken stop)
    {
        IPEndPoint clientEndPoint = Plain((IPEndPoint)client.RemoteEndPoint!);
        Socket? upstream = null;
        try
        {
            upstream = await ConnectUpstreamAsync(stop);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            ReportUpstreamFailure(clientEndPoint, e, stop.IsCancellationRequested);
            Abort(client);
            return;
        }

        IPEndPoint serverEndPoint = Plain((IPEndPoint)upstream.RemoteEndPoint!);
        var legs = new RelayLegs(clientEndPoint, Plain((IPEndPoint)client.LocalEndPoint!), Plain((IPEndPoint)upstream.LocalEndPoint!), serverEndPoint);
        AnalysisQueue.SessionTap tap = analysis.Open(clientEndPoint, serverEndPoint, Now(), legs);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Touch();
        Task c2s = PumpAsync(client, upstream, Direction.ClientToServer, tap, cancel);
        Task s2c = PumpAsync(upstream, client, Direction.ServerToClient, tap, cancel);
        Task idle = WatchIdleAsync(tap, cancel);
        try
        {
            await Task.WhenAll(c2s, s2c);
        }
        catch (Exception)
        {
            // Each pump reports its own end; the exceptions only say that it ended abruptly.
        }
        finally
        {
            cancel.Cancel();
            await idle.ConfigureAwait(false);
            // A session the idle timeout already closed is not cut by a stop that comes after it.
            if (stop.IsCancellationRequested && !closedForIdle && !(finished[0] && finished[1]))
            {
                // Stopped mid-session: a graceful close would let a peer take a cut transfer for a
                // complete one, so both connections are reset instead.
                tap.Report(FindingCatalog.ProxyStopped, Side.Unknown, "the relay was stopped while the session was open: both connections were reset",
                    "The relay was stopped (Ctrl-C or SIGTERM) during this session, so it reset the client's and the server's connection. Anything still in transfer is incomplete.", Now());
                Abort(client);
                Abort(upstream);
            }
            client.Dispose();
            upstream.Dispose();
            tap.Close(Now());
        }
    }

    private async Task<Socket> ConnectUpstreamAsync(CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(options.UpstreamHost, options.UpstreamPort, timeout.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task PumpAsync(Socket from, Socket to, Direction direction, AnalysisQueue.SessionTap tap, CancellationTokenSource cancel)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(options.BufferSize);
        try
        {
            while (true)
            {
                int n;
                try
                {
                    n = await from.ReceiveAsync(buffer.AsMemory(0, options.BufferSize), SocketFlags.None, cancel.Token);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
                {
                    // The sender reset: pass the reset on, and stop the other direction.
                    tap.End(direction, EndKind.Reset, Now());
                    finished[0] = finished[1] = true;
                    Abort(to);
                    cancel.Cancel();
                    return;
                }
                if (n == 0)
                {
                    finished[(int)direction] = true;
                    // FIN: half-close towards the other peer; the other direction keeps flowing.
                    tap.End(direction, EndKind.Fin, Now());
                    try
                    {
                        to.Shutdown(SocketShutdown.Send);
                    }
                    catch (SocketException)
                    {
                        // The other side is already gone; its own pump reports how.
                    }
                    return;
                }
                Touch();
                // The copy for the analysis is queued before the bytes go on: queuing never waits
                // (a full queue skips), and only this order keeps cause before effect. Queued after
                // forwarding, the peer's answer could reach the analysis before the command it answers.
                tap.Data(direction, buffer.AsSpan(0, n), Now());
                try
                {
                    await SendAllAsync(to, buffer.AsMemory(0, n), cancel.Token);
                }
                catch (SocketException)
                {
                    // The receiver is gone (reset) while we forwarded: reset the sender too.
                    tap.End(direction == Direction.ClientToServer ? Direction.ServerToClient : Direction.ClientToServer, EndKind.Reset, Now());
                    finished[0] = finished[1] = true;
                    Abort(from);
                    cancel.Cancel();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped because the other direction failed, the session went idle, or shutdown.
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task SendAllAsync(Socket to, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        while (!bytes.IsEmpty)
        {
            int sent = await to.SendAsync(bytes, SocketFlags.None, ct);
            bytes = bytes[sent..];
        }
    }

    private async Task WatchIdleAsync(AnalysisQueue.SessionTap tap, CancellationTokenSource cancel)
    {
        TimeSpan step = options.IdleTimeout < TimeSpan.FromSeconds(2) ? options.IdleTimeout / 4 : TimeSpan.FromSeconds(1);
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                await Task.Delay(step, clock, cancel.Token);
                TimeSpan quiet = clock.GetUtcNow() - new DateTimeOffset(Interlocked.Read(ref lastActivity), TimeSpan.Zero);
                if (quiet < options.IdleTimeout) continue;
                tap.Report(FindingCatalog.ProxyIdleTimeout, Side.Unknown,
                    $"no bytes either way for {quiet.TotalSeconds:0} s: the relay closed the session",
                    $"Neither side sent anything for {quiet.TotalSeconds:0} s (the idle timeout is {options.IdleTimeout.TotalSeconds:0} s), so the relay closed both connections.", Now());
                closedForIdle = true;
                cancel.Cancel();
                client.Dispose();
                return;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void ReportUpstreamFailure(IPEndPoint clientEndPoint, Exception e, bool shuttingDown)
    {
        if (shuttingDown) return;
        IPEndPoint server = IPAddress.TryParse(options.UpstreamHost, out IPAddress? address)
            ? new IPEndPoint(address, options.UpstreamPort)
            : new IPEndPoint(IPAddress.None, options.UpstreamPort);
        AnalysisQueue.SessionTap tap = analysis.Open(clientEndPoint, server, Now(), new RelayLegs(clientEndPoint, Plain((IPEndPoint)client.LocalEndPoint!), null, null));
        string why = e is OperationCanceledException
            ? $"no answer within {options.ConnectTimeout.TotalSeconds:0.#} s"
            : e is SocketException se ? $"{se.SocketErrorCode}: {se.Message}" : e.Message;
        tap.Report(FindingCatalog.ProxyUpstreamFailed, Side.Server,
            $"could not connect to the upstream {options.UpstreamHost}:{options.UpstreamPort}: {why}",
            $"The relay tried to open the upstream connection for this client and failed ({why}). The client's connection was closed. "
            + "Check the upstream address and port, that the server runs, and that no firewall drops the connection.", Now());
        tap.Close(Now());
    }

    /// <summary>IPv4 peers of a dual-mode socket show as ::ffff:a.b.c.d; name them as IPv4.</summary>
    internal static IPEndPoint Plain(IPEndPoint ep) =>
        ep.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(ep.Address.MapToIPv4(), ep.Port) : ep;

    /// <summary>Closes with a reset (linger 0), as a peer that aborts would.</summary>
    private static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void Touch() => Interlocked.Exchange(ref lastActivity, clock.GetUtcNow().UtcTicks);

    private Timestamp Now() => Timestamp.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
