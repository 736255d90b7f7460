using System.Net;
using System.Net.Sockets;

namespace Inspector.Testing;

/// <summary>The case that started Inspector (shared/reference): what the z/OS client sent.</summary>
public static class SeedCase
{
    /// <summary>The seed trace's ClientHello record: TLS 1.0, seven suites, null compression, no extensions (62 bytes).</summary>
    public static readonly byte[] ClientHelloRecord = Convert.FromHexString(
        "160301003901000035030160385" + "3AEFEE40E3FA5C1738D117497B11A6C48D50A529ED8C9F619AF4C56C20D00000E00FF003500380039002F00320033010" + "0");

    /// <summary>
    /// What the z/OS client did, against <paramref name="endpoint"/>: waits for the greeting, sends
    /// AUTH TLS, waits for the reply, sends its ClientHello, then reads until the server closes and
    /// closes too. Returns every byte the server sent.
    /// </summary>
    public static async Task<byte[]> RunClientAsync(IPEndPoint endpoint)
    {
        using var c = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await c.ConnectAsync(endpoint);
        var received = new MemoryStream();
        received.Write(await ReplyReader.ReadReplyAsync(c));
        await c.SendAsync("AUTH TLS\r\n"u8.ToArray(), SocketFlags.None);
        received.Write(await ReplyReader.ReadReplyAsync(c));
        await c.SendAsync(ClientHelloRecord, SocketFlags.None);
        var buffer = new byte[4096];
        int n;
        while ((n = await c.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(10))) > 0) received.Write(buffer, 0, n);
        return received.ToArray();
    }
}
