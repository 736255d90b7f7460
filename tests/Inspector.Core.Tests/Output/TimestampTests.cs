using System.Globalization;
using Inspector.Core.Model;

namespace Inspector.Core.Tests.Output;

/// <summary>The ISO form is written digit by digit; it must read as DateTime's own formatting would.</summary>
public class TimestampTests
{
    private static string Oracle(long unixNanoseconds)
    {
        Int128 ns = unixNanoseconds;
        long seconds = (long)(ns >= 0 ? ns / 1_000_000_000 : (ns - 999_999_999) / 1_000_000_000);
        long micros = (long)(ns - (Int128)seconds * 1_000_000_000) / 1000;
        return DateTime.UnixEpoch.AddSeconds(seconds).ToString("s", CultureInfo.InvariantCulture) + "."
            + micros.ToString("D6", CultureInfo.InvariantCulture) + "Z";
    }

    public static TheoryData<long> Edges()
    {
        long min = (DateTime.MinValue - DateTime.UnixEpoch).Ticks * 100L;
        return new TheoryData<long>
        {
            0, 1, 999, 1000, -1, -999, -1000, -1_000_000_000L, -1_000_000_001L,
            1_767_268_800_123_456_789L, // 2026-01-01T12:00:00.123456
            951_782_400_000_000_000L,   // 2000-02-29, a leap day
            86_399_999_999_999L,        // the last nanosecond of the epoch's first day
            long.MaxValue,              // 2262-04-11
            min,                        // 0001-01-01T00:00:00
            min + 999,
        };
    }

    [Theory]
    [MemberData(nameof(Edges))]
    public void The_iso_form_reads_as_datetime_formats_it(long unixNanoseconds) =>
        Assert.Equal(Oracle(unixNanoseconds), new Timestamp(unixNanoseconds).ToString());

    [Fact]
    public void Random_times_across_the_representable_years_read_as_datetime_formats_them()
    {
        var random = new Random(8);
        long min = (DateTime.MinValue - DateTime.UnixEpoch).Ticks * 100L;
        for (int i = 0; i < 20_000; i++)
        {
            long ns = min + (long)(random.NextDouble() * ((double)long.MaxValue - min));
            Assert.Equal(Oracle(ns), new Timestamp(ns).ToString());
        }
    }
}
