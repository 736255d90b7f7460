using Inspector.Capture.Tests.Cli;

namespace Inspector.Capture.Tests.Live;

/// <summary>Each way live capture cannot start gives one clear line and exit code 2.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Collection(nameof(LiveCapture))]
public class LiveErrorTests
{
    [Fact]
    public void An_unknown_interface_is_named_with_the_ones_libpcap_lists()
    {
        CliRun run = CliRun.Of("live", "-i", "no-such-if0");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("there is no interface \"no-such-if0\"", run.Stderr);
        Assert.Contains("lo", run.Stderr);
    }

    [Fact]
    public void A_bad_filter_shows_libpcaps_message()
    {
        CliRun run = CliRun.Of("live", "-i", "lo", "--filter", "tcp prt 21");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is not valid BPF: can't parse filter expression: syntax error", run.Stderr);
    }

    [Fact]
    public void A_missing_interface_argument_says_how_to_list_them()
    {
        CliRun run = CliRun.Of("live");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("inspector live --list", run.Stderr);
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("1e15")]
    public void An_idle_timeout_out_of_range_is_refused(string seconds)
    {
        CliRun run = CliRun.Of("live", "-i", "lo", "--idle-timeout", seconds);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--idle-timeout", run.Stderr);
        Assert.Contains("expected seconds above 0, at most 2592000 (30 days)", run.Stderr);
    }

    [Fact]
    public void The_list_names_the_loopback_interface()
    {
        CliRun run = CliRun.Of("live", "--list");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains(run.Lines, l => l.StartsWith("lo ", StringComparison.Ordinal) && l.Contains("loopback", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task Without_capture_permission_it_says_to_run_as_root_or_grant_the_capabilities()
    {
        // The same program as an unprivileged user (nobody) with no capabilities.
        using var run = InspectorProcess.Start("capturing on", ["live", "-i", "lo"],
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all"]);
        int code = await run.WaitExitAsync();
        Assert.True(code == 2, $"exit {code}: {run.Stderr}");
        Assert.Contains("no permission to capture on lo", run.Stderr);
        Assert.Contains("CAP_NET_RAW", run.Stderr);
    }

    [Fact(Timeout = 60_000)]
    public async Task Without_libpcap_it_names_the_package_to_install()
    {
        // libpcap hidden in a private mount namespace: every name SharpPcap tries resolves to an empty file.
        string library = Path.GetFullPath(ResolveLibpcap());
        using var run = InspectorProcess.Start("capturing on", ["live", "-i", "lo"],
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", $"mount --bind /dev/null {library} && exec \"$0\" \"$@\""]);
        int code = await run.WaitExitAsync();
        Assert.True(code == 2, $"exit {code}: {run.Stderr}");
        Assert.Contains("libpcap could not be loaded", run.Stderr);
        Assert.Contains("apt-get install libpcap0.8", run.Stderr);
    }

    private static string ResolveLibpcap()
    {
        foreach (string dir in new[] { "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib" })
        {
            string candidate = Path.Combine(dir, "libpcap.so.0.8");
            if (File.Exists(candidate)) return new FileInfo(candidate).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? candidate;
        }
        throw new InvalidOperationException("libpcap.so.0.8 not found: run tests/install-deps.sh");
    }
}
