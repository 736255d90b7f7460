using System.Diagnostics;
using System.Net.Sockets;

namespace Inspector.Bench.Tests;

public sealed class EchoProcessTests
{
    [Fact(Timeout = 60_000)]
    public async Task The_echo_process_sends_back_every_byte_and_ends_with_its_owner()
    {
        int pid;
        using (var echo = new EchoProcess())
        {
            byte[] sent = new byte[200_000];
            new Random(5).NextBytes(sent);
            using var s = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await s.ConnectAsync(echo.Endpoint);
            Task<int> sending = s.SendAsync(sent, SocketFlags.None);
            byte[] got = new byte[sent.Length];
            int total = 0;
            while (total < got.Length)
            {
                int n = await s.ReceiveAsync(got.AsMemory(total), SocketFlags.None);
                Assert.True(n > 0, $"the echo closed after {total} bytes");
                total += n;
            }
            await sending;
            Assert.Equal(sent, got);
            pid = echo.ProcessId;
        }
        // Disposed: the child is gone (its standard input closed), not left behind.
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
    }
}
