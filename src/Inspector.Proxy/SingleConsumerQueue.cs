using System.Collections.Concurrent;

namespace Inspector.Proxy;

/// <summary>
/// Many producers that never wait, one consumer thread that blocks while there is nothing to do.
/// Waking a thread is a system call and a context switch; a relay forwarding small messages would
/// pay one per message. So the consumer, once it runs out of items, first dozes: it looks again
/// after <see cref="Doze"/> by itself, and producers do not wake it. Only when a doze finds
/// nothing does it sleep until woken. Under steady traffic the producers make no system calls
/// for the consumer at all; an idle relay has a consumer that costs nothing.
/// </summary>
internal sealed class SingleConsumerQueue<T>
{
    /// <summary>How long the consumer may leave items waiting while traffic flows (the analysis is that much later).</summary>
    private static readonly TimeSpan Doze = TimeSpan.FromMilliseconds(1);

    private readonly ConcurrentQueue<T> items = new();
    // No spinning before sleeping: on a small machine the spin would take CPU from the relay's pumps.
    private readonly ManualResetEventSlim wake = new(false, spinCount: 0);
    private int asleep;
    private volatile bool completed;

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
        // A full fence after the enqueue: either the consumer sees the item before it sleeps, or we see it asleep.
        if (Interlocked.CompareExchange(ref asleep, 0, 1) == 1) wake.Set();
    }

    /// <summary>No more posts; the consumer ends once the queue is empty.</summary>
    public void Complete()
    {
        completed = true;
        Wake();
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
            if (!dozed)
            {
                dozed = true;
                wake.Wait(Doze);
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
