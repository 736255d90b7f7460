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

    /// <summary>ISO 8601, UTC, microseconds: stable across machines and cultures.</summary>
    public override string ToString()
    {
        long seconds = Math.DivRem(UnixNanoseconds, 1_000_000_000L, out long nanos);
        if (nanos < 0) { seconds--; nanos += 1_000_000_000L; }
        DateTime whole = DateTime.UnixEpoch.AddSeconds(seconds);
        return whole.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)
            + "." + (nanos / 1000).ToString("D6", CultureInfo.InvariantCulture) + "Z";
    }

    /// <summary>Seconds since the epoch with nanosecond digits, e.g. 1700000000.123456789.</summary>
    public string ToEpochString()
    {
        long seconds = Math.DivRem(UnixNanoseconds, 1_000_000_000L, out long nanos);
        if (nanos < 0) { seconds--; nanos += 1_000_000_000L; }
        return seconds.ToString(CultureInfo.InvariantCulture) + "." + nanos.ToString("D9", CultureInfo.InvariantCulture);
    }
}
