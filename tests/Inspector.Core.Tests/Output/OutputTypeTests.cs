using System.Runtime.CompilerServices;
using Inspector.Core.Analysis;

namespace Inspector.Core.Tests.Output;

/// <summary>Sinks switch on AnalysisOutput.OutputType instead of testing types: each output record must name its own.</summary>
public class OutputTypeTests
{
    [Fact]
    public void Every_output_record_has_an_output_type_of_its_own()
    {
        Type[] records = typeof(AnalysisOutput).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(AnalysisOutput)) && !t.IsAbstract)
            .ToArray();
        Assert.All(records, t => Assert.True(t.IsSealed, $"{t.Name} is not sealed"));
        var types = records.ToDictionary(t => t, t => ((AnalysisOutput)RuntimeHelpers.GetUninitializedObject(t)).OutputType);
        Assert.Equal(records.Length, types.Values.Distinct().Count());
        Assert.Equal(Enum.GetValues<OutputType>().Length, records.Length);
        Assert.Equal(OutputType.Event, types[typeof(Timeline.TimelineEvent)]);
        Assert.All(types.Where(t => t.Key != typeof(Timeline.TimelineEvent)), t => Assert.Equal(t.Key.Name, t.Value.ToString()));
    }
}
