namespace Inspector.Cli.Commands;

/// <summary>
/// Makes the relay's socket continuations run on the runtime's epoll threads instead of being
/// handed to the thread pool: a relayed read then costs no thread wake-up, which is much of a
/// small message's added latency. Safe for the relay because its pumps never block (a full
/// analysis queue skips; a send that cannot complete waits in epoll, not on a thread).
/// With inline completions the runtime would start one epoll thread per core; the relay starts
/// one fewer, leaving a core to the analysis thread: on 2 cores, one epoll thread for both legs
/// of a session measured fewer context switches and lower added latency than two (issue #8).
/// The runtime reads these variables once, when the first socket is registered, so this must
/// run before any socket is created. Values the user set are kept (INLINE_COMPLETIONS=0 turns it off).
/// </summary>
internal static class InlineSocketCompletions
{
    private const string Inline = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
    private const string Threads = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    public static void Enable()
    {
        if (Environment.GetEnvironmentVariable(Inline) is not null) return;
        Environment.SetEnvironmentVariable(Inline, "1");
        if (Environment.GetEnvironmentVariable(Threads) is null)
            Environment.SetEnvironmentVariable(Threads, Math.Max(1, Environment.ProcessorCount - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
