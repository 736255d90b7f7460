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
    public void Numbers_and_booleans_keep_their_values_small_ones_in_shared_boxes()
    {
        long[] numbers = [0, 1, 4095, 4096, -1, long.MinValue, long.MaxValue];
        var a = DetailNode.Object("a");
        var b = DetailNode.Object("b");
        foreach (long n in numbers)
        {
            a.Add("n", n);
            b.Add("n", n);
        }
        a.Add("t", true).Add("f", false);
        b.Add("t", true).Add("f", false);
        Assert.Equal(numbers.Cast<object>().Concat([true, false]), a.Children.Select(c => c.Value!));
        for (int i = 0; i < numbers.Length; i++)
        {
            bool small = numbers[i] is >= 0 and < 4096;
            Assert.Equal(small, ReferenceEquals(a.Children[i].Value, b.Children[i].Value));
        }
        Assert.Same(a.Children[^2].Value, b.Children[^2].Value);
        Assert.Same(a.Children[^1].Value, b.Children[^1].Value);
        Assert.Equal("{\"n\":0,\"n\":1,\"n\":4095,\"n\":4096,\"n\":-1,\"n\":-9223372036854775808,\"n\":9223372036854775807,\"t\":true,\"f\":false}", Text.Json(a));
    }


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
