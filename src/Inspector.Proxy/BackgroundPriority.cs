using System.Runtime.InteropServices;

namespace Inspector.Proxy;

/// <summary>
/// Lowers the calling thread's CPU priority, so that where cores are scarce the relay's pumps run
/// first and the analysis takes what is left (a full analysis queue skips bytes, it never slows
/// the relay). On an idle machine the thread still gets a whole core.
/// </summary>
internal static class BackgroundPriority
{
    /// <summary>Linux nice value for the thread: its CFS weight is about a tenth of a normal thread's.</summary>
    internal const int Nice = 10;

    /// <summary>
    /// The time slice the thread asks the Linux scheduler for (the longest it accepts). Since 6.12
    /// the EEVDF scheduler gives a task with a long slice a late virtual deadline: it is picked
    /// after the tasks with short slices and does not cut in when it wakes. The weight, and so the
    /// thread's share of a busy CPU, is the nice value's alone. Measured on 2 cores, 64-byte
    /// ping-pong through the relay, paired against socat -b 131072 in 24 rounds (issue #8): the
    /// added p99 went from +12.0 µs to +3.2 µs, p50 from +1.8 to +0.4. The analysis thread wakes
    /// every millisecond while traffic flows; with the default slice its wake-ups delayed the
    /// relay's peers.
    /// </summary>
    internal static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(100);

    /// <summary>How <see cref="LowerCurrentThread"/> lowered the thread.</summary>
    internal enum Applied
    {
        None,
        /// <summary>sched_setattr: nice <see cref="Nice"/> and a <see cref="Slice"/> slice.</summary>
        NiceAndSlice,
        /// <summary>setpriority: nice <see cref="Nice"/> (a kernel or architecture without sched_setattr).</summary>
        Nice,
        /// <summary>Thread.Priority (not Linux).</summary>
        ThreadPriority,
    }

    public static Applied LowerCurrentThread()
    {
        if (OperatingSystem.IsLinux())
        {
            // .NET does not apply Thread.Priority on Linux; a thread's nice value is set by its kernel thread id.
            try
            {
                int tid = GetTid();
                if (SetNiceAndSlice(tid)) return Applied.NiceAndSlice;
                return SetPriority(PrioProcess, tid, Nice) == 0 ? Applied.Nice : Applied.None;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // A libc without these (not glibc or musl): the analysis runs at normal priority.
                return Applied.None;
            }
        }
        Thread.CurrentThread.Priority = ThreadPriority.BelowNormal;
        return Applied.ThreadPriority;
    }

    /// <summary>sched_setattr(2) with SCHED_OTHER, the nice value and the slice in sched_runtime; false where it is missing or refused.</summary>
    private static bool SetNiceAndSlice(int tid)
    {
        // libc has no wrapper for sched_setattr; the system call number is per architecture
        // (x86-64: arch/x86/entry/syscalls/syscall_64.tbl; arm64 and riscv64 share asm-generic's).
        long number = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 314,
            Architecture.Arm64 or Architecture.RiscV64 or Architecture.LoongArch64 => 274,
            _ => -1,
        };
        if (number < 0) return false;
        var attr = new SchedAttr
        {
            Size = (uint)Marshal.SizeOf<SchedAttr>(),
            Policy = SchedOther,
            Nice = Nice,
            // Kernels before 6.12 ignore sched_runtime for SCHED_OTHER; the nice value still applies.
            Runtime = (ulong)(Slice.Ticks * 100),
        };
        return Syscall(number, tid, ref attr, 0) == 0;
    }

    /// <summary>struct sched_attr, SCHED_ATTR_SIZE_VER0 (48 bytes; include/uapi/linux/sched/types.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct SchedAttr
    {
        public uint Size;
        public uint Policy;
        public ulong Flags;
        public int Nice;
        public uint Priority;
        public ulong Runtime;
        public ulong Deadline;
        public ulong Period;
    }

    private const int PrioProcess = 0;
    private const uint SchedOther = 0;

    // DllImport, not LibraryImport: blittable arguments need no generated marshalling (nor unsafe code).
    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int prio);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();

    // syscall(2) is variadic; glibc's and musl's take the arguments from the integer registers, as
    // for a fixed signature.
    [DllImport("libc", EntryPoint = "syscall")]
    private static extern long Syscall(long number, int tid, ref SchedAttr attr, uint flags);
}
