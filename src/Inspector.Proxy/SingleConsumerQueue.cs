using System.Collections.Concurrent;

namespace Inspector.Proxy;

/// <summary>
/// Many producers that never wait, one consumer thread that blocks while there is nothing to do.
/// Waking a thread is a system call and a context switch; a relay forwarding small messages would
/// pay one per message. So the consumer, once it runs out of items, first dozes: it looks again
/// after <see cref="Doze"/> by itself, and producers do not wake it. Only when a doze finds
/// nothing does it sleep until woken. Under steady traffic the producers make no system calls
/// for the consumer at all; an idle relay has a consumer that costs nothing. A producer that
/// has piled up work may cut a doze short (<see cref="Hurry"/>).
/// </summary>
internal sealed class SingleConsumerQueue<T>
{
    /// <summary>
    /// How long the consumer may leave items waiting while traffic flows (the analysis is that
    /// much later). Each doze that ends is a wake-up on a CPU the relay's threads may want: with
    /// 1 ms, the relay's 64-byte ping-pong p99 was 3 µs higher than with 10 ms (issue #8, 30
    /// paired rounds against socat -b 131072, with counted messages joined into runs). A bulk
    /// stream does not wait out the doze: its producer hurries the consumer.
    /// </summary>
    internal static readonly TimeSpan Doze = TimeSpan.FromMilliseconds(10);

    private readonly TimeSpan doze;
    private readonly ConcurrentQueue<T> items = new();
    // No spinning before sleeping: on a small machine the spin would take CPU from the relay's pumps.
    private readonly ManualResetEventSlim wake = new(false, spinCount: 0);
    private int asleep;
    private volatile bool completed;

    public SingleConsumerQueue()
        : this(Doze)
    {
    }

    /// <param name="doze">How long the consumer dozes (tests make it long or short).</param>
    internal SingleConsumerQueue(TimeSpan doze) => this.doze = doze;

    public void Post(T item)
    {
        items.Enqueue(item);
        Wake();
    }

    /// <summary>Queues without waking the consumer: the caller calls <see cref="Wake"/> when it is off its hot path.</summary>
    public void PostQuietly(T item) => items.Enqueue(item);

    /// <summary>Wakes the consumer if it sleeps (a system call only then, never while it dozes or works).</summary>
    public void Wake()
    {
        // A full fence after the enqueue: either the consumer sees the item before it sleeps, or
        // we see it asleep. The flag is read before it is claimed: a compare-and-swap would take
        // its cache line from the other CPUs on every message, even while the consumer is awake.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref asleep) == 1 && Interlocked.CompareExchange(ref asleep, 0, 1) == 1) wake.Set();
    }

    /// <summary>Wakes the consumer now, from a doze too: a producer has queued much work (a system call when it waits).</summary>
    public void Hurry()
    {
        Interlocked.Exchange(ref asleep, 0);
        wake.Set();
    }

    /// <summary>No more posts; the consumer ends once the queue is empty.</summary>
    public void Complete()
    {
        completed = true;
        Hurry();
    }

    /// <summary>The consumer: the next item, waiting for one; false once completed and empty.</summary>
    public bool TryTake(out T item)
    {
        bool dozed = false;
        while (true)
        {
            if (items.TryDequeue(out item!)) return true;
            // Items posted before Complete are visible once it is: look once more before ending.
            if (completed) return items.TryDequeue(out item!);
            wake.Reset();
            // A hurry or the completion between the look and the reset would be lost: look once more.
            if (!items.IsEmpty || completed) continue;
            if (!dozed)
            {
                dozed = true;
                wake.Wait(doze);
                continue;
            }
            Interlocked.Exchange(ref asleep, 1);
            if (!items.IsEmpty || completed)
            {
                // A producer may have claimed the wake-up meanwhile; its Set is then spurious, which is harmless.
                Interlocked.Exchange(ref asleep, 0);
                continue;
            }
            wake.Wait();
            dozed = false;
        }
    }
}
