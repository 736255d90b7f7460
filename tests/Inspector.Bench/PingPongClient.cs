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

    /// <param name="samples">Where measured round trips go (a relay's connections share one list).</param>
    public PingPongClient(IPEndPoint endpoint, List<double> samples)
    {
        Samples = samples;
        socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(endpoint);
    }

    /// <summary>Round trips measured, in microseconds.</summary>
    public List<double> Samples { get; }

    /// <summary>Round trips that are not measured: a fresh connection's first messages take paths a steady one does not.</summary>
    public void WarmUp(int roundTrips)
    {
        for (int i = 0; i < roundTrips; i++) RoundTrip();
    }

    /// <summary>Round trips for the given time (at least one), each added to <see cref="Samples"/>.</summary>
    public void Measure(TimeSpan time)
    {
        var clock = Stopwatch.StartNew();
        do
        {
            long start = Stopwatch.GetTimestamp();
            RoundTrip();
            Samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }
        while (clock.Elapsed < time);
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
