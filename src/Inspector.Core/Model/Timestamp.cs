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
        long seconds = Seconds(out long nanos);
        // yyyy-MM-ddTHH:mm:ss, the invariant sortable pattern, digit by digit: DateTime's general
        // formatter for "s" was a twentieth of the output thread of `read --json`.
        long days = Math.DivRem(seconds, 86_400L, out long secondOfDay);
        if (secondOfDay < 0) { days--; secondOfDay += 86_400L; }
        DateTime.UnixEpoch.AddDays(days).Deconstruct(out int year, out int month, out int day);
        Digits(destination[..4], year);
        destination[4] = (byte)'-';
        Digits(destination.Slice(5, 2), month);
        destination[7] = (byte)'-';
        Digits(destination.Slice(8, 2), day);
        destination[10] = (byte)'T';
        Digits(destination.Slice(11, 2), (int)(secondOfDay / 3600));
        destination[13] = (byte)':';
        Digits(destination.Slice(14, 2), (int)(secondOfDay / 60 % 60));
        destination[16] = (byte)':';
        Digits(destination.Slice(17, 2), (int)(secondOfDay % 60));
        destination[19] = (byte)'.';
        Digits(destination.Slice(20, 6), (int)(nanos / 1000));
        destination[26] = (byte)'Z';
    }

    /// <summary>Whole seconds since the epoch, rounded down (also before 1970), and the nanoseconds past them.</summary>
    internal long Seconds(out long nanos)
    {
        long seconds = Math.DivRem(UnixNanoseconds, 1_000_000_000L, out nanos);
        if (nanos < 0) { seconds--; nanos += 1_000_000_000L; }
        return seconds;
    }

    /// <summary>The value's last digits, zero-padded to fill the span.</summary>
    internal static void Digits(Span<byte> destination, int value)
    {
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }

    /// <summary>Seconds since the epoch with nanosecond digits, e.g. 1700000000.123456789.</summary>
    public string ToEpochString()
    {
        long seconds = Seconds(out long nanos);
        return seconds.ToString(CultureInfo.InvariantCulture) + "." + nanos.ToString("D9", CultureInfo.InvariantCulture);
    }
}
