namespace Inspector.Core.Concurrency;

/// <summary>
/// A bounded queue from one producer thread to one consumer thread, where a side that has to
/// wait sleeps at once. <see cref="System.Collections.Concurrent.BlockingCollection{T}"/> spins
/// first, yielding the CPU in a loop: on a 2-core machine the output thread of `read --json` spent
/// a sixth of its time in sched_yield waiting for the next batch, CPU taken from the reading
/// thread's core. Here a waiting side costs nothing until the other wakes it, which it does
/// only when someone waits. Hand over batches, not single items: each wake-up is a system call
/// (tens of microseconds on a virtual machine), and a consumer that can wait for several items
/// may say so (<c>wakeAt</c>), or look again by itself (<c>poll</c>) so that the producer need
/// hardly ever wake it.
/// </summary>
public sealed class BlockingHandoff<T>
{
    private readonly object gate = new();
    private readonly Queue<T> items = new();
    private readonly int capacity;
    private readonly int wakeAt;
    private readonly TimeSpan poll;
    private bool completed;
    private int waiting;

    /// <param name="capacity">Items queued at most; <see cref="Add"/> waits while that many wait.</param>
    /// <param name="wakeAt">
    /// How many items must wait before <see cref="Add"/> wakes a waiting consumer (1: at once).
    /// More suits a consumer for which only throughput counts: it is woken a few times, not once
    /// per item. It is always woken when adding completes.
    /// </param>
    /// <param name="poll">
    /// How long a waiting consumer sleeps before it looks again by itself; infinite (the default)
    /// when only the producer wakes it.
    /// </param>
    public BlockingHandoff(int capacity, int wakeAt = 1, TimeSpan? poll = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(wakeAt, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(wakeAt, capacity);
        this.capacity = capacity;
        this.wakeAt = wakeAt;
        this.poll = poll ?? Timeout.InfiniteTimeSpan;
    }

    /// <summary>Queues the item, waiting while the queue is full; false (and not queued) once adding is complete.</summary>
    public bool Add(T item)
    {
        lock (gate)
        {
            while (items.Count >= capacity && !completed) Wait(Timeout.InfiniteTimeSpan);
            if (completed) return false;
            items.Enqueue(item);
            if (waiting > 0 && items.Count >= wakeAt) Monitor.PulseAll(gate);
            return true;
        }
    }

    /// <summary>
    /// The oldest item, waiting while there is none; false when adding is complete and nothing is
    /// left. A waiting consumer sleeps until <c>wakeAt</c> items wait.
    /// </summary>
    public bool Take(out T item)
    {
        lock (gate)
        {
            while (items.Count == 0 && !completed) Wait(poll);
            return Dequeue(out item);
        }
    }

    /// <summary>The oldest item if there is one, without waiting.</summary>
    public bool TryTake(out T item)
    {
        lock (gate) return Dequeue(out item);
    }

    /// <summary>No more items: a waiting <see cref="Take"/> gets what is left, then false; a waiting <see cref="Add"/> gives up.</summary>
    public void CompleteAdding()
    {
        lock (gate)
        {
            completed = true;
            Monitor.PulseAll(gate);
        }
    }

    public bool IsAddingCompleted
    {
        get
        {
            lock (gate) return completed;
        }
    }

    private bool Dequeue(out T item)
    {
        if (!items.TryDequeue(out item!)) return false;
        if (waiting > 0) Monitor.PulseAll(gate);
        return true;
    }

    private void Wait(TimeSpan timeout)
    {
        waiting++;
        Monitor.Wait(gate, timeout);
        waiting--;
    }
}
