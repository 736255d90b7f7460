using System.Collections.Concurrent;

namespace Inspector.Proxy.Tests;

/// <summary>
/// The analysis queue's consumer dozes after it runs out of items, naps instead when it took only
/// background items, and sleeps after a doze or nap that found nothing. Producers post quietly; a
/// wake-up reaches a sleeping or napping consumer, a wake-up for background work only a sleeping
/// one, a hurry a dozing one too, and a quiet post is seen when the doze ends.
/// </summary>
public class SingleConsumerQueueTests
{
    /// <summary>Runs the consumer on a thread of its own, handing each item to the test.</summary>
    private static (Thread Thread, BlockingCollection<int> Taken) Consume(SingleConsumerQueue<int> queue)
    {
        var taken = new BlockingCollection<int>();
        var thread = new Thread(() =>
        {
            while (queue.TryTake(out int item)) taken.Add(item);
            taken.CompleteAdding();
        })
        { IsBackground = true };
        thread.Start();
        return (thread, taken);
    }

    /// <summary>The consumer hands over <paramref name="expected"/> next, within seconds.</summary>
    private static void AssertTakes(BlockingCollection<int> taken, int expected)
    {
        Assert.True(taken.TryTake(out int item, TimeSpan.FromSeconds(10)), $"item {expected} was not taken");
        Assert.Equal(expected, item);
    }

    [Fact(Timeout = 60_000)]
    public Task A_hurry_cuts_a_doze_short() => Task.Run(() =>
    {
        // A doze longer than the test: only the hurry can end it.
        var queue = new SingleConsumerQueue<int>(TimeSpan.FromMinutes(10));
        queue.Post(1);
        (Thread thread, BlockingCollection<int> taken) = Consume(queue);
        AssertTakes(taken, 1);
        Thread.Sleep(200); // the consumer is dozing now

        queue.PostQuietly(2);
        queue.Wake(); // does not disturb a doze
        Assert.False(taken.TryTake(out _, TimeSpan.FromMilliseconds(300)));
        queue.Hurry();
        AssertTakes(taken, 2);

        queue.Complete();
        Assert.True(thread.Join(TimeSpan.FromSeconds(10)));
    });

    [Fact(Timeout = 60_000)]
    public Task A_quiet_post_is_seen_when_the_doze_ends_and_a_wake_up_reaches_a_sleeping_consumer() => Task.Run(() =>
    {
        var queue = new SingleConsumerQueue<int>(TimeSpan.FromMilliseconds(20));
        queue.Post(1);
        (Thread thread, BlockingCollection<int> taken) = Consume(queue);
        AssertTakes(taken, 1);

        // Posted while the consumer dozes: no wake-up needed.
        queue.PostQuietly(2);
        AssertTakes(taken, 2);

        // After a doze that found nothing it sleeps: a quiet post waits for the wake-up.
        Thread.Sleep(300);
        queue.PostQuietly(3);
        Assert.False(taken.TryTake(out _, TimeSpan.FromMilliseconds(300)));
        queue.Wake();
        AssertTakes(taken, 3);

        queue.Complete();
        Assert.True(thread.Join(TimeSpan.FromSeconds(10)));
        Assert.True(taken.IsCompleted);
    });

    /// <summary>Negative items are background work (as counted bytes are to the analysis).</summary>
    private static bool Background(int item) => item < 0;

    [Fact(Timeout = 60_000)]
    public Task After_only_background_items_the_consumer_naps_and_only_other_items_wake_it() => Task.Run(() =>
    {
        // A nap longer than the test: only a wake-up for a foreground item can end it.
        var queue = new SingleConsumerQueue<int>(TimeSpan.FromMilliseconds(20), TimeSpan.FromMinutes(10), Background);
        queue.Post(-1);
        (Thread thread, BlockingCollection<int> taken) = Consume(queue);
        AssertTakes(taken, -1);
        Thread.Sleep(200); // napping now

        queue.PostQuietly(-2);
        queue.WakeSleeper(); // background work does not end a nap
        Assert.False(taken.TryTake(out _, TimeSpan.FromMilliseconds(300)));
        queue.PostQuietly(3);
        queue.Wake();
        AssertTakes(taken, -2);
        AssertTakes(taken, 3);

        // After a foreground item it dozes (20 ms) instead: a quiet post is seen without a wake-up.
        queue.PostQuietly(-4);
        AssertTakes(taken, -4);

        queue.Complete();
        Assert.True(thread.Join(TimeSpan.FromSeconds(10)));
    });

    [Fact(Timeout = 60_000)]
    public Task A_nap_that_found_nothing_ends_in_a_sleep_that_background_work_ends() => Task.Run(() =>
    {
        var queue = new SingleConsumerQueue<int>(TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(20), Background);
        queue.Post(-1);
        (Thread thread, BlockingCollection<int> taken) = Consume(queue);
        AssertTakes(taken, -1);
        Thread.Sleep(300); // the 20 ms nap found nothing: asleep now

        queue.PostQuietly(-2);
        Assert.False(taken.TryTake(out _, TimeSpan.FromMilliseconds(300)));
        queue.WakeSleeper();
        AssertTakes(taken, -2);

        queue.Complete();
        Assert.True(thread.Join(TimeSpan.FromSeconds(10)));
    });
}
