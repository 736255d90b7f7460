using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Inspector.Proxy.Tests;

/// <summary>The kernel pipe a relay thread splices through, between real loopback sockets.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class SplicePipeTests
{
    [Fact(Timeout = 60_000)]
    public async Task A_receiver_that_went_non_blocking_and_is_full_is_waited_for_not_failed()
    {
        // A relay thread's receiving socket turns non-blocking when the other direction is handed
        // over to the asynchronous pumps; a splice into it then says EAGAIN once it is full.
        (Socket sender, Socket from) = await PairAsync();
        (Socket to, Socket receiver) = await PairAsync();
        using (sender)
        using (from)
        using (to)
        using (receiver)
        {
            to.SendBufferSize = 65536;
            receiver.ReceiveBufferSize = 65536;
            to.Blocking = false;
            byte[] bytes = RandomNumberGenerator.GetBytes(4 << 20);
            using SplicePipe pipe = SplicePipe.TryCreate(256 * 1024)!;
            Assert.NotNull(pipe);

            Task<byte[]> arrived = Task.Run(async () =>
            {
                // Nothing is read until the pipe's first write has filled the receiver.
                await Task.Delay(500);
                var all = new MemoryStream();
                var buffer = new byte[64 * 1024];
                while (all.Length < bytes.Length)
                {
                    int n = await receiver.ReceiveAsync(buffer, SocketFlags.None);
                    if (n == 0) break;
                    all.Write(buffer, 0, n);
                }
                return all.ToArray();
            });
            Task sending = sender.SendAsync(bytes, SocketFlags.None);
            long moved = 0;
            while (moved < bytes.Length)
            {
                Assert.Equal(SplicePipe.Outcome.Read, pipe.Read(from, out int n));
                Assert.True(pipe.Write(to));
                moved += n;
            }
            await sending;
            Assert.Equal(bytes, await arrived);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task A_fin_a_reset_and_a_gone_receiver_read_as_what_they_are()
    {
        (Socket sender, Socket from) = await PairAsync();
        (Socket to, Socket receiver) = await PairAsync();
        using (from)
        using (to)
        {
            using SplicePipe pipe = SplicePipe.TryCreate(64 * 1024)!;
            await sender.SendAsync(new byte[] { 1, 2, 3 }, SocketFlags.None);
            Assert.Equal(SplicePipe.Outcome.Read, pipe.Read(from, out int n));
            Assert.Equal(3, n);
            sender.Shutdown(SocketShutdown.Send);
            // The pipe still holds the three bytes: a FIN is reported after them, not instead.
            Assert.True(pipe.Write(to));
            Assert.Equal(SplicePipe.Outcome.Finished, pipe.Read(from, out _));
            var got = new byte[3];
            Assert.Equal(3, await receiver.ReceiveAsync(got, SocketFlags.None));
            Assert.Equal(new byte[] { 1, 2, 3 }, got);

            // The receiver resets: a write into its connection fails (possibly after one that the
            // kernel took before it learned of the reset).
            Relay.Abort(receiver);
            sender.Dispose();
            (Socket sender2, Socket from2) = await PairAsync();
            using (sender2)
            using (from2)
            {
                bool failed = false;
                for (int i = 0; i < 10 && !failed; i++)
                {
                    await sender2.SendAsync(new byte[1000], SocketFlags.None);
                    Assert.Equal(SplicePipe.Outcome.Read, pipe.Read(from2, out _));
                    failed = !pipe.Write(to);
                    await Task.Delay(20);
                }
                Assert.True(failed, "writes into a reset connection kept succeeding");

                // The sender resets (any bytes still queued before the reset may come first).
                Relay.Abort(sender2);
                await Task.Delay(100);
                using SplicePipe fresh = SplicePipe.TryCreate(64 * 1024)!;
                SplicePipe.Outcome last;
                int reads = 0;
                while ((last = fresh.Read(from2, out _)) == SplicePipe.Outcome.Read && ++reads < 10)
                {
                }
                Assert.Equal(SplicePipe.Outcome.Reset, last);
            }
        }
    }

    /// <summary>A connected loopback pair: (the connecting side, the accepted side).</summary>
    private static async Task<(Socket, Socket)> PairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var a = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Task<Socket> accepting = Task.Run(() => listener.Accept());
        a.Connect(listener.LocalEndPoint!);
        return (a, await accepting);
    }
}
