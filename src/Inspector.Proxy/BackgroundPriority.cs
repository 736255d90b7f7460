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
    private const int Nice = 10;

    private const int PrioProcess = 0;

    public static void LowerCurrentThread()
    {
        if (OperatingSystem.IsLinux())
        {
            // .NET does not apply Thread.Priority on Linux; a thread's nice value is set by its kernel thread id.
            try
            {
                _ = SetPriority(PrioProcess, GetTid(), Nice);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // A libc without these (not glibc or musl): the analysis runs at normal priority.
            }
            return;
        }
        Thread.CurrentThread.Priority = ThreadPriority.BelowNormal;
    }

    // DllImport, not LibraryImport: blittable ints need no generated marshalling (nor unsafe code).
    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int prio);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();
}
