using System.Buffers.Binary;
using System.Net;

namespace Inspector.Capture.Packets;

/// <summary>
/// An IPv4 or IPv6 address and a port as a value (no allocation per packet); converted to an
/// <see cref="IPEndPoint"/> only when a connection is created.
/// </summary>
public readonly record struct FlowEndpoint(ulong High, ulong Low, bool IsV6, ushort Port) : IComparable<FlowEndpoint>
{
    public static FlowEndpoint FromIPv4(ReadOnlySpan<byte> address, ushort port) =>
        new(0, BinaryPrimitives.ReadUInt32BigEndian(address), false, port);

    public static FlowEndpoint FromIPv6(ReadOnlySpan<byte> address, ushort port) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(address), BinaryPrimitives.ReadUInt64BigEndian(address[8..]), true, port);

    public IPEndPoint ToIPEndPoint()
    {
        if (!IsV6)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)Low);
            return new IPEndPoint(new IPAddress(v4), Port);
        }
        Span<byte> v6 = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(v6, High);
        BinaryPrimitives.WriteUInt64BigEndian(v6[8..], Low);
        return new IPEndPoint(new IPAddress(v6), Port);
    }

    public int CompareTo(FlowEndpoint other)
    {
        int c = IsV6.CompareTo(other.IsV6);
        if (c == 0) c = High.CompareTo(other.High);
        if (c == 0) c = Low.CompareTo(other.Low);
        if (c == 0) c = Port.CompareTo(other.Port);
        return c;
    }

    public override string ToString() => Inspector.Core.Model.ConnectionInfo.Format(ToIPEndPoint());
}

/// <summary>A TCP connection's two endpoints in a fixed order, so both directions find the same entry.</summary>
public readonly record struct FlowKey(FlowEndpoint A, FlowEndpoint B)
{
    public static FlowKey Of(FlowEndpoint x, FlowEndpoint y) => x.CompareTo(y) <= 0 ? new(x, y) : new(y, x);

    // Every packet looks its connection up by this key. The compiler's record equality goes
    // field by field through EqualityComparer for both nested endpoints; these compare and mix
    // the raw fields, and the lookup was 4% of the reading thread on a control-heavy capture.
    public bool Equals(FlowKey other) =>
        A.Low == other.A.Low && B.Low == other.B.Low && A.Port == other.A.Port && B.Port == other.B.Port
        && A.High == other.A.High && B.High == other.B.High && A.IsV6 == other.A.IsV6 && B.IsV6 == other.B.IsV6;

    public override int GetHashCode() =>
        HashCode.Combine(A.Low, B.Low, A.Port | (B.Port << 16), A.High ^ B.High ^ (A.IsV6 ? 1UL : 0UL));
}
