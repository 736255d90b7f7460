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
/// Some items are background work that may wait (<see cref="isBackground"/>: bytes the analysis
/// only counts). When everything taken since the consumer last waited was such, it naps instead
/// of dozing: for <see cref="Nap"/>, and any other item wakes it (<see cref="Wake"/>). A stream
/// that is only counted then costs one wake-up a second, not one per doze.
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

    /// <summary>
    /// How long background items (counted bytes) may wait while nothing else comes. With a 10 ms
    /// doze for them too, the relay's ping-pong of counted messages had a p99 8 and 5 µs higher
    /// than with a 200 ms one (issue #8, two benchmark runs on kept connections).
    /// </summary>
    internal static readonly TimeSpan Nap = TimeSpan.FromSeconds(1);

    private const int Awake = 0, Asleep = 1, Napping = 2;

    private readonly TimeSpan doze;
    private readonly TimeSpan nap;
    private readonly Func<T, bool>? isBackground;
    private readonly ConcurrentQueue<T> items = new();
    // No spinning before sleeping: on a small machine the spin would take CPU from the relay's pumps.
    private readonly ManualResetEventSlim wake = new(false, spinCount: 0);
    private int state;
    private volatile bool completed;

    /// <param name="isBackground">Items that may wait out a nap (see the class summary); none when null.</param>
    public SingleConsumerQueue(Func<T, bool>? isBackground = null)
        : this(Doze, Nap, isBackground)
    {
    }

    /// <param name="doze">How long the consumer dozes (tests make it long or short).</param>
    /// <param name="nap">How long it naps after taking only background items.</param>
    /// <param name="isBackground">Items that may wait out a nap.</param>
    internal SingleConsumerQueue(TimeSpan doze, TimeSpan nap = default, Func<T, bool>? isBackground = null)
    {
        this.doze = doze;
        this.nap = nap == default ? Nap : nap;
        this.isBackground = isBackground;
    }

    public void Post(T item)
    {
        items.Enqueue(item);
        Wake();
    }

    /// <summary>Queues without waking the consumer: the caller calls <see cref="Wake"/> (or <see cref="WakeSleeper"/>) when it is off its hot path.</summary>
    public void PostQuietly(T item) => items.Enqueue(item);

    /// <summary>
    /// Wakes the consumer if it sleeps or naps (a system call only then, never while it dozes or
    /// works): for items that are not background work.
    /// </summary>
    public void Wake()
    {
        // A full fence after the enqueue: either the consumer sees the item before it waits, or
        // we see it waiting. The state is read before it is claimed: an exchange would take its
        // cache line from the other CPUs on every message, even while the consumer is awake.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref state) != Awake && Interlocked.Exchange(ref state, Awake) != Awake) SetWake();
    }

    /// <summary>Wakes the consumer only if it sleeps (a nap ends by itself): for background items.</summary>
    public void WakeSleeper()
    {
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref state) == Asleep && Interlocked.CompareExchange(ref state, Awake, Asleep) == Asleep) SetWake();
    }

    /// <summary>Wakes the consumer now, from a doze too: a producer has queued much work (a system call when it waits).</summary>
    public void Hurry()
    {
        Interlocked.Exchange(ref state, Awake);
        SetWake();
    }

    private long wakeUps;

    /// <summary>Wake-ups producers have made (each a system call when the consumer waits), for tests.</summary>
    internal long WakeUps => Interlocked.Read(ref wakeUps);

    private void SetWake()
    {
        Interlocked.Increment(ref wakeUps);
        wake.Set();
    }

    /// <summary>No more posts; the consumer ends once the queue is empty.</summary>
    public void Complete()
    {
        completed = true;
        Hurry();
    }

    // The consumer's own: what it has taken since it last waited.
    private bool takenSinceWait;
    private bool foregroundSinceWait;

    /// <summary>The consumer: the next item, waiting for one; false once completed and empty.</summary>
    public bool TryTake(out T item)
    {
        while (true)
        {
            if (items.TryDequeue(out item!))
            {
                takenSinceWait = true;
                if (isBackground is null || !isBackground(item)) foregroundSinceWait = true;
                return true;
            }
            // Items posted before Complete are visible once it is: look once more before ending.
            if (completed) return items.TryDequeue(out item!);
            wake.Reset();
            // A hurry or the completion between the look and the reset would be lost: look once more.
            if (!items.IsEmpty || completed) continue;
            if (!takenSinceWait) Wait(Asleep, Timeout.InfiniteTimeSpan); // the last wait found nothing
            else if (foregroundSinceWait) Wait(Awake, doze);
            else Wait(Napping, nap);
            takenSinceWait = foregroundSinceWait = false;
        }
    }

    /// <summary>Waits in <paramref name="waiting"/>: a doze (Awake to producers, only a hurry ends it) or a wait they end with a wake-up.</summary>
    private void Wait(int waiting, TimeSpan timeout)
    {
        if (waiting == Awake)
        {
            wake.Wait(timeout);
            return;
        }
        Interlocked.Exchange(ref state, waiting);
        // A producer may claim the wake-up from here on; its Set is then spurious, which is harmless.
        if (items.IsEmpty && !completed) wake.Wait(timeout);
        Interlocked.Exchange(ref state, Awake);
    }
}
