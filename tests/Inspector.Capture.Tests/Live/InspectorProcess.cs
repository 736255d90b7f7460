using System.Diagnostics;
using System.Text;

namespace Inspector.Capture.Tests.Live;

/// <summary>
/// <c>inspector</c> as its own process, so a test can run it like a user does and stop it with
/// SIGTERM (what Ctrl-C and service managers send).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class InspectorProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string readyText;

    private InspectorProcess(Process process, string readyText)
    {
        this.process = process;
        this.readyText = readyText;
    }

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "inspector.dll");

    /// <summary>Starts <c>dotnet inspector.dll ARGS</c> (optionally under a wrapper such as setpriv or unshare).</summary>
    public static InspectorProcess Start(string readyText, string[] args, string[]? wrapper = null)
    {
        string[] command = [.. wrapper ?? [], "dotnet", Dll, .. args];
        var psi = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in command[1..]) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var p = new Process { StartInfo = psi };
        var me = new InspectorProcess(p, readyText);
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (me.stdout) me.stdout.AppendLine(e.Data);
            if (e.Data.Contains(me.readyText, StringComparison.Ordinal)) me.ready.TrySetResult();
        };
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (me.stderr) me.stderr.AppendLine(e.Data);
            if (e.Data.Contains(me.readyText, StringComparison.Ordinal)) me.ready.TrySetResult();
        };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return me;
    }

    /// <summary>Waits until the process says it is ready (on either stream), or fails with what it printed.</summary>
    public async Task WaitReadyAsync()
    {
        Task exited = process.WaitForExitAsync();
        Task first = await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(30)));
        if (first != ready.Task) throw new InvalidOperationException($"inspector did not start: {Stderr}");
    }

    /// <summary>SIGTERM, then waits for the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!process.HasExited) Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        return await WaitExitAsync();
    }

    public async Task<int> WaitExitAsync()
    {
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        process.WaitForExit(); // drains the output readers
        return process.ExitCode;
    }

    public string Stdout
    {
        get { lock (stdout) return stdout.ToString(); }
    }

    public string Stderr
    {
        get { lock (stderr) return stderr.ToString(); }
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
    }
}
