using Inspector.Fuzz;

namespace Inspector.Fuzz.Tests;

/// <summary>
/// Replays every committed fuzz input (the minimised AFL corpus of each target, the inputs of
/// crashes that were fixed, and the repo's captures for the pcap target) through the same
/// targets AFL ran, with the same whole-versus-cut oracle, uninstrumented and without AFL.
/// </summary>
public sealed class CorpusReplayTests
{
    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        string root = AppContext.BaseDirectory;
        foreach (string target in FuzzTargets.Names)
        {
            foreach (string dir in new[] { Path.Combine(root, "corpus", target), Path.Combine(root, "regressions", target) })
            {
                if (!Directory.Exists(dir)) continue;
                foreach (string file in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
                {
                    data.Add(target, Path.GetRelativePath(root, file));
                }
            }
        }
        foreach (string file in Directory.GetFiles(Path.Combine(root, "captures")).Order(StringComparer.Ordinal))
        {
            data.Add("pcap", Path.GetRelativePath(root, file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Input_runs_without_exception_and_cuts_agree(string target, string file)
    {
        FuzzTargets.Run(target, File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, file)));
    }

    [Fact]
    public void Every_target_has_a_corpus()
    {
        foreach (string target in FuzzTargets.Names)
        {
            string dir = Path.Combine(AppContext.BaseDirectory, "corpus", target);
            Assert.True(Directory.Exists(dir) && Directory.GetFiles(dir).Length > 0, $"no corpus for {target} in {dir}");
        }
    }

    [Fact]
    public void The_script_grammar_parses_tokens_and_a_plain_session_passes_the_oracle()
    {
        // 0xFE c switches to the client; a plain session gives the same outputs whole and cut.
        byte[] script = [.. "220 hi\r\n"u8, .. StreamScript.Token('c'), .. "USER a\r\n"u8];
        var events = StreamScript.Parse(script, Inspector.Core.Model.Direction.ServerToClient);
        Assert.Equal(3, events.Count); // open, server data, client data
        FuzzTargets.Differential(events, dataConnection: false, "x"u8);
    }
}
