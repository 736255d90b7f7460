using Inspector.Capture.Tcp;

namespace Inspector.Capture.Tests.Tcp;

/// <summary>
/// A direction's history of delivered bytes (for comparing retransmissions) against a plain
/// list of everything delivered: it always holds the latest bytes, never more than the limit,
/// however the deliveries are cut and though its ring is a pooled array that may be longer
/// than asked and dirty from an earlier user.
/// </summary>
public class TcpHalfHistoryTests
{
    [Theory]
    [InlineData(16 * 1024, 1)]
    [InlineData(10_000, 2)] // not a power of two: the pool hands out 16 KB arrays for it
    [InlineData(1500, 3)]
    public void The_history_is_the_latest_bytes_up_to_the_limit(int limit, int seed)
    {
        var random = new Random(seed);
        for (int connection = 0; connection < 20; connection++)
        {
            var half = new TcpHalf();
            var delivered = new List<byte>();
            for (int step = 0; step < 60; step++)
            {
                // Mostly small segments, now and then one bigger than the whole history.
                byte[] bytes = new byte[random.Next(10) == 0 ? random.Next(limit, 2 * limit) : random.Next(1, 1500)];
                random.NextBytes(bytes);
                half.Remember(bytes, limit);
                delivered.AddRange(bytes);

                Assert.InRange(half.HistoryLength, 1, limit);
                Assert.Equal(Math.Min(delivered.Count, half.HistoryLength), half.HistoryLength);
                byte[] history = new byte[half.HistoryLength];
                half.CopyHistory(0, history);
                Assert.Equal(delivered.GetRange(delivered.Count - history.Length, history.Length), history);
                // Part of it, from the middle (a retransmission of older bytes).
                int from = random.Next(history.Length);
                byte[] tail = new byte[history.Length - from];
                half.CopyHistory(from, tail);
                Assert.Equal(history[from..], tail);
            }
            // The connection closes: its ring goes back to the pool for the next one.
            half.ForgetHistory();
            Assert.Equal(0, half.HistoryLength);
        }
    }

    [Fact]
    public void The_history_grows_to_the_limit_once_enough_was_delivered()
    {
        var half = new TcpHalf();
        half.Remember(new byte[100], 10_000);
        Assert.Equal(100, half.HistoryLength);
        for (int i = 0; i < 30; i++) half.Remember(new byte[1000], 10_000);
        Assert.Equal(10_000, half.HistoryLength);
    }
}
