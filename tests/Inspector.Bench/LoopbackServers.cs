using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Inspector.Bench;

/// <summary>
/// The far end of every relay measurement, on 127.0.0.1: a sink (reads until the client
/// half-closes, answers with the byte count), an echo (for ping-pong latency with --echo thread) and a banner
/// server (speaks first, as an FTP server does, for short-connection rates and idle sessions).
/// </summary>
internal sealed class LoopbackServers : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly List<Socket> listeners = [];

    public LoopbackServers()
    {
        Sink = Listen(SinkAsync);
        Echo = Listen(EchoAsync);
        Banner = Listen(BannerAsync);
    }

    public IPEndPoint Sink { get; }
    public IPEndPoint Echo { get; }
    public IPEndPoint Banner { get; }

    private IPEndPoint Listen(Func<Socket, Task> handler)
    {
        var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4096);
        listeners.Add(listener);
        _ = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Socket s;
                try
                {
                    s = await listener.AcceptAsync(stop.Token);
                }
                catch (Exception)
                {
                    return;
                }
                s.NoDelay = true;
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await handler(s);
                    }
                    catch (Exception e) when (e is SocketException or ObjectDisposedException)
                    {
                    }
                    finally
                    {
                        s.Dispose();
                    }
                });
            }
        });
        return (IPEndPoint)listener.LocalEndPoint!;
    }

    private static async Task SinkAsync(Socket s)
    {
        byte[] buffer = new byte[256 * 1024];
        long total = 0;
        int n;
        while ((n = await s.ReceiveAsync(buffer, SocketFlags.None)) > 0) total += n;
        byte[] count = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(count, total);
        await s.SendAsync(count, SocketFlags.None);
        s.Shutdown(SocketShutdown.Send);
    }

    /// <summary>
    /// Sends back what it receives, blocking on a thread of its own (as the latency client does):
    /// the round trip then holds no thread hand-off of the benchmark's own.
    /// </summary>
    private static Task EchoAsync(Socket s) => Task.Factory.StartNew(() => EchoServer.Echo(s),
        CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static async Task BannerAsync(Socket s)
    {
        await s.SendAsync("220 bench ready\r\n"u8.ToArray(), SocketFlags.None);
        byte[] buffer = new byte[1024];
        while (await s.ReceiveAsync(buffer, SocketFlags.None) > 0)
        {
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        foreach (Socket l in listeners) l.Dispose();
    }
}
