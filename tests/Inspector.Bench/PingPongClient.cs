using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Inspector.Bench;

/// <summary>
/// One request/response connection through a relay to the echo, as netperf's TCP_RR makes: 64
/// bytes out, 64 back, one at a time, microseconds per round trip. It blocks in send and receive
/// on the caller's thread, as a request/response client does: an asynchronous client would add
/// its own thread hand-offs to every round trip it measures.
/// </summary>
internal sealed class PingPongClient : IDisposable
{
    private readonly Socket socket;
    private readonly byte[] ping = new byte[64];
    private readonly byte[] pong = new byte[64];

    public PingPongClient(IPEndPoint endpoint)
    {
        socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(endpoint);
    }

    /// <summary>Round trips that are not measured: a fresh connection's first messages take paths a steady one does not.</summary>
    public void WarmUp(int roundTrips)
    {
        for (int i = 0; i < roundTrips; i++) RoundTrip();
    }

    /// <summary>Round trips for the given time (at least one), each in microseconds.</summary>
    public List<double> Measure(TimeSpan time)
    {
        // Room for a round trip every 10 µs, so that the list does not grow while it measures.
        var samples = new List<double>((int)Math.Min(time.TotalMicroseconds / 10, 1 << 20) + 1);
        var clock = Stopwatch.StartNew();
        do
        {
            long start = Stopwatch.GetTimestamp();
            RoundTrip();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        while (clock.Elapsed < time);
        return samples;
    }

    private void RoundTrip()
    {
        socket.Send(ping);
        int got = 0;
        while (got < pong.Length)
        {
            int n = socket.Receive(pong, got, pong.Length - got, SocketFlags.None);
            if (n == 0) throw new IOException("the echo closed");
            got += n;
        }
    }

    public void Dispose() => socket.Dispose();
}
