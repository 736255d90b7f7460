using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Inspector.Proxy;

/// <summary>
/// Socket settings for the relay's blocking threads (see <c>Relay.PumpBlocking</c>). .NET keeps a
/// socket in the kernel's blocking mode until its first asynchronous operation or timeout; from
/// then on a "blocking" call is emulated through the runtime's epoll thread, which would cost the
/// very hand-off the threads are there to save. So the receive timeout that ends a quiet thread is
/// set on the socket directly (SO_RCVTIMEO), not through <see cref="Socket.ReceiveTimeout"/>.
/// </summary>
internal static class BlockingSockets
{
    // <asm-generic/socket.h> and <bits/fcntl-linux.h>; the same on x86-64, arm64 and riscv64.
    private const int SolSocket = 1;
    private const int SoRcvTimeo = 20;
    private const int FGetFl = 3;
    private const int ONonBlock = 0x800;

    /// <summary>
    /// Readies both sockets for blocking threads: true when both are in the kernel's blocking mode
    /// and took the receive timeout <paramref name="quiet"/>. False elsewhere than 64-bit Linux (struct timeval's layout),
    /// or when a socket was already used asynchronously; the relay then pumps asynchronously.
    /// </summary>
    public static bool Prepare(Socket a, Socket b, TimeSpan quiet)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64)) return false;
        try
        {
            if (!KernelBlocking(a) || !KernelBlocking(b)) return false;
            // struct timeval { long tv_sec; long tv_usec; } on 64-bit Linux.
            Span<byte> timeval = stackalloc byte[16];
            long micros = Math.Max(1000, (long)quiet.TotalMicroseconds);
            BitConverter.TryWriteBytes(timeval, micros / 1_000_000);
            BitConverter.TryWriteBytes(timeval[8..], micros % 1_000_000);
            a.SetRawSocketOption(SolSocket, SoRcvTimeo, timeval);
            b.SetRawSocketOption(SolSocket, SoRcvTimeo, timeval);
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Wakes threads blocked on <paramref name="socket"/>: shutting the receiving half wakes a recv
    /// (it reads 0) and sends the peer nothing; shutting the sending half wakes a send (EPIPE) and
    /// sends the peer a FIN.
    /// </summary>
    public static void Shut(Socket socket, SocketShutdown how)
    {
        try
        {
            socket.Shutdown(how);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Closed or reset already: no thread waits on it.
        }
    }

    /// <summary>
    /// Connects with a blocking call on a relay thread, so that the socket stays in the kernel's
    /// blocking mode for the session's threads (an asynchronous connect would switch it for
    /// good). <paramref name="token"/> (a timeout or a stop) closes the socket, which ends the
    /// connect with an <see cref="OperationCanceledException"/>.
    /// </summary>
    public static async Task ConnectAsync(Socket socket, IPAddress[] addresses, int port, CancellationToken token)
    {
        using (token.Register(socket.Dispose))
        {
            try
            {
                await RelayThreads.Run(() =>
                {
                    socket.Connect(addresses, port);
                    return true;
                });
            }
            catch (Exception e) when (token.IsCancellationRequested && e is SocketException or ObjectDisposedException)
            {
                throw new OperationCanceledException(token);
            }
            catch (SocketException e)
            {
                // The blocking call's message names the dual-mode socket's mapped address
                // ([::ffff:127.0.0.1]:21); a report names the peer as the user gave it.
                throw new SocketException((int)e.SocketErrorCode);
            }
        }
    }

    /// <summary>The descriptor is in blocking mode (O_NONBLOCK clear).</summary>
    private static bool KernelBlocking(Socket socket)
    {
        int flags = Fcntl((int)socket.SafeHandle.DangerousGetHandle(), FGetFl);
        return flags >= 0 && (flags & ONonBlock) == 0;
    }

    // fcntl(2) is variadic; F_GETFL takes no third argument.
    [DllImport("libc", EntryPoint = "fcntl")]
    private static extern int Fcntl(int fd, int cmd);
}
