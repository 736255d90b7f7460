using System.Text;
using System.Text.Json;
using Inspector.Core.Output;
using Inspector.Core.Tests.Kit;
using Inspector.Core.Timeline;

namespace Inspector.Core.Tests.Output;

/// <summary>String lists are held as arrays until walked; every reader must still see the same items.</summary>
public class DetailNodeTests
{

    [Fact]
    public void A_string_list_reads_the_same_as_array_as_nodes_and_in_JSON()
    {
        var d = DetailNode.Object("hello").AddStrings("suites", ["a", "b\u001b", "c"]);
        DetailNode list = d.Child("suites")!;
        Assert.True(list.IsList);
        Assert.True(list.TryGetStringItems(out ReadOnlySpan<string> held));
        Assert.Equal(["a", "b\u001b", "c"], held.ToArray());
        string before = Text.Json(d);
        Assert.Equal(["a", "b\u001b", "c"], list.Children.Select(c => (string)c.Value!));
        Assert.False(list.TryGetStringItems(out _)); // walked: now nodes
        Assert.Equal(before, Text.Json(d));
        Assert.Equal("{\"suites\":[\"a\",\"b\\u001B\",\"c\"]}", before);
    }

    [Fact]
    public void A_list_of_numbers_and_a_shared_list_are_written_whole()
    {
        DetailNode numbers = DetailNode.List("types");
        numbers.Item(11).Item(10);
        Assert.False(numbers.TryGetStringItems(out _));
        string[] shared = ["x", "y"];
        DetailNode d = DetailNode.Object("hello").AddShared("names", shared);
        d.AddNode(numbers);
        DetailNode other = DetailNode.Object("hello").AddShared("names", shared);
        other.AddNode(numbers);
        Assert.Equal("{\"names\":[\"x\",\"y\"],\"types\":[11,10]}", Text.Json(d));
        Assert.Equal(Text.Json(d), Text.Json(other));
    }

    [Fact]
    public void Adding_to_a_string_list_keeps_its_items_first()
    {
        DetailNode list = DetailNode.Object("x").AddStrings("l", ["a"]).Child("l")!;
        list.Item("b");
        Assert.Equal(["a", "b"], list.Children.Select(c => (string)c.Value!));
    }

    [Fact]
    public void Readers_on_several_threads_see_one_list()
    {
        for (int round = 0; round < 200; round++)
        {
            DetailNode list = DetailNode.Object("x").AddStrings("l", Enumerable.Range(0, 50).Select(i => i.ToString())).Child("l")!;
            IReadOnlyList<DetailNode>[] seen = new IReadOnlyList<DetailNode>[4];
            Parallel.For(0, seen.Length, i => seen[i] = list.Children);
            Assert.All(seen, s => Assert.Same(list.Children, s));
            Assert.Equal(50, list.Children.Count);
        }
    }
}
