namespace Inspector.Proxy;

/// <summary>
/// Threads for work that blocks in system calls (a relay direction waiting in recv, an upstream
/// connect): not the thread pool's, which a few blocked items would starve. A finished thread
/// waits for the next piece of work for <see cref="ParkTime"/> before it ends, so a stream of
/// short sessions does not create two threads each.
/// </summary>
internal static class RelayThreads
{
    /// <summary>How long an idle thread waits for more work before it ends.</summary>
    internal static readonly TimeSpan ParkTime = TimeSpan.FromSeconds(10);

    /// <summary>Small: the work keeps its buffers on the heap, and thousands of sessions may each hold two threads.</summary>
    private const int StackSize = 256 * 1024;

    /// <summary>Idle threads, the most recently parked last (taken first: its stack is warm).</summary>
    private static readonly LinkedList<Worker> Parked = new();

    /// <summary>
    /// At most this many threads relay sessions at once (<see cref="TryReserve"/>); sessions beyond
    /// them are pumped asynchronously from the start. A thousand sessions opening together would
    /// otherwise start two thousand threads, whose stacks the C library keeps cached after they end.
    /// </summary>
    internal static readonly int MaxRelaying = 8 * Environment.ProcessorCount + 16;

    /// <summary>At most this many threads wait for work; more end as soon as they are done.</summary>
    private static readonly int MaxParked = MaxRelaying;

    private static int reserved;

    /// <summary>Threads of the budget now claimed (for tests).</summary>
    internal static int Reserved => Volatile.Read(ref reserved);

    /// <summary>Claims <paramref name="threads"/> of the <see cref="MaxRelaying"/> budget; false (nothing claimed) when it is spent.</summary>
    public static bool TryReserve(int threads)
    {
        if (Interlocked.Add(ref reserved, threads) <= MaxRelaying) return true;
        Interlocked.Add(ref reserved, -threads);
        return false;
    }

    /// <summary>Gives back what <see cref="TryReserve"/> claimed, one thread at a time.</summary>
    public static void Release(int threads) => Interlocked.Add(ref reserved, -threads);

    /// <summary>Threads now running work (for tests).</summary>
    internal static int Busy => Volatile.Read(ref busy);

    private static int busy;

    /// <summary>Runs <paramref name="work"/> on a parked thread, or on a new one when none is parked.</summary>
    public static Task<T> Run<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Item()
        {
            Interlocked.Increment(ref busy);
            try
            {
                T result = work();
                Interlocked.Decrement(ref busy);
                done.SetResult(result);
            }
            catch (Exception e)
            {
                Interlocked.Decrement(ref busy);
                done.SetException(e);
            }
        }
        lock (Parked)
        {
            if (Parked.Last is { } last)
            {
                Parked.RemoveLast();
                last.Value.Give(Item);
                return done.Task;
            }
        }
        var worker = new Worker(Item);
        var thread = new Thread(worker.Loop, StackSize) { IsBackground = true, Name = "inspector relay" };
        thread.Start();
        return done.Task;
    }

    private sealed class Worker
    {
        private readonly SemaphoreSlim signal = new(0);
        private readonly LinkedListNode<Worker> node;
        private Action? next;

        public Worker(Action first)
        {
            next = first;
            node = new LinkedListNode<Worker>(this);
        }

        public void Give(Action item)
        {
            next = item;
            signal.Release();
        }

        public void Loop()
        {
            while (true)
            {
                Action item = next!;
                next = null;
                item();
                bool parked;
                lock (Parked)
                {
                    parked = Parked.Count < MaxParked;
                    if (parked) Parked.AddLast(node);
                }
                if (parked && signal.Wait(ParkTime)) continue;
                if (parked)
                {
                    bool given;
                    lock (Parked)
                    {
                        // Given work between the timeout and the lock: its signal is set, take it.
                        given = next is not null;
                        if (!given) Parked.Remove(node);
                    }
                    if (given)
                    {
                        signal.Wait();
                        continue;
                    }
                }
                return;
            }
        }
    }
}
