using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Inspector.Proxy;

/// <summary>
/// A kernel pipe that moves a relayed direction's bytes from one socket to the other with
/// splice(2), so they are never copied into the relay's memory. Only for directions the analysis
/// merely counts (see <see cref="AnalysisQueue.SessionTap.OnlyCounts"/>): it needs their lengths,
/// not their bytes. The bytes still pass in order and unchanged; the pipe is empty between reads,
/// so the pump can stop or hand over at any read.
/// </summary>
/// <remarks>
/// A socket's descriptor is referenced (<see cref="SafeHandle.DangerousAddRef"/>) for each call,
/// as .NET does for its own blocking calls: a socket closed meanwhile keeps its number until the
/// call returns (closing it wakes the call), so no other descriptor that reuses the number is
/// ever written to.
/// </remarks>
internal sealed class SplicePipe : IDisposable
{
    // <asm-generic/errno-base.h>, <asm-generic/errno.h>, <bits/fcntl-linux.h>: the same on
    // x86-64, arm64 and riscv64.
    private const int EIntr = 4;
    private const int EAgain = 11;
    private const int EInval = 22;
    private const int ConnReset = 104;
    private const int ConnAborted = 103;
    private const int Pipe = 32;
    private const int FSetPipeSz = 1031;
    private const int OCloExec = 0x80000;
    private const uint SpliceMove = 1;
    private const short PollOut = 4;

    private static long moved;

    /// <summary>Bytes moved into splice pipes in this process (for tests).</summary>
    internal static long Moved => Interlocked.Read(ref moved);

    /// <summary>Set when the kernel refused to splice a socket (EINVAL): the relay copies from then on.</summary>
    private static volatile bool unsupported;

    private readonly int readEnd;
    private readonly int writeEnd;
    private readonly int capacity;
    private int held;

    /// <summary>False once the kernel refused to splice a socket (or splice is missing): relays copy from then on.</summary>
    public static bool Available => !unsupported && OperatingSystem.IsLinux();

    private SplicePipe(int readEnd, int writeEnd, int capacity)
    {
        this.readEnd = readEnd;
        this.writeEnd = writeEnd;
        this.capacity = capacity;
    }

    /// <summary>What a read gives back.</summary>
    public enum Outcome
    {
        /// <summary>Bytes were moved into the pipe.</summary>
        Read,

        /// <summary>The sender's FIN (or the receiving half was shut).</summary>
        Finished,

        /// <summary>The sender reset the connection.</summary>
        Reset,

        /// <summary>Nothing came within the socket's receive timeout (SO_RCVTIMEO).</summary>
        Quiet,

        /// <summary>The kernel cannot splice this socket; nothing was read, so the caller may copy instead.</summary>
        Unsupported,
    }

    /// <summary>
    /// A pipe of about <paramref name="capacity"/> bytes, or null where splice is unavailable
    /// (not Linux, refused before, or no descriptors left): the caller then copies as before.
    /// </summary>
    public static SplicePipe? TryCreate(int capacity)
    {
        if (!Available) return null;
        try
        {
            Span<int> ends = stackalloc int[2];
            if (Pipe2(ref MemoryMarshal.GetReference(ends), OCloExec) != 0) return null;
            // A bigger pipe than the default 64 KB moves more per call; an unprivileged process may
            // ask for up to /proc/sys/fs/pipe-max-size (1 MB by default). The kernel rounds up to
            // pages and reports what it set; a refusal keeps the default.
            int set = FcntlInt(ends[1], FSetPipeSz, capacity);
            return new SplicePipe(ends[0], ends[1], set > 0 ? set : 65536);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            unsupported = true;
            return null;
        }
    }

    /// <summary>
    /// Moves what the sender has (at most the pipe's capacity) from <paramref name="from"/> into
    /// the pipe, waiting for it as a blocking recv does; <paramref name="read"/> is how many bytes.
    /// </summary>
    public Outcome Read(Socket from, out int read)
    {
        read = 0;
        while (true)
        {
            long n = SpliceSocket(from, toSocket: false, (nuint)capacity, out int errno);
            if (n > 0)
            {
                read = (int)n;
                held = read;
                Interlocked.Add(ref moved, n);
                return Outcome.Read;
            }
            if (n == 0) return Outcome.Finished;
            switch (errno)
            {
                // A signal interrupted the wait: a socket with a receive timeout is never restarted
                // (signal(7)), so the call is made again.
                case EIntr: continue;
                case EAgain: return Outcome.Quiet;
                case ConnReset or ConnAborted: return Outcome.Reset;
                case EInval:
                    unsupported = true;
                    return Outcome.Unsupported;
                default: throw new SocketException(errno);
            }
        }
    }

    /// <summary>Moves everything the pipe holds on to <paramref name="to"/>; false when the receiver is gone.</summary>
    public bool Write(Socket to)
    {
        while (held > 0)
        {
            long n = SpliceSocket(to, toSocket: true, (nuint)held, out int errno);
            if (n > 0)
            {
                held -= (int)n;
                continue;
            }
            if (n < 0 && errno == EIntr) continue;
            if (n < 0 && errno == EAgain)
            {
                // The receiving socket went non-blocking: the other direction was handed over to
                // the asynchronous pumps while this one read its last bytes. Wait until it takes
                // more, as a blocking send would.
                WaitWritable(to);
                continue;
            }
            if (n < 0 && errno is Pipe or ConnReset or ConnAborted) return false;
            throw new SocketException(n == 0 ? (int)SocketError.Shutdown : errno);
        }
        return true;
    }

    public void Dispose()
    {
        Close(readEnd);
        Close(writeEnd);
    }

    /// <summary>
    /// One splice between <paramref name="socket"/> and the pipe (into the pipe, or out of it when
    /// <paramref name="toSocket"/>), with the socket's descriptor referenced for the call. Throws
    /// ObjectDisposedException once the socket is closed: the pump then ends as it does for a
    /// closed socket's recv.
    /// </summary>
    private long SpliceSocket(Socket socket, bool toSocket, nuint length, out int errno)
    {
        SafeHandle handle = socket.SafeHandle;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            int fd = (int)handle.DangerousGetHandle();
            long n = toSocket
                ? Splice(readEnd, IntPtr.Zero, fd, IntPtr.Zero, length, SpliceMove)
                : Splice(fd, IntPtr.Zero, writeEnd, IntPtr.Zero, length, SpliceMove);
            // Read before the release, which may close the descriptor and set errno itself.
            errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
            return n;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>Waits until <paramref name="socket"/> can take more bytes, or fails (the next splice then says how).</summary>
    private static void WaitWritable(Socket socket)
    {
        SafeHandle handle = socket.SafeHandle;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var pollFd = new PollFd { Fd = (int)handle.DangerousGetHandle(), Events = PollOut };
            while (Poll(ref pollFd, 1, -1) < 0 && Marshal.GetLastPInvokeError() == EIntr)
            {
            }
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>struct pollfd (poll(2)).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static extern int Poll(ref PollFd fds, nuint count, int timeout);

    [DllImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static extern int Pipe2(ref int ends, int flags);

    [DllImport("libc", EntryPoint = "splice", SetLastError = true)]
    private static extern long Splice(int fdIn, IntPtr offIn, int fdOut, IntPtr offOut, nuint length, uint flags);

    // fcntl(2) is variadic; F_SETPIPE_SZ takes an int.
    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int FcntlInt(int fd, int cmd, int arg);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
