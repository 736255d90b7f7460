using System.Net.Sockets;

namespace Inspector.Proxy.Tests;

/// <summary>What the tests of sessions relayed by threads share.</summary>
internal static class ThreadRelaySupport
{
    internal static async Task Echo(Socket s)
    {
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await s.ReceiveAsync(buffer, SocketFlags.None)) > 0) await s.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
        s.Shutdown(SocketShutdown.Send);
    }

    /// <summary>Messages of 1 to 3,000 bytes, each echoed back whole before the next goes out.</summary>
    internal static async Task ExchangeAsync(Socket c, Random random, int messages)
    {
        using var stream = new NetworkStream(c, ownsSocket: false);
        var back = new byte[3000];
        for (int i = 0; i < messages; i++)
        {
            byte[] message = new byte[random.Next(1, 3000)];
            random.NextBytes(message);
            await c.SendAsync(message, SocketFlags.None);
            // Throws EndOfStreamException if the relay closes mid-exchange.
            await stream.ReadExactlyAsync(back.AsMemory(0, message.Length));
            Assert.Equal(message, back.AsSpan(0, message.Length).ToArray());
        }
    }

    internal static async Task WaitForAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(20);
        }
    }
}
