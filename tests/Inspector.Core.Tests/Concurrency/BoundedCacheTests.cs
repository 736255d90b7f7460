using Inspector.Core.Analysis;

namespace Inspector.Core.Tests.Concurrency;

/// <summary>The one bounded cache the analysis shares between sessions: bounded, starting again when full, concurrent.</summary>
public class BoundedCacheTests
{
    [Fact]
    public void A_value_is_built_once_per_key()
    {
        var cache = new BoundedCache<int, string>(16);
        int builds = 0;
        string first = cache.Get(7, 7, k => { builds++; return "v" + k; });
        Assert.Same(first, cache.Get(7, 7, k => { builds++; return "v" + k; }));
        Assert.Equal(1, builds);
        Assert.True(cache.TryGet(7, out string? held));
        Assert.Same(first, held);
        Assert.False(cache.TryGet(8, out _));
    }

    [Fact]
    public void A_full_cache_starts_again_so_a_key_after_many_one_offs_is_still_kept()
    {
        var cache = new BoundedCache<int, object>(100);
        for (int i = 0; i < 1_000; i++) cache.Add(i, new object());
        Assert.InRange(cache.Count, 1, 100);
        object late = cache.Get(5_000, 0, _ => new object());
        Assert.Same(late, cache.Get(5_000, 0, _ => new object()));
    }

    [Fact]
    public void Keys_added_by_another_form_count_against_the_same_bound()
    {
        var cache = new BoundedCache<string, int>(10, StringComparer.Ordinal);
        var byChars = cache.Alternate<ReadOnlySpan<char>>();
        for (int i = 0; i < 50; i++) cache.Add(byChars, $"key{i}".AsSpan(), i);
        Assert.InRange(cache.Count, 1, 10);
        Assert.True(byChars.TryGetValue("key49".AsSpan(), out int v));
        Assert.Equal(49, v);
    }

    [Fact]
    public void Threads_adding_at_once_keep_it_bounded_and_every_value_right()
    {
        var cache = new BoundedCache<int, int>(64);
        Parallel.For(0, 8, t =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                int key = (i * 7 + t) % 500;
                Assert.Equal(key * 3, cache.Get(key, key, k => k * 3));
            }
        });
        Assert.InRange(cache.Count, 1, 64 + 8);
    }
}
