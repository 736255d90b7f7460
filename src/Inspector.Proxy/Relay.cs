using System.Buffers;
using System.Net.Sockets;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Streams;
using Inspector.Proxy.Data;

namespace Inspector.Proxy;

/// <summary>
/// Two connected sockets relayed to each other (a control connection or a data connection):
/// two pumps move bytes each way in order (copied, or spliced inside the kernel while a stream
/// the analysis only counts flows; see <see cref="PumpSpliced"/>), reading only as fast as the other side accepts (each
/// read waits for the previous write). A FIN is passed on as a half-close while the other
/// direction keeps going; a reset is passed on as a reset; when one direction fails the other is
/// cancelled and awaited. The analysis gets a copy of every byte through a queue that never makes
/// a pump wait. With a <see cref="ControlLineRewriter"/> (control connections under
/// <c>--data relay</c>) the bytes forwarded are the rewriter's output; the analysis still gets
/// what the sender sent.
/// </summary>
/// <param name="client">The FTP client's side (for an active-mode data connection: the socket the relay opened to the client).</param>
/// <param name="server">The FTP server's side.</param>
/// <remarks>
/// When both sockets are still in the kernel's blocking mode (never used asynchronously, see
/// <see cref="BlockingSockets"/>) and the thread budget allows, the session starts with a thread
/// per direction (<see cref="PumpBlocking"/>); otherwise it is pumped asynchronously throughout.
/// </remarks>
internal sealed class Relay(Socket client, Socket server, AnalysisQueue.SessionTap tap, ProxyOptions options, TimeProvider clock,
    ControlLineRewriter? rewriter = null)
{
    private long lastActivity;

    /// <summary>The threads hand both directions over to the asynchronous pumps (one-way).</summary>
    private volatile bool handedOver;

    private static long handOvers;

    /// <summary>Sessions whose threads handed them over to the asynchronous pumps, in this process (for tests).</summary>
    internal static long HandOvers => Interlocked.Read(ref handOvers);

    /// <summary>The idle timeout closed the session (both connections get a FIN, not a reset).</summary>
    private volatile bool closedForIdle;

    /// <summary>Per direction: when a blocking pump last read bytes (<see cref="Environment.TickCount64"/>).</summary>
    private readonly long[] lastRead = new long[2];

    /// <summary>Per direction: its sender's FIN or reset was passed on, so nothing more is in flight.</summary>
    private readonly bool[] finished = new bool[2];

    /// <summary>Relays until both directions end, the idle timeout, or <paramref name="stop"/>; closes both sockets (the tap stays open).</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Touch();
        bool threads = RelayThreads.TryReserve(2);
        if (threads && !BlockingSockets.Prepare(client, server, options.ThreadQuiet))
        {
            RelayThreads.Release(2);
            threads = false;
        }
        using CancellationTokenRegistration wake = threads ? cancel.Token.Register(() => WakeThreads(stop)) : default;
        Task c2s = threads ? DirectionAsync(client, server, Direction.ClientToServer, cancel) : PumpAsync(client, server, Direction.ClientToServer, cancel);
        Task s2c = threads ? DirectionAsync(server, client, Direction.ServerToClient, cancel) : PumpAsync(server, client, Direction.ServerToClient, cancel);
        Task idle = WatchIdleAsync(cancel);
        try
        {
            await Task.WhenAll(c2s, s2c);
        }
        catch (Exception)
        {
            // Each pump reports its own end; the exceptions only say that it ended abruptly.
        }
        finally
        {
            // Both directions have ended: no thread waits in recv any more.
            wake.Dispose();
            cancel.Cancel();
            await idle.ConfigureAwait(false);
            if (StoppedMidSession(stop))
            {
                // Stopped mid-session: a graceful close would let a peer take a cut transfer for a
                // complete one, so both connections are reset instead.
                tap.Report(FindingCatalog.ProxyStopped, Side.Unknown, "the relay was stopped while the session was open: both connections were reset",
                    "The relay was stopped (Ctrl-C or SIGTERM) during this session, so it reset the client's and the server's connection. Anything still in transfer is incomplete.", Now());
                Abort(client);
                Abort(server);
            }
            client.Dispose();
            server.Dispose();
        }
    }

    /// <summary>
    /// Wakes the session's threads when it is cancelled: a thread blocked in a system call does
    /// not see a cancellation token. It then ends as a cancelled pump does.
    /// </summary>
    private void WakeThreads(CancellationToken stop)
    {
        if (StoppedMidSession(stop))
        {
            // Stopped mid-session: both connections are reset (see RunAsync) now rather than
            // after the pumps end, since only that wakes a thread blocked in a send to a receiver
            // that does not read.
            Abort(client);
            Abort(server);
        }
        else if (closedForIdle)
        {
            // Closed for idleness: the FIN both peers get anyway, which also wakes a blocked send.
            BlockingSockets.Shut(client, SocketShutdown.Both);
            BlockingSockets.Shut(server, SocketShutdown.Both);
        }
        else
        {
            // The other direction failed and reset its sockets: closing the receiving halves wakes
            // a thread blocked in recv and sends the peers nothing.
            BlockingSockets.Shut(client, SocketShutdown.Receive);
            BlockingSockets.Shut(server, SocketShutdown.Receive);
        }
    }

    /// <summary>
    /// The relay was stopped while bytes could still be in flight. A session the idle timeout
    /// already closed is not cut by a stop that comes after it.
    /// </summary>
    private bool StoppedMidSession(CancellationToken stop) =>
        stop.IsCancellationRequested && !closedForIdle && !(finished[0] && finished[1]);

    /// <summary>
    /// What an idle direction reads into: big enough for a control line, a small message or a
    /// TLS record header in one read, small enough that thousands of idle sessions cost little.
    /// </summary>
    internal const int WaitBufferSize = 2048;

    /// <summary>
    /// A direction relayed first by a thread blocked in recv, then, once the session has gone quiet,
    /// by <see cref="PumpAsync"/>. Waiting in recv costs a message two system calls (recv, send),
    /// where the asynchronous pump pays four on a shared epoll thread (epoll_wait, recv, send and
    /// a recv that finds nothing), and the peer's bytes wake the thread that relays them. Threads
    /// are only for sessions in rapid exchange or streaming: once neither direction has read for
    /// <see cref="ProxyOptions.ThreadQuiet"/> the session is handed over, and idle sessions hold none.
    /// At most <see cref="RelayThreads.MaxRelaying"/> threads relay at once; the sessions beyond
    /// them are pumped asynchronously from the start. Measured on 2 cores in the relay benchmark's
    /// interleaved rounds (issue #8): 64-byte ping-pong added p50 went from 2 to 5 µs more than
    /// socat -b 131072's to 2 to 3 µs less.
    /// </summary>
    private async Task DirectionAsync(Socket from, Socket to, Direction direction, CancellationTokenSource cancel)
    {
        bool goesOn;
        try
        {
            goesOn = await RelayThreads.Run(() => PumpBlocking(from, to, direction, cancel));
        }
        finally
        {
            RelayThreads.Release(1);
        }
        if (goesOn) await PumpAsync(from, to, direction, cancel);
    }

    /// <summary>
    /// Relays one direction on the calling thread with blocking calls; true when the direction
    /// goes on with <see cref="PumpAsync"/> (the session went quiet), false when it ended.
    /// </summary>
    private bool PumpBlocking(Socket from, Socket to, Direction direction, CancellationTokenSource cancel)
    {
        byte[] small = ArrayPool<byte>.Shared.Rent(WaitBufferSize);
        byte[]? buffer = null;
        ArrayBufferWriter<byte>? rewritten = rewriter is null ? null : new ArrayBufferWriter<byte>(1024);
        // Created when a direction first streams bytes the analysis only counts.
        SplicePipe? pipe = null;
        bool spliceable = rewriter is null;
        try
        {
            while (!handedOver)
            {
                // Streaming (the last read filled the big buffer) bytes the analysis only counts:
                // they move inside the kernel until the stream slows to small reads again.
                if (buffer is not null && spliceable && tap.OnlyCounts(direction))
                {
                    pipe ??= SplicePipe.TryCreate(options.BufferSize);
                    if (pipe is not null)
                    {
                        RelayBuffers.Pool.Return(buffer);
                        buffer = null;
                        if (PumpSpliced(pipe, from, to, direction, cancel) is bool goesOn) return goesOn;
                    }
                    spliceable = pipe is not null && SplicePipe.Available;
                    continue;
                }
                byte[] into = buffer ?? small;
                int size = buffer is null ? WaitBufferSize : options.BufferSize;
                int n = from.Receive(into, 0, size, SocketFlags.None, out SocketError error);
                if (cancel.IsCancellationRequested) return false;
                if (error is SocketError.TimedOut or SocketError.WouldBlock)
                {
                    if (OtherDirectionBusy(direction)) continue;
                    HandOver();
                    return true;
                }
                if (error is SocketError.ConnectionReset or SocketError.ConnectionAborted)
                {
                    SenderReset(direction, to, cancel);
                    return false;
                }
                if (error != SocketError.Success) throw new SocketException((int)error);
                if (n == 0)
                {
                    SenderFinished(direction, to);
                    return false;
                }
                Touch();
                MarkRead(direction);
                // A thread keeps the big buffer while reads bring more than the small one holds: a
                // bulk stream on loopback arrives in reads of some 90 KB, each short of the buffer,
                // and swapping buffers after each cost a 2 KB read in between. The thread gives it
                // back at a small read, or when it hands over or ends.
                bool drained = n < WaitBufferSize;
                ReadOnlyMemory<byte> forward = Inspect(direction, into, n, into == buffer, rewritten, out AnalysisQueue.Loan loan);
                if (loan.Taken) buffer = null;
                try
                {
                    while (!forward.IsEmpty)
                    {
                        int sent = to.Send(forward.Span, SocketFlags.None, out error);
                        if (error != SocketError.Success)
                        {
                            if (cancel.IsCancellationRequested) return false;
                            ReceiverReset(direction, from, cancel);
                            return false;
                        }
                        forward = forward[sent..];
                    }
                }
                finally
                {
                    loan.Return();
                }
                tap.Forwarded(direction);
                buffer = BigBufferAfter(drained, buffer);
            }
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            pipe?.Dispose();
            if (buffer is not null) RelayBuffers.Pool.Return(buffer);
            ArrayPool<byte>.Shared.Return(small);
        }
    }

    /// <summary>
    /// Relays a direction the analysis only counts through <paramref name="pipe"/> with splice(2):
    /// the bytes go from socket to socket inside the kernel, and the analysis gets their lengths.
    /// A bulk stream through a copying relay spends most of its time copying bytes into user space
    /// and back out (93% of the relay's CPU in a one-stream transfer, measured with perf for issue
    /// #8). Small messages are not spliced: two splices cost a round trip more than a recv and a
    /// send (64-byte ping-pong p99 +42 against +31 µs). Returns as <see cref="PumpBlocking"/>
    /// does, or null when the caller goes on copying: the stream slowed to reads the small buffer
    /// would hold (all of them forwarded), or the kernel cannot splice these sockets (nothing
    /// was read).
    /// </summary>
    private bool? PumpSpliced(SplicePipe pipe, Socket from, Socket to, Direction direction, CancellationTokenSource cancel)
    {
        while (!handedOver)
        {
            SplicePipe.Outcome outcome = pipe.Read(from, out int n);
            if (cancel.IsCancellationRequested) return false;
            switch (outcome)
            {
                case SplicePipe.Outcome.Unsupported:
                    return null;
                case SplicePipe.Outcome.Quiet:
                    if (OtherDirectionBusy(direction)) continue;
                    HandOver();
                    return true;
                case SplicePipe.Outcome.Reset:
                    SenderReset(direction, to, cancel);
                    return false;
                case SplicePipe.Outcome.Finished:
                    SenderFinished(direction, to);
                    return false;
            }
            Touch();
            MarkRead(direction);
            // Counted before they go on, as copied bytes are queued before they go on.
            tap.Counted(direction, n, Now());
            if (!pipe.Write(to))
            {
                if (cancel.IsCancellationRequested) return false;
                ReceiverReset(direction, from, cancel);
                return false;
            }
            tap.Forwarded(direction);
            if (n < WaitBufferSize) return null;
        }
        return true;
    }

    /// <summary>
    /// A direction quiet for <see cref="ProxyOptions.ThreadQuiet"/> keeps its thread while the
    /// other direction still streams: a one-way transfer (an FTP data connection, a download)
    /// stays on threads until it ends or pauses, rather than being handed over within a quarter
    /// of a second because its receiver never says anything. The quiet thread only wakes at each
    /// timeout to look again.
    /// </summary>
    private bool OtherDirectionBusy(Direction direction)
    {
        int other = 1 - (int)direction;
        return !finished[other] && Environment.TickCount64 - Volatile.Read(ref lastRead[other]) < options.ThreadQuiet.TotalMilliseconds;
    }

    /// <summary>
    /// Both directions were quiet for a while (SO_RCVTIMEO): the session is not in rapid exchange.
    /// The other direction's thread hands over after its next read or timeout.
    /// </summary>
    private void HandOver()
    {
        if (handedOver) return;
        handedOver = true;
        Interlocked.Increment(ref handOvers);
    }

    private async Task PumpAsync(Socket from, Socket to, Direction direction, CancellationTokenSource cancel)
    {
        // While the sender is quiet the direction waits with a read into a small buffer, not the
        // big one: thousands of idle sessions do not pin two big buffers each, and a small message
        // (a command, a reply, a ping) is read by that one call. A zero-byte read would cost a
        // second system call per message, as the data is then read by a call of its own.
        byte[] small = ArrayPool<byte>.Shared.Rent(WaitBufferSize);
        // The big buffer, held only while bytes flow: from a read that filled the one before, until
        // a read that leaves the sender's bytes drained.
        byte[]? buffer = null;
        ArrayBufferWriter<byte>? rewritten = rewriter is null ? null : new ArrayBufferWriter<byte>(1024);
        try
        {
            while (true)
            {
                byte[] into = buffer ?? small;
                int size = buffer is null ? WaitBufferSize : options.BufferSize;
                int n;
                try
                {
                    n = await from.ReceiveAsync(into.AsMemory(0, size), SocketFlags.None, cancel.Token);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
                {
                    SenderReset(direction, to, cancel);
                    return;
                }
                if (n == 0)
                {
                    SenderFinished(direction, to);
                    return;
                }
                Touch();
                // A read that filled its buffer leaves more waiting: the next read takes the big
                // buffer at once. One that did not has drained the sender for now.
                bool drained = n < size;
                ReadOnlyMemory<byte> forward = Inspect(direction, into, n, into == buffer, rewritten, out AnalysisQueue.Loan loan);
                if (loan.Taken) buffer = null;
                try
                {
                    // (Nothing to forward: line bytes the rewriter holds for a later read.)
                    if (!forward.IsEmpty) await SendAllAsync(to, forward, cancel.Token);
                }
                catch (SocketException)
                {
                    ReceiverReset(direction, from, cancel);
                    return;
                }
                finally
                {
                    // Only after the send: until then a lent buffer must not go back to the pool.
                    loan.Return();
                }
                // Only now is the analysis woken for these bytes: the wake-up is not in their way.
                tap.Forwarded(direction);
                buffer = BigBufferAfter(drained, buffer);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped because the other direction failed, the session went idle, or shutdown.
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (buffer is not null) RelayBuffers.Pool.Return(buffer);
            ArrayPool<byte>.Shared.Return(small);
        }
    }

    /// <summary>
    /// Gives the analysis the <paramref name="n"/> bytes just read into <paramref name="into"/>
    /// and returns what to forward for them. The bytes are queued before they go on: queuing never
    /// waits (a full queue skips), and only this order keeps cause before effect. Queued after
    /// forwarding, the peer's answer could reach the analysis before the command it answers. The
    /// analysis reads what the sender sent; the recording also gets what was forwarded when that
    /// differs (a rewritten announcement, or line bytes held for a later read). When
    /// <paramref name="loan"/> is taken the buffer is shared with the analysis until
    /// <see cref="AnalysisQueue.Loan.Return"/>, and the caller reads into a fresh one next.
    /// </summary>
    /// <param name="lendable">The read went into the big buffer, which may be lent.</param>
    private ReadOnlyMemory<byte> Inspect(Direction direction, byte[] into, int n, bool lendable, ArrayBufferWriter<byte>? rewritten, out AnalysisQueue.Loan loan)
    {
        loan = default;
        ReadOnlyMemory<byte> forward = into.AsMemory(0, n);
        if (rewritten is not null)
        {
            rewritten.ResetWrittenCount();
            rewriter!.Feed(direction, forward.Span, rewritten);
            forward = rewritten.WrittenMemory;
        }
        if (rewritten is null && tap.OnlyCounts(direction))
        {
            // The analysis only counts this direction now: it gets the length, not the bytes.
            tap.Counted(direction, n, Now());
        }
        else if (rewritten is not null && !forward.Span.SequenceEqual(into.AsSpan(0, n)))
        {
            tap.Data(direction, into.AsSpan(0, n), Now(), forward.Span);
        }
        else if (lendable && n > options.BufferSize / 4)
        {
            // A big read is lent to the analysis rather than copied (the copy was a fifth of the
            // relay's CPU in bulk). A small one is copied: that is cheap, and a big buffer is not
            // pinned for a few bytes.
            loan = tap.Lend(direction, into, n, Now());
        }
        else
        {
            tap.Data(direction, into.AsSpan(0, n), Now());
        }
        return forward;
    }

    /// <summary>
    /// The big buffer for the next read: given back once the sender's bytes are drained for now
    /// (a waiting direction holds only the small one), kept or taken while bytes flow.
    /// </summary>
    private byte[]? BigBufferAfter(bool drained, byte[]? buffer)
    {
        if (!drained) return buffer ?? RelayBuffers.Pool.Rent(options.BufferSize);
        if (buffer is not null) RelayBuffers.Pool.Return(buffer);
        return null;
    }

    /// <summary>The sender reset: pass the reset on, and stop the other direction.</summary>
    private void SenderReset(Direction direction, Socket to, CancellationTokenSource cancel)
    {
        tap.End(direction, EndKind.Reset, Now());
        finished[0] = finished[1] = true;
        Abort(to);
        cancel.Cancel();
    }

    /// <summary>The sender's FIN: a half-close towards the other peer; the other direction keeps flowing.</summary>
    private void SenderFinished(Direction direction, Socket to)
    {
        finished[(int)direction] = true;
        tap.End(direction, EndKind.Fin, Now());
        try
        {
            to.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The other side is already gone; its own pump reports how.
        }
    }

    /// <summary>The receiver is gone (reset) while we forwarded: reset the sender too.</summary>
    private void ReceiverReset(Direction direction, Socket from, CancellationTokenSource cancel)
    {
        tap.End(direction == Direction.ClientToServer ? Direction.ServerToClient : Direction.ClientToServer, EndKind.Reset, Now());
        finished[0] = finished[1] = true;
        Abort(from);
        cancel.Cancel();
    }

    private static async Task SendAllAsync(Socket to, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        while (!bytes.IsEmpty)
        {
            int sent = await to.SendAsync(bytes, SocketFlags.None, ct);
            bytes = bytes[sent..];
        }
    }

    /// <summary>
    /// Closes the session once neither side has sent anything for <see cref="ProxyOptions.IdleTimeout"/>.
    /// It sleeps until the session could first have been quiet that long, then looks again, so a
    /// session costs one timer per timeout, not one a second: the timer that fired every second
    /// woke a thread-pool worker that then spun for a millisecond on the other core while the
    /// relay's threads relayed (seen with strace under a steady ping-pong, issue #8).
    /// </summary>
    private async Task WatchIdleAsync(CancellationTokenSource cancel)
    {
        TimeSpan wait = options.IdleTimeout;
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                await Task.Delay(wait, clock, cancel.Token);
                TimeSpan quiet = clock.GetUtcNow() - new DateTimeOffset(Interlocked.Read(ref lastActivity), TimeSpan.Zero);
                if (quiet < options.IdleTimeout)
                {
                    // A clock that went back makes quiet negative: wait no longer than a whole timeout.
                    wait = quiet < TimeSpan.Zero ? options.IdleTimeout : options.IdleTimeout - quiet;
                    continue;
                }
                tap.Report(FindingCatalog.ProxyIdleTimeout, Side.Unknown,
                    $"no bytes either way for {quiet.TotalSeconds:0} s: the relay closed the session",
                    $"Neither side sent anything for {quiet.TotalSeconds:0} s (the idle timeout is {options.IdleTimeout.TotalSeconds:0} s), so the relay closed both connections.", Now());
                closedForIdle = true;
                cancel.Cancel();
                client.Dispose();
                return;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Closes with a reset (linger 0), as a peer that aborts would.</summary>
    internal static void Abort(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Notes activity for the idle timeout. Written only when it moved by a millisecond or more:
    /// both directions' threads touch it for every message, and a write each time would pass the
    /// field's cache line between their CPUs per message. The timeout is counted in seconds.
    /// </summary>
    private void Touch()
    {
        long now = clock.GetUtcNow().UtcTicks;
        if (Math.Abs(now - Volatile.Read(ref lastActivity)) >= TimeSpan.TicksPerMillisecond) Volatile.Write(ref lastActivity, now);
    }

    /// <summary>Notes that <paramref name="direction"/> read bytes now (<see cref="OtherDirectionBusy"/>); written only when the millisecond count moved, as <see cref="Touch"/>.</summary>
    private void MarkRead(Direction direction)
    {
        long now = Environment.TickCount64;
        if (lastRead[(int)direction] != now) Volatile.Write(ref lastRead[(int)direction], now);
    }

    private Timestamp Now() => Timestamp.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
