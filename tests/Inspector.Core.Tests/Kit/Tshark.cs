using System.Diagnostics;

namespace Inspector.Core.Tests.Kit;

/// <summary>Runs the real tshark (installed by .ci/run) as the reference decoder.</summary>
public static class Tshark
{
    /// <summary>Tab-separated field rows for packets matching <paramref name="filter"/>.</summary>
    public static List<string[]> Fields(string capture, string filter, params string[] fields)
    {
        var psi = new ProcessStartInfo("tshark")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "-n", "-r", capture, "-Y", filter, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=," })
        {
            psi.ArgumentList.Add(a);
        }
        foreach (string f in fields)
        {
            psi.ArgumentList.Add("-e");
            psi.ArgumentList.Add(f);
        }
        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("tshark is needed as the reference decoder for this test (apt-get install tshark; .ci/run installs it)", e);
        }
        using (p)
        {
            Task<string> stderr = p.StandardError.ReadToEndAsync();
            string stdout = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"tshark failed ({p.ExitCode}): {stderr.Result}");
            return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split('\t')).ToList();
        }
    }
}
