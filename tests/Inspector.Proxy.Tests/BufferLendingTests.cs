using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Sessions;
using Inspector.Core.Streams;

namespace Inspector.Proxy.Tests;

/// <summary>
/// Big reads are lent to the analysis instead of copied (<see cref="AnalysisQueue.SessionTap.Lend"/>):
/// the pump forwards from the buffer while the analysis reads it, and only the last of the two
/// gives it back to the pool. A buffer given back too early would be reused by another read while
/// still in use, and the analysis (or the peer) would get someone else's bytes.
/// </summary>
public class BufferLendingTests
{
    /// <summary>
    /// Hashes every data event's bytes per session and direction, on the analysis thread, while
    /// the event's buffer is held; sometimes dawdles, so that lent buffers pile up and the pumps
    /// keep reading into fresh ones meanwhile.
    /// </summary>
    private sealed class HashingRecorder : IRelayRecorder
    {
        private readonly Dictionary<(long, Direction), IncrementalHash> hashes = [];
        private readonly Dictionary<(long, Direction), long> next = [];
        private readonly Random random = new(99);

        public ConcurrentDictionary<long, (byte[] Up, byte[] Down)> Sessions { get; } = new();

        public long Largest { get; private set; }

        public int Gaps { get; private set; }

        public void Opened(SessionInfo session, RelayLegs legs, OpenEvent open)
        {
            foreach (Direction d in new[] { Direction.ClientToServer, Direction.ServerToClient })
            {
                hashes[(session.Id, d)] = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                next[(session.Id, d)] = 0;
            }
        }

        public void Event(SessionInfo session, StreamEvent e, ForwardedBytes? forwarded = null)
        {
            if (e is GapEvent) Gaps++;
            if (e is not DataEvent d) return;
            // The stream is whole and in order: each event starts where the one before ended.
            Assert.Equal(next[(session.Id, d.Direction)], d.Offset);
            next[(session.Id, d.Direction)] += d.Bytes.Length;
            Largest = Math.Max(Largest, d.Bytes.Length);
            if (random.Next(8) == 0) Thread.Sleep(random.Next(0, 3));
            hashes[(session.Id, d.Direction)].AppendData(d.Bytes.Span);
        }

        public void Closed(SessionInfo session, Timestamp time)
        {
            Sessions[session.Id] = (hashes[(session.Id, Direction.ClientToServer)].GetHashAndReset(),
                hashes[(session.Id, Direction.ServerToClient)].GetHashAndReset());
        }

        public void Dispose()
        {
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task The_analysis_reads_exactly_the_bytes_forwarded_under_random_chunking_and_concurrent_sessions()
    {
        const int sessions = 6;
        var upstreamGot = new ConcurrentBag<byte[]>();
        await using var upstream = new TestServer(async s =>
        {
            // The upstream sends its own stream (seeded by what the client says first) while it
            // reads, with pauses, so the relay's sends towards it wait now and then.
            byte[] seed = new byte[4];
            for (int got = 0; got < 4;) got += await s.ReceiveAsync(seed.AsMemory(got), SocketFlags.None);
            var random = new Random(BitConverter.ToInt32(seed));
            byte[] down = RandomNumberGenerator.GetBytes(random.Next(2_000_000, 6_000_000));
            Task send = SendBigPiecesAsync(s, down, random).ContinueWith(_ => s.Shutdown(SocketShutdown.Send));
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(seed);
            byte[] buffer = new byte[256 * 1024];
            int n;
            while ((n = await s.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                if (random.Next(16) == 0) await Task.Delay(random.Next(1, 4));
            }
            await send;
            upstreamGot.Add(hash.GetHashAndReset());
            upstreamGot.Add(SHA256.HashData(down));
        });
        var recorder = new HashingRecorder();
        var clients = new ConcurrentBag<(byte[] Up, byte[] Down)>();
        await using (var proxy = new ProxyHarness(upstream.Endpoint, o => o with { AnalysisQueueBytes = 1 << 30 }, recorder))
        {
            await Task.WhenAll(Enumerable.Range(0, sessions).Select(async i =>
            {
                var random = new Random(1000 + i);
                byte[] up = RandomNumberGenerator.GetBytes(random.Next(2_000_000, 6_000_000));
                BitConverter.TryWriteBytes(up.AsSpan(0, 4), 1000 + i);
                using Socket c = await proxy.ConnectAsync();
                Task<byte[]> reading = SocketIo.ReadToEndAsync(c);
                await SendBigPiecesAsync(c, up, random);
                c.Shutdown(SocketShutdown.Send);
                byte[] down = await reading.WaitAsync(TimeSpan.FromSeconds(60));
                clients.Add((SHA256.HashData(up), SHA256.HashData(down)));
            }));
            await proxy.WaitIdleAsync();
            await proxy.StopAsync();
        }

        // Nothing was skipped (the queue limit is out of reach), so every byte was analysed...
        Assert.Equal(0, recorder.Gaps);
        // ...and reads big enough to be lent happened, so lending is what this test checked.
        Assert.True(recorder.Largest > new ProxyOptions().BufferSize / 4, $"the largest read was {recorder.Largest} bytes");
        // What each client sent is what the upstream received and what the analysis read for it;
        // what the upstream sent is what the client received and what the analysis read.
        Assert.Equal(sessions, clients.Count);
        Assert.Equal(sessions, recorder.Sessions.Count);
        var analysed = recorder.Sessions.Values.Select(h => Convert.ToHexString(h.Up) + Convert.ToHexString(h.Down)).Order().ToList();
        var relayed = clients.Select(h => Convert.ToHexString(h.Up) + Convert.ToHexString(h.Down)).Order().ToList();
        Assert.Equal(relayed, analysed);
        Assert.Equal(clients.SelectMany(h => new[] { h.Up, h.Down }).Select(Convert.ToHexString).Order(), upstreamGot.Select(Convert.ToHexString).Order());
    }

    /// <summary>Pieces from one byte to twice the relay's buffer, so reads come small, partial and full.</summary>
    private static async Task SendBigPiecesAsync(Socket s, byte[] data, Random random)
    {
        int pos = 0;
        while (pos < data.Length)
        {
            int n = Math.Min(data.Length - pos, random.Next(3) == 0 ? random.Next(1, 2_000) : random.Next(1, 256 * 1024));
            pos += await s.SendAsync(data.AsMemory(pos, n), SocketFlags.None);
        }
    }

    [Fact]
    public async Task A_loan_charges_its_bytes_and_a_full_queue_leaves_the_buffer_with_the_pump_as_a_gap()
    {
        var sink = new RecordingSink();
        var queue = new AnalysisQueue(sink, AnalyzerOptions.Default, maxQueuedBytesPerSession: 100_000);
        var t = Timestamp.FromUnixSeconds(1_800_000_000);
        AnalysisQueue.SessionTap tap = queue.Open(new IPEndPoint(IPAddress.Loopback, 40000), new IPEndPoint(IPAddress.Loopback, 21), t);

        // 60 KB of a 64 KB buffer, then 40 KB of another: 100,000 bytes, exactly the limit, both taken.
        byte[] first = new byte[64 * 1024];
        AnalysisQueue.Loan taken = tap.Lend(Direction.ServerToClient, first, 60_000, t);
        Assert.True(taken.Taken);
        AnalysisQueue.Loan second = tap.Lend(Direction.ServerToClient, new byte[64 * 1024], 40_000, t);
        Assert.True(second.Taken);
        // Anything more is over the limit: skipped, and the buffer stays the caller's.
        AnalysisQueue.Loan refused = tap.Lend(Direction.ServerToClient, new byte[64 * 1024], 40_000, t);
        Assert.False(refused.Taken);
        second.Return();
        refused.Return(); // harmless on a loan that was not taken
        taken.Return();
        tap.End(Direction.ServerToClient, EndKind.Fin, t);
        tap.Close(t);
        queue.Complete();
        await queue.RunAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Finding f = Assert.Single(sink.Findings, f => f.Name == FindingCatalog.AnalysisOverflow);
        Assert.Contains("skipped 40000 bytes", f.Summary);
    }
}
