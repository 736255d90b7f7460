using System.Globalization;

namespace Inspector.Core.Model;

/// <summary>
/// A point in time as nanoseconds since the Unix epoch, UTC. Captures carry nanosecond stamps
/// (pcapng, nanosecond pcap) that <see cref="DateTime"/> would round, so the core keeps its own.
/// The core never reads a clock: every timestamp comes with the bytes.
/// </summary>
public readonly record struct Timestamp(long UnixNanoseconds) : IComparable<Timestamp>
{
    public static Timestamp Zero => default;

    public static Timestamp FromUnixSeconds(long seconds, long nanoseconds = 0) =>
        new(checked(seconds * 1_000_000_000L + nanoseconds));

    public static Timestamp FromDateTime(DateTime utc) =>
        new((utc.ToUniversalTime() - DateTime.UnixEpoch).Ticks * 100L);

    public DateTime ToDateTime() => DateTime.UnixEpoch.AddTicks(UnixNanoseconds / 100L);

    public Timestamp Add(TimeSpan span) => new(UnixNanoseconds + span.Ticks * 100L);

    public static TimeSpan operator -(Timestamp a, Timestamp b) =>
        TimeSpan.FromTicks((a.UnixNanoseconds - b.UnixNanoseconds) / 100L);

    public static bool operator <(Timestamp a, Timestamp b) => a.UnixNanoseconds < b.UnixNanoseconds;
    public static bool operator >(Timestamp a, Timestamp b) => a.UnixNanoseconds > b.UnixNanoseconds;
    public static bool operator <=(Timestamp a, Timestamp b) => a.UnixNanoseconds <= b.UnixNanoseconds;
    public static bool operator >=(Timestamp a, Timestamp b) => a.UnixNanoseconds >= b.UnixNanoseconds;

    public static Timestamp Max(Timestamp a, Timestamp b) => a > b ? a : b;

    public int CompareTo(Timestamp other) => UnixNanoseconds.CompareTo(other.UnixNanoseconds);

    /// <summary>Characters of <see cref="ToString"/>: "yyyy-MM-ddTHH:mm:ss.ffffffZ".</summary>
    public const int IsoLength = 27;

    /// <summary>ISO 8601, UTC, microseconds: stable across machines and cultures.</summary>
    public override string ToString()
    {
        Span<byte> utf8 = stackalloc byte[IsoLength];
        FormatIso(utf8);
        return System.Text.Encoding.ASCII.GetString(utf8);
    }

    /// <summary>
    /// Writes <see cref="ToString"/>'s text as ASCII into exactly <see cref="IsoLength"/> bytes,
    /// without allocating: every JSON line and text line carries a time, so this is on the hot
    /// path of `read`.
    /// </summary>
    public void FormatIso(Span<byte> destination)
    {
        long seconds = Math.DivRem(UnixNanoseconds, 1_000_000_000L, out long nanos);
        if (nanos < 0) { seconds--; nanos += 1_000_000_000L; }
        DateTime whole = DateTime.UnixEpoch.AddSeconds(seconds);
        // "s" is the invariant sortable pattern yyyy-MM-ddTHH:mm:ss (19 characters).
        whole.TryFormat(destination, out int written, "s", CultureInfo.InvariantCulture);
        destination[written++] = (byte)'.';
        long micros = nanos / 1000;
        for (int i = written + 5; i >= written; i--)
        {
            destination[i] = (byte)('0' + (int)(micros % 10));
            micros /= 10;
        }
        destination[written + 6] = (byte)'Z';
    }

    /// <summary>Seconds since the epoch with nanosecond digits, e.g. 1700000000.123456789.</summary>
    public string ToEpochString()
    {
        long seconds = Math.DivRem(UnixNanoseconds, 1_000_000_000L, out long nanos);
        if (nanos < 0) { seconds--; nanos += 1_000_000_000L; }
        return seconds.ToString(CultureInfo.InvariantCulture) + "." + nanos.ToString("D9", CultureInfo.InvariantCulture);
    }
}
