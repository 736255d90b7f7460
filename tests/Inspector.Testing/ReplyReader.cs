using System.Net.Sockets;

namespace Inspector.Testing;

/// <summary>A raw FTP client's wait for the server's next reply line.</summary>
public static class ReplyReader
{
    /// <summary>Reads until the bytes received end with CRLF (always reads at least once); returns them.</summary>
    public static async Task<byte[]> ReadReplyAsync(Socket socket, TimeSpan? timeout = null)
    {
        var buffer = new byte[4096];
        var got = new MemoryStream();
        do
        {
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(timeout ?? TimeSpan.FromSeconds(10));
            if (n == 0) throw new IOException("the server closed before its reply ended");
            got.Write(buffer, 0, n);
        }
        while (!got.ToArray().AsSpan().EndsWith("\r\n"u8));
        return got.ToArray();
    }
}
