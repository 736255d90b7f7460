using System.Buffers;
using System.Net;
using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Sessions;
using Inspector.Core.Streams;

namespace Inspector.Proxy;

/// <summary>
/// Carries copies of relayed bytes from the relay's pumps to the analysis without ever making a
/// pump wait: each session may have at most a fixed number of bytes queued; beyond that the
/// bytes are skipped (the relay already forwarded them) and the analysis gets a gap of the
/// right size instead. One consumer thread, at a lowered CPU priority, runs every session's
/// analyzer and writes to the sink, so the sink needs no locking.
/// </summary>
public sealed class AnalysisQueue(ISessionSink sink, AnalyzerOptions analyzer, int maxQueuedBytesPerSession, IRelayRecorder? recorder = null)
{
    // Relayed data sessions (--data relay) are checked against their control session. Missing
    // data connections are the relay's to report (proxy.data_missing): with --data direct it sees none.
    private readonly DataConnectionTracker tracker = new(sink, new DataTrackingOptions { ExpectDataConnections = false });
    // Counted bytes may wait out the analysis' nap: they produce no output until the session ends.
    private readonly SingleConsumerQueue<Item> items = new(isBackground: item => item.Run is not null);
    private readonly Dictionary<long, SessionAnalyzer> sessions = [];
    private readonly int maxQueuedBytes = maxQueuedBytesPerSession;
    private long countedBytes;

    /// <summary>Bytes the analysis was given as lengths only (see <see cref="SessionTap.OnlyCounts"/>).</summary>
    public long CountedBytes => Interlocked.Read(ref countedBytes);

    private long countedRuns;

    /// <summary>Runs of counted bytes opened (see <see cref="SessionTap.Counted"/>), for tests.</summary>
    internal long CountedRuns => Interlocked.Read(ref countedRuns);

    /// <summary>Wake-ups of the analysis thread so far (see <see cref="SessionTap.Forwarded"/>), for tests.</summary>
    internal long WakeUps => items.WakeUps;

    /// <summary>A session's side of the queue, used by its two pumps.</summary>
    public sealed class SessionTap
    {
        private readonly AnalysisQueue queue;
        private readonly long[] offsets = new long[2];
        private readonly long[] skipped = new long[2];
        private readonly long[] skippedForwarded = new long[2];
        private long queued;
        private int onlyCounts;

        /// <summary>Per direction: the counted bytes that later counts may still join (see <see cref="Counted"/>).</summary>
        private readonly CountedRun?[] runs = new CountedRun?[2];

        /// <summary>
        /// Bumped before every item this session posts other than a counted run: a run opened
        /// before it is closed to later bytes, which belong after that item.
        /// </summary>
        private int generation;

        /// <summary>
        /// Per direction: items were posted quietly and the analysis has not been woken for them
        /// (see <see cref="Forwarded"/>); <see cref="Background"/> when they were only counted runs.
        /// </summary>
        private readonly byte[] unwoken = new byte[2];

        private const byte None = 0, Background = 1, Foreground = 2;

        /// <summary>Copies up to this size are new arrays, not rented (see <see cref="Data(Direction, ReadOnlySpan{byte}, Timestamp, ReadOnlySpan{byte}, bool)"/>).</summary>
        internal const int SmallCopyBytes = 2048;

        internal SessionTap(AnalysisQueue queue, SessionInfo info, RelayLegs legs)
        {
            this.queue = queue;
            Info = info;
            Legs = legs;
        }

        public SessionInfo Info { get; }

        public RelayLegs Legs { get; }

        /// <summary>
        /// Bytes that were relayed in direction <paramref name="d"/> unchanged (called before forwarding).
        /// The analysis is not woken for them until <see cref="Forwarded"/>.
        /// </summary>
        public void Data(Direction d, ReadOnlySpan<byte> bytes, Timestamp time) => Data(d, bytes, time, default, rewritten: false);

        /// <summary>
        /// Bytes the sender of <paramref name="d"/> sent (the analysis reads these) and what the relay
        /// forwarded for them instead (a rewritten control line; the recording's receiving leg carries these).
        /// </summary>
        public void Data(Direction d, ReadOnlySpan<byte> bytes, Timestamp time, ReadOnlySpan<byte> forwarded) => Data(d, bytes, time, forwarded, rewritten: true);

        private void Data(Direction d, ReadOnlySpan<byte> bytes, Timestamp time, ReadOnlySpan<byte> forwarded, bool rewritten)
        {
            int i = (int)d;
            if (Interlocked.Read(ref queued) + bytes.Length > queue.maxQueuedBytes)
            {
                skipped[i] += bytes.Length;
                skippedForwarded[i] += rewritten ? forwarded.Length : bytes.Length;
                offsets[i] += bytes.Length;
                return;
            }
            FlushSkipped(d, time);
            Charge(bytes.Length);
            // A pooled copy: the analysis reads it synchronously (keeping copies of what it needs)
            // and returns it, so bulk relaying does not allocate a new buffer per read. A small
            // copy (a command, a reply, a message) is a new array instead: rented here and returned
            // on the analysis thread, it made the two threads meet on the shared pool's locks, which
            // showed in the relay's 64-byte ping-pong p99 (+1.9 against -1.9 µs beside socat -b
            // 131072, 12 paired rounds).
            bool small = bytes.Length <= SmallCopyBytes;
            byte[] copy = small ? GC.AllocateUninitializedArray<byte>(bytes.Length) : ArrayPool<byte>.Shared.Rent(bytes.Length);
            bytes.CopyTo(copy);
            byte[]? forwardedCopy = null;
            if (rewritten)
            {
                forwardedCopy = ArrayPool<byte>.Shared.Rent(forwarded.Length);
                forwarded.CopyTo(forwardedCopy);
            }
            PostQuietly(d, new Item(Info.Id, new DataEvent(d, offsets[i], time, copy.AsMemory(0, bytes.Length)), this)
            {
                Pooled = small ? null : copy,
                Charged = bytes.Length,
                Holders = 1,
                ForwardedPooled = forwardedCopy,
                Forwarded = rewritten ? new ForwardedBytes(forwardedCopy.AsMemory(0, forwarded.Length), forwarded.Length) : null,
            });
            offsets[i] += bytes.Length;
        }

        /// <summary>
        /// Bytes relayed unchanged in direction <paramref name="d"/>, lent instead of copied (called
        /// before forwarding them): <paramref name="buffer"/>[..<paramref name="length"/>], rented from
        /// <see cref="RelayBuffers.Pool"/>, is shared
        /// with the analysis, which reads it while the pump forwards it. A copy of a bulk read was
        /// a fifth of the relay's CPU. When the returned loan is <see cref="Loan.Taken"/> the caller
        /// must not write to the buffer again, nor return it to the pool; it calls
        /// <see cref="Loan.Return"/> once it has forwarded the bytes, and whichever of the pump and
        /// the analysis is done last gives the buffer back. When the queue is full the bytes are
        /// skipped (as with a copy) and the buffer stays the caller's. The lent bytes count against
        /// the session's queue limit, as copied ones do. Charging the whole buffer instead made an
        /// ordinary data transfer overflow the queue (reads of 93 KB charged 256 KB each); the relay
        /// lends only reads that fill over a quarter of its buffer, so what a session pins stays
        /// within four times its limit.
        /// </summary>
        public Loan Lend(Direction d, byte[] buffer, int length, Timestamp time)
        {
            int i = (int)d;
            if (Interlocked.Read(ref queued) + length > queue.maxQueuedBytes)
            {
                skipped[i] += length;
                skippedForwarded[i] += length;
                offsets[i] += length;
                return default;
            }
            FlushSkipped(d, time);
            Charge(length);
            var item = new Item(Info.Id, new DataEvent(d, offsets[i], time, buffer.AsMemory(0, length)), this)
            {
                Pooled = buffer,
                Lent = true,
                Charged = length,
                // The pump, until it has forwarded the bytes, and the analysis, until it has read them.
                Holders = 2,
            };
            PostQuietly(d, item);
            offsets[i] += length;
            return new Loan(item);
        }

        /// <summary>
        /// The bytes given to <see cref="Data(Direction, ReadOnlySpan{byte}, Timestamp)"/> (or lent, or
        /// counted) in direction <paramref name="d"/> have been forwarded: wakes the analysis for
        /// them if they were queued as an item of their own. Waking it is a system call that would
        /// otherwise delay each forwarded read; bytes that joined a counted run need no wake-up at
        /// all, and a new run wakes an analysis that sleeps but not one that naps (see
        /// <see cref="SingleConsumerQueue{T}"/>).
        /// </summary>
        public void Forwarded(Direction d)
        {
            byte what = unwoken[(int)d];
            if (what == None) return;
            unwoken[(int)d] = None;
            if (what == Foreground) queue.items.Wake();
            else queue.items.WakeSleeper();
        }

        /// <summary>Counts bytes against the queue limit; hurries the analysis once a quarter of it is queued.</summary>
        private void Charge(int length)
        {
            long total = Interlocked.Add(ref queued, length);
            long hurry = queue.maxQueuedBytes / 4;
            // Only on the way up: a stream that keeps the queue above the mark does not wake it per read.
            if (total > hurry && total - length <= hurry) queue.items.Hurry();
        }

        /// <summary>Queues an item of direction <paramref name="d"/> other than a counted run, without waking the analysis (see <see cref="Forwarded"/>).</summary>
        private void PostQuietly(Direction d, Item item)
        {
            CloseRuns();
            Enqueue(d, item, Foreground);
        }

        private void Enqueue(Direction d, Item item, byte what)
        {
            if (unwoken[(int)d] < what) unwoken[(int)d] = what;
            queue.items.PostQuietly(item);
        }

        /// <summary>Closes the counted runs to later bytes (called before posting any other item).</summary>
        internal void CloseRuns() => Interlocked.Increment(ref generation);

        /// <summary>
        /// True once the analysis only counts direction <paramref name="d"/>'s bytes (it is opaque,
        /// or plaintext data past its preview; see <see cref="SessionAnalyzer.OnlyCounts"/>). The
        /// pump may then pass lengths (<see cref="Counted"/>) instead of copying or lending bytes:
        /// a bulk plaintext transfer or a stream that is not FTP costs the analysis nothing per
        /// byte. Never set while recording, which needs the bytes. Set by the analysis thread and
        /// final, so a pump that reads it late only copies a little longer.
        /// </summary>
        public bool OnlyCounts(Direction d) => (Volatile.Read(ref onlyCounts) & (1 << (int)d)) != 0;

        internal void MarkOnlyCounts(Direction d) => Interlocked.Or(ref onlyCounts, 1 << (int)d);

        /// <summary>
        /// <paramref name="length"/> bytes relayed unchanged in a direction that <see cref="OnlyCounts"/>
        /// (called before forwarding them). Consecutive counts join one run, which the analysis
        /// takes whole: a stream of small messages (a 64-byte ping-pong that is not FTP) costs the
        /// analysis one item per wake-up, not one per message. An item and its hand-over per
        /// message added 3 to 5 µs to the relay's ping-pong p99 (issue #8, 30 paired rounds
        /// against socat -b 131072). A run the analysis has taken, or one that any other item of
        /// this session followed, takes no more bytes: the next count opens a new one, so counted
        /// bytes never reach the analysis before an item posted ahead of them.
        /// </summary>
        public void Counted(Direction d, int length, Timestamp time)
        {
            int i = (int)d;
            FlushSkipped(d, time);
            int now = Volatile.Read(ref generation);
            if (runs[i] is { } open && open.Generation == now && open.TryAdd(length, time))
            {
                offsets[i] += length;
                return;
            }
            var run = new CountedRun(d, offsets[i], length, time, now);
            Interlocked.Increment(ref queue.countedRuns);
            runs[i] = run;
            Enqueue(d, new Item(Info.Id, null, this) { Run = run }, Background);
            offsets[i] += length;
        }

        public void End(Direction d, EndKind kind, Timestamp time)
        {
            FlushSkipped(d, time);
            queue.Post(new Item(Info.Id, new EndEvent(d, kind, time), this));
        }

        /// <summary>Something the relay itself reports about this session (upstream failure, idle close).</summary>
        public void Report(string finding, Side side, string summary, string explanation, Timestamp time) =>
            queue.Post(new Item(Info.Id, new AnomalyEvent(Direction.ClientToServer, 0, time, finding, summary, explanation, default, side), this));

        /// <summary>The session is over; the analysis ends it once everything before has been read.</summary>
        public void Close(Timestamp time) => queue.Post(new Item(Info.Id, null, this) { Time = time });

        internal void Consumed(int bytes) => Interlocked.Add(ref queued, -bytes);

        private void FlushSkipped(Direction d, Timestamp time)
        {
            int i = (int)d;
            if (skipped[i] == 0) return;
            long gap = skipped[i], forwardedGap = skippedForwarded[i];
            skipped[i] = skippedForwarded[i] = 0;
            queue.Post(new Item(Info.Id, new GapEvent(d, offsets[i] - gap, gap, time, "skipped: the analysis queue was full", GapCause.AnalysisOverflow), this)
            {
                Forwarded = forwardedGap == gap ? null : new ForwardedBytes(default, forwardedGap),
            });
        }
    }

    /// <summary>
    /// Bytes counted in one direction, in a row: a pump adds to it while it is open, the analysis
    /// takes it whole (<see cref="Take"/>) and closes it.
    /// </summary>
    private sealed class CountedRun(Direction direction, long offset, long length, Timestamp time, int generation)
    {
        /// <summary>The bytes so far; negative once taken.</summary>
        private long length = length;

        /// <summary>The time of the latest bytes (Unix nanoseconds).</summary>
        private long time = time.UnixNanoseconds;

        public Direction Direction { get; } = direction;

        public long Offset { get; } = offset;

        /// <summary>The session's <see cref="SessionTap"/> generation it was opened in.</summary>
        public int Generation { get; } = generation;

        /// <summary>Adds bytes unless the analysis has taken the run already (then the caller opens a new one).</summary>
        public bool TryAdd(long bytes, Timestamp at)
        {
            long seen = Volatile.Read(ref length);
            while (seen >= 0)
            {
                long was = Interlocked.CompareExchange(ref length, seen + bytes, seen);
                if (was == seen)
                {
                    Volatile.Write(ref time, at.UnixNanoseconds);
                    return true;
                }
                seen = was;
            }
            return false;
        }

        /// <summary>The analysis takes the run: its length and latest time, and no byte joins it any more.</summary>
        public (long Length, Timestamp Time) Take()
        {
            long taken = Interlocked.Exchange(ref length, long.MinValue);
            return (taken, new Timestamp(Volatile.Read(ref time)));
        }
    }

    /// <summary>
    /// The pump's share of a buffer lent with <see cref="SessionTap.Lend"/>. Default (not taken)
    /// when the analysis queue was full and the buffer stayed the pump's.
    /// </summary>
    public readonly struct Loan
    {
        private readonly Item? item;

        internal Loan(object item) => this.item = (Item)item;

        /// <summary>The analysis shares the buffer: the pump must neither write to it nor return it to the pool.</summary>
        public bool Taken => item is not null;

        /// <summary>The pump has forwarded the bytes (or given up): its share ends. Call once.</summary>
        public void Return()
        {
            if (item is not null) Release(item);
        }
    }

    /// <summary>One holder of a data event's buffer is done; the last returns it to the pool.</summary>
    private static void Release(Item item)
    {
        if (Interlocked.Decrement(ref item.Holders) != 0) return;
        if (item.Pooled is not null) (item.Lent ? RelayBuffers.Pool : ArrayPool<byte>.Shared).Return(item.Pooled);
        if (item.ForwardedPooled is not null) ArrayPool<byte>.Shared.Return(item.ForwardedPooled);
    }

    private sealed record Item(long Session, StreamEvent? Event, SessionTap Tap)
    {
        /// <summary>When a close happened (a data event carries its own time).</summary>
        public Timestamp Time { get; init; }

        /// <summary>
        /// The rented array behind a data event, returned to the pool by the last of its
        /// <see cref="Holders"/> (the analysis once it has read the event, and for a lent buffer the pump too);
        /// null for a small copy, which is a new array (see <see cref="SessionTap.SmallCopyBytes"/>).
        /// </summary>
        public byte[]? Pooled { get; init; }

        /// <summary><see cref="Pooled"/> is the relay's buffer (<see cref="SessionTap.Lend"/>), from <see cref="RelayBuffers.Pool"/>; otherwise a copy from the shared pool.</summary>
        public bool Lent { get; init; }

        /// <summary>Who still uses <see cref="Pooled"/> (decremented with <see cref="Release"/>).</summary>
        public int Holders;

        /// <summary>What this item counts against the session's queue limit until it has been read.</summary>
        public int Charged { get; init; }

        /// <summary>What the receiving leg carried instead, when the relay changed the bytes (for the recording).</summary>
        public ForwardedBytes? Forwarded { get; init; }

        public byte[]? ForwardedPooled { get; init; }

        /// <summary>Bytes counted, not passed (see <see cref="SessionTap.Counted"/>); null for other items.</summary>
        public CountedRun? Run { get; init; }
    }

    private long nextId;

    /// <param name="legs">The relay's two connections, for recording; by default client to server directly.</param>
    public SessionTap Open(IPEndPoint client, IPEndPoint server, Timestamp time, RelayLegs? legs = null)
    {
        var info = new SessionInfo(Interlocked.Increment(ref nextId), client, server, time, Midstream: false, RolesInferred: false);
        var tap = new SessionTap(this, info, legs ?? new RelayLegs(client, server, null, null));
        Post(new Item(info.Id, new OpenEvent(time, false), tap));
        return tap;
    }

    /// <summary>
    /// A data connection of <paramref name="parent"/>'s control session, relayed. Its Client and
    /// Server are the FTP roles whoever opened the TCP connection (RFC 4217 §7): ClientToServer is
    /// what the FTP client sent. <paramref name="serverConnected"/>: active mode (PORT/EPRT).
    /// </summary>
    public SessionTap OpenData(SessionTap parent, IPEndPoint ftpClient, IPEndPoint ftpServer, bool serverConnected, Timestamp time, RelayLegs legs)
    {
        var info = new SessionInfo(Interlocked.Increment(ref nextId), ftpClient, ftpServer, time, Midstream: false, RolesInferred: false,
            Data: new DataLink(parent.Info.Id, Inferred: false, ServerConnected: serverConnected));
        var tap = new SessionTap(this, info, legs);
        Post(new Item(info.Id, new OpenEvent(time, false), tap));
        return tap;
    }

    /// <summary>No more sessions will be opened; <see cref="RunAsync"/> ends once the queue is drained.</summary>
    public void Complete() => items.Complete();

    /// <summary>Starts the consumer thread; the task ends after <see cref="Complete"/>, once the queue is empty.</summary>
    public Task RunAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Its own thread, not the thread pool's: its priority can be lowered without touching the pumps'.
        var thread = new Thread(() =>
        {
            try
            {
                BackgroundPriority.LowerCurrentThread();
                Run();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "inspector analysis",
        };
        thread.Start();
        return done.Task;
    }

    private void Run()
    {
        while (items.TryTake(out Item item))
        {
            try
            {
                Consume(item);
            }
            finally
            {
                if (item.Pooled is not null) Release(item);
            }
        }
        foreach (SessionAnalyzer open in sessions.Values)
        {
            open.Finish(open.Session.Start, EndKind.EndOfCapture);
            recorder?.Closed(open.Session, open.Session.Start);
        }
        sessions.Clear();
    }

    /// <summary>One queued item: opens, feeds or ends its session's analyzer, and the recording.</summary>
    private void Consume(Item item)
    {
        if (!sessions.TryGetValue(item.Session, out SessionAnalyzer? session))
        {
            if (item.Event is not OpenEvent open) return;
            session = new SessionAnalyzer(item.Tap.Info, tracker, analyzer);
            sessions[item.Session] = session;
            recorder?.Opened(item.Tap.Info, item.Tap.Legs, open);
        }
        if (item.Run is { } run)
        {
            (long length, Timestamp time) = run.Take();
            session.FeedCounted(run.Direction, run.Offset, length, time);
            Interlocked.Add(ref countedBytes, length);
            return;
        }
        if (item.Event is null)
        {
            session.Finish(item.Time, EndKind.EndOfCapture);
            sessions.Remove(item.Session);
            recorder?.Closed(item.Tap.Info, item.Time);
            return;
        }
        session.Feed(item.Event);
        if (item.Event is not OpenEvent) recorder?.Event(item.Tap.Info, item.Event, item.Forwarded);
        if (item.Event is DataEvent data)
        {
            item.Tap.Consumed(item.Charged);
            if (recorder is null && !item.Tap.OnlyCounts(data.Direction) && session.OnlyCounts(data.Direction)) item.Tap.MarkOnlyCounts(data.Direction);
        }
    }

    private void Post(Item item)
    {
        item.Tap.CloseRuns();
        items.Post(item);
    }
}
