using System.Diagnostics;
using Inspector.Cli;

namespace Inspector.Tui.Tests.Kit;

/// <summary>The real programs the end-to-end tests check results with.</summary>
internal static class Tools
{
    /// <summary>The built <c>inspector</c> beside the test binaries, as a shell command.</summary>
    public static string Inspector => $"dotnet {Quote(Path.Combine(AppContext.BaseDirectory, "inspector.dll"))}";

    public static string Quote(string path) => "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>tshark's one line per packet for a capture; fails the test when tshark cannot read it.</summary>
    public static string[] TsharkPackets(string capture, string? filter = null)
    {
        var psi = new ProcessStartInfo("tshark") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "-n", "-r", capture }) psi.ArgumentList.Add(a);
        if (filter is not null)
        {
            psi.ArgumentList.Add("-Y");
            psi.ArgumentList.Add(filter);
        }
        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("tshark checks the saved files (apt-get install tshark; tests/install-deps.sh installs it)", e);
        }
        using (p)
        {
            Task<string> stderr = p.StandardError.ReadToEndAsync();
            string stdout = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"tshark could not read {capture} ({p.ExitCode}): {stderr.Result}");
            return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
    }

    /// <summary><c>inspector read</c> in-process: exit code and what it printed.</summary>
    public static (int ExitCode, string Stdout) InspectorRead(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = InspectorCommand.RunAsync(["read", .. args], stdout, stderr).GetAwaiter().GetResult();
        return (code, stdout + stderr.ToString());
    }
}
