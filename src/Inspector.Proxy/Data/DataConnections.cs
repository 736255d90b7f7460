using System.Net;
using System.Net.Sockets;
using Inspector.Core.Findings;
using Inspector.Core.Model;

namespace Inspector.Proxy.Data;

/// <summary>
/// The data connections of one relayed control session under <c>--data relay</c>: for each
/// announcement the <see cref="ControlLineRewriter"/> meets it opens a listener (on the client's
/// side of the relay for PASV/EPSV, on the server's side for PORT/EPRT), accepts one connection
/// from the expected peer's address only, connects onward to the endpoint the other peer
/// announced, and relays the two as their own analysed session linked to the control session.
/// Listeners are capped per session, closed after their accept or timeout, and closed when the
/// control connection ends.
/// </summary>
internal sealed class DataConnections : IDataAnnouncementHandler
{
    private static int nextRangePort;

    private readonly AnalysisQueue analysis;
    private readonly AnalysisQueue.SessionTap control;
    private readonly RelayLegs legs;
    private readonly ProxyOptions options;
    private readonly TimeProvider clock;
    private readonly CancellationToken stop;
    private readonly CancellationTokenSource listening;
    private readonly List<Task> running = [];
    private int openListeners;
    private bool notRelayedReported;
    private bool closed;

    public DataConnections(AnalysisQueue analysis, AnalysisQueue.SessionTap control, RelayLegs legs, ProxyOptions options, TimeProvider clock, CancellationToken stop)
    {
        this.analysis = analysis;
        this.control = control;
        this.legs = legs;
        this.options = options;
        this.clock = clock;
        this.stop = stop;
        listening = CancellationTokenSource.CreateLinkedTokenSource(stop);
    }

    /// <summary>Data listeners open now (for tests).</summary>
    public int OpenListeners => Volatile.Read(ref openListeners);

    public IPEndPoint? Passive(DataVia via, IPAddress? address, int port)
    {
        // The client reaches the relay where it reached it for the control connection.
        IPAddress front = legs.DataFront ?? legs.RelayFront.Address;
        if (via == DataVia.Pasv && front.AddressFamily != AddressFamily.InterNetwork)
        {
            NotRelayed($"the server's 227 cannot name the relay's IPv6 address {front}: this data connection goes directly to the server");
            return null;
        }
        var target = new IPEndPoint(address ?? legs.Server!.Address, port);
        Socket? listener = Listen(front, via);
        if (listener is null) return null;
        var at = RelaySession.Plain((IPEndPoint)listener.LocalEndPoint!);
        Start(AcceptAsync(listener, legs.Client.Address, via, at, accepted => RelayPassiveAsync(accepted, target)));
        return at;
    }

    public IPEndPoint? Active(DataVia via, IPEndPoint announced)
    {
        if (!announced.Address.Equals(legs.Client.Address))
        {
            // RFC 2577 §3 (bounce): the relay connects only to the client it is relaying for.
            NotRelayed($"the client announced {announced} in {via.ToString().ToUpperInvariant()}, not its own address {legs.Client.Address}: the relay does not connect to third parties, so this data connection is left to the server");
            return null;
        }
        IPAddress back = legs.RelayBack!.Address;
        if (via == DataVia.Port && back.AddressFamily != AddressFamily.InterNetwork)
        {
            NotRelayed($"PORT cannot name the relay's IPv6 address {back}: this data connection goes directly between server and client");
            return null;
        }
        Socket? listener = Listen(back, via);
        if (listener is null) return null;
        var at = RelaySession.Plain((IPEndPoint)listener.LocalEndPoint!);
        Start(AcceptAsync(listener, legs.Server!.Address, via, at, accepted => RelayActiveAsync(accepted, announced)));
        return at;
    }

    public void Encrypted(string why) => NotRelayed(why + "; data connections go directly between client and server for the rest of this session");

    /// <summary>The control connection ended: closes every listener and waits for the data connections being relayed.</summary>
    public async Task CloseAsync()
    {
        Task[] all;
        lock (running)
        {
            closed = true;
            all = [.. running];
        }
        await listening.CancelAsync();
        await Task.WhenAll(all).ConfigureAwait(false);
        listening.Dispose();
    }

    private void Start(Task task)
    {
        lock (running)
        {
            running.RemoveAll(t => t.IsCompleted);
            running.Add(task);
        }
    }

    private Socket? Listen(IPAddress address, DataVia via)
    {
        lock (running)
        {
            if (closed) return null;
        }
        if (Interlocked.Increment(ref openListeners) > options.MaxDataListeners)
        {
            Interlocked.Decrement(ref openListeners);
            NotRelayed($"{options.MaxDataListeners} data listeners are already open for this session: this {via.ToString().ToUpperInvariant()} is left as it is");
            return null;
        }
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            Bind(socket, address);
            socket.Listen(4);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            Interlocked.Decrement(ref openListeners);
            NotRelayed($"could not open a data listener on {address} ({e.SocketErrorCode}): this {via.ToString().ToUpperInvariant()} is left as it is");
            return null;
        }
    }

    private void Bind(Socket socket, IPAddress address)
    {
        if (options.DataPorts is not (int low, int high))
        {
            socket.Bind(new IPEndPoint(address, 0));
            return;
        }
        int count = high - low + 1;
        int first = Interlocked.Increment(ref nextRangePort);
        for (int k = 0; k < count; k++)
        {
            int port = low + (int)((uint)(first + k) % (uint)count);
            try
            {
                socket.Bind(new IPEndPoint(address, port));
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
            }
        }
        throw new SocketException((int)SocketError.AddressAlreadyInUse);
    }

    /// <summary>Accepts one connection from <paramref name="expected"/> (others are reset and reported), then closes the listener.</summary>
    private async Task AcceptAsync(Socket listener, IPAddress expected, DataVia via, IPEndPoint at, Func<Socket, Task> relay)
    {
        await Task.Yield();
        Socket? accepted = null;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(listening.Token))
        {
            timeout.CancelAfter(options.DataAcceptTimeout);
            try
            {
                while (accepted is null)
                {
                    Socket s = await listener.AcceptAsync(timeout.Token);
                    IPEndPoint from = RelaySession.Plain((IPEndPoint)s.RemoteEndPoint!);
                    if (from.Address.Equals(expected))
                    {
                        s.NoDelay = true;
                        accepted = s;
                        break;
                    }
                    Relay.Abort(s);
                    control.Report(FindingCatalog.ProxyDataRefused, Side.Unknown,
                        $"refused a connection from {from} to the data listener {at} ({via.ToString().ToUpperInvariant()}): only {expected} may use it",
                        FindingCatalog.Get(FindingCatalog.ProxyDataRefused).Description, Now());
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                if (!listening.IsCancellationRequested)
                {
                    control.Report(FindingCatalog.ProxyDataMissing, Side.Unknown,
                        $"no data connection came to {at} ({via.ToString().ToUpperInvariant()}) within {options.DataAcceptTimeout.TotalSeconds:0.#} s: the listener was closed",
                        FindingCatalog.Get(FindingCatalog.ProxyDataMissing).Description, Now());
                }
            }
            finally
            {
                listener.Dispose();
                Interlocked.Decrement(ref openListeners);
            }
        }
        if (accepted is not null) await relay(accepted);
    }

    /// <summary>PASV/EPSV: the client connected to the relay; the relay connects to the server's announced endpoint.</summary>
    private async Task RelayPassiveAsync(Socket fromClient, IPEndPoint target)
    {
        Socket? toServer = await ConnectAsync(target, fromClient, "server");
        if (toServer is null) return;
        var clientEnd = RelaySession.Plain((IPEndPoint)fromClient.RemoteEndPoint!);
        var serverEnd = RelaySession.Plain((IPEndPoint)toServer.RemoteEndPoint!);
        var dataLegs = new RelayLegs(clientEnd, RelaySession.Plain((IPEndPoint)fromClient.LocalEndPoint!), RelaySession.Plain((IPEndPoint)toServer.LocalEndPoint!), serverEnd);
        AnalysisQueue.SessionTap tap = analysis.OpenData(control, clientEnd, serverEnd, serverConnected: false, Now(), dataLegs);
        try
        {
            await new Relay(fromClient, toServer, tap, options, clock).RunAsync(stop);
        }
        finally
        {
            tap.Close(Now());
        }
    }

    /// <summary>PORT/EPRT: the server connected to the relay; the relay connects to the client's announced endpoint.</summary>
    private async Task RelayActiveAsync(Socket fromServer, IPEndPoint target)
    {
        Socket? toClient = await ConnectAsync(target, fromServer, "client");
        if (toClient is null) return;
        var clientEnd = RelaySession.Plain((IPEndPoint)toClient.RemoteEndPoint!);
        var serverEnd = RelaySession.Plain((IPEndPoint)fromServer.RemoteEndPoint!);
        var dataLegs = new RelayLegs(clientEnd, RelaySession.Plain((IPEndPoint)toClient.LocalEndPoint!), RelaySession.Plain((IPEndPoint)fromServer.LocalEndPoint!), serverEnd);
        AnalysisQueue.SessionTap tap = analysis.OpenData(control, clientEnd, serverEnd, serverConnected: true, Now(), dataLegs);
        try
        {
            await new Relay(toClient, fromServer, tap, options, clock).RunAsync(stop);
        }
        finally
        {
            tap.Close(Now());
        }
    }

    /// <summary>Connects onward within the connect timeout; on failure resets the accepted side and reports.</summary>
    private async Task<Socket?> ConnectAsync(IPEndPoint target, Socket accepted, string peer)
    {
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            // Blocking, so that a transfer can be relayed by threads (see BlockingSockets).
            await BlockingSockets.ConnectAsync(socket, [target.Address], target.Port, timeout.Token);
            return socket;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            Relay.Abort(accepted);
            if (stop.IsCancellationRequested) return null;
            string why = e is SocketException se ? $"{se.SocketErrorCode}" : $"no answer within {options.ConnectTimeout.TotalSeconds:0.#} s";
            control.Report(FindingCatalog.ProxyDataConnectFailed, peer == "server" ? Side.Server : Side.Client,
                $"could not open the data connection to the {peer} at {target} ({why}): the relay reset the other side",
                FindingCatalog.Get(FindingCatalog.ProxyDataConnectFailed).Description, Now());
            return null;
        }
    }

    /// <summary>Reported once per session: the first reason data is not relayed.</summary>
    private void NotRelayed(string summary)
    {
        if (notRelayedReported) return;
        notRelayedReported = true;
        control.Report(FindingCatalog.ProxyDataNotRelayed, Side.Unknown, summary, FindingCatalog.Get(FindingCatalog.ProxyDataNotRelayed).Description, Now());
    }

    private Timestamp Now() => Timestamp.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
