using Inspector.Core.Model;

namespace Inspector.Capture.Packets;

/// <summary>
/// Reassembles IPv4 fragments (RFC 791 §3.2) keyed by source, destination, protocol and
/// identification. Bounded: at most <see cref="MaxDatagrams"/> datagrams wait at once, each for
/// at most <see cref="Timeout"/> of capture time; the oldest are dropped (and counted) first.
/// Overlapping fragments keep the bytes that arrived first.
/// </summary>
public sealed class Ipv4Defragmenter(CaptureStats stats)
{
    public const int MaxDatagrams = 256;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly Dictionary<(uint Src, uint Dst, ushort Id, byte Proto), Datagram> pending = [];

    /// <summary>Adds one fragment's payload; returns the whole datagram's payload once every byte is there.</summary>
    public byte[]? Add(uint src, uint dst, ushort id, byte proto, int offset, bool moreFragments, ReadOnlySpan<byte> payload, Timestamp time)
    {
        stats.Ipv4Fragments++;
        Expire(time);
        var key = (src, dst, id, proto);
        if (!pending.TryGetValue(key, out Datagram? d))
        {
            if (pending.Count >= MaxDatagrams) DropOldest();
            d = new Datagram(time);
            pending[key] = d;
        }
        if (offset + payload.Length > 65535)
        {
            pending.Remove(key);
            stats.FragmentsDropped++;
            return null;
        }
        d.Add(offset, payload);
        if (!moreFragments) d.TotalLength = offset + payload.Length;
        byte[]? whole = d.TryComplete();
        if (whole is not null)
        {
            pending.Remove(key);
            stats.Ipv4Reassembled++;
        }
        return whole;
    }

    private void Expire(Timestamp now)
    {
        if (pending.Count == 0) return;
        List<(uint, uint, ushort, byte)>? old = null;
        foreach (var (key, d) in pending)
        {
            if (now - d.First > Timeout) (old ??= []).Add(key);
        }
        if (old is null) return;
        foreach (var key in old)
        {
            pending.Remove(key);
            stats.FragmentsDropped++;
        }
    }

    private void DropOldest()
    {
        var oldest = pending.MinBy(kv => kv.Value.First.UnixNanoseconds);
        pending.Remove(oldest.Key);
        stats.FragmentsDropped++;
    }

    private sealed class Datagram(Timestamp first)
    {
        private readonly byte[] bytes = new byte[65535];
        private readonly bool[] have = new bool[65535 / 8 + 1];

        public Timestamp First { get; } = first;

        public int? TotalLength { get; set; }

        public void Add(int offset, ReadOnlySpan<byte> payload)
        {
            // Fragment offsets are in 8-byte units (RFC 791 §3.1); mark and copy unit by unit so the first copy wins.
            for (int i = 0; i < payload.Length; i++)
            {
                int pos = offset + i;
                if (!have[pos / 8]) bytes[pos] = payload[i];
            }
            for (int unit = offset / 8; unit * 8 < offset + payload.Length; unit++) have[unit] = true;
        }

        public byte[]? TryComplete()
        {
            if (TotalLength is not int total) return null;
            for (int unit = 0; unit * 8 < total; unit++)
            {
                if (!have[unit]) return null;
            }
            return bytes.AsSpan(0, total).ToArray();
        }
    }
}
