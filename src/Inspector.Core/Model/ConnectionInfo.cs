using System.Net;

namespace Inspector.Core.Model;

/// <summary>
/// Who is who on one TCP connection. The client is the peer that opened it (sent the SYN);
/// when the capture starts mid-connection the source guesses and says so with
/// <see cref="RolesInferred"/>.
/// </summary>
public sealed record ConnectionInfo(long Id, IPEndPoint Client, IPEndPoint Server, bool RolesInferred = false)
{
    public override string ToString() => $"{Format(Client)} -> {Format(Server)}";

    public static string Format(IPEndPoint ep) =>
        ep.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{ep.Address}]:{ep.Port}"
            : $"{ep.Address}:{ep.Port}";
}
