using System.Globalization;

namespace Inspector.Proxy.Tests;

/// <summary>The analysis thread's lowered priority, read back from the kernel (/proc) on Linux.</summary>
public class BackgroundPriorityTests
{
    [Fact]
    public void Lowers_the_calling_thread_to_nice_10_with_a_long_slice()
    {
        BackgroundPriority.Applied applied = BackgroundPriority.Applied.None;
        string? stat = null, sched = null;
        string? callerStat = null;
        var thread = new Thread(() =>
        {
            applied = BackgroundPriority.LowerCurrentThread();
            if (OperatingSystem.IsLinux())
            {
                stat = File.ReadAllText("/proc/thread-self/stat");
                sched = File.Exists("/proc/thread-self/sched") ? File.ReadAllText("/proc/thread-self/sched") : null;
            }
        });
        thread.Start();
        thread.Join();
        if (!OperatingSystem.IsLinux())
        {
            Assert.Equal(BackgroundPriority.Applied.ThreadPriority, applied);
            return;
        }
        callerStat = File.ReadAllText("/proc/thread-self/stat");
        Assert.True(applied is BackgroundPriority.Applied.NiceAndSlice or BackgroundPriority.Applied.Nice, $"applied: {applied}");
        Assert.Equal(BackgroundPriority.Nice, NiceOf(stat!));
        // Only that thread: the caller (a test thread, like the relay's pumps) keeps its priority.
        Assert.NotEqual(BackgroundPriority.Nice, NiceOf(callerStat));
        // The slice is honoured from Linux 6.12 (EEVDF custom slices); /proc shows it where the scheduler has one.
        if (applied == BackgroundPriority.Applied.NiceAndSlice && Environment.OSVersion.Version >= new Version(6, 12) && sched is not null)
        {
            string line = sched.Split('\n').Single(l => l.StartsWith("se.slice", StringComparison.Ordinal));
            long slice = long.Parse(line[(line.IndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture);
            Assert.Equal((long)BackgroundPriority.Slice.TotalNanoseconds, slice);
        }
    }

    /// <summary>The nice value: field 19 of /proc/[tid]/stat, counted after the command name's closing parenthesis.</summary>
    private static int NiceOf(string stat)
    {
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state), so field 19 is fields[16].
        return int.Parse(fields[16], CultureInfo.InvariantCulture);
    }
}
