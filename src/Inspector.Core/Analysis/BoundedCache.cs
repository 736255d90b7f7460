using System.Collections.Concurrent;

namespace Inspector.Core.Analysis;

/// <summary>
/// Values built once per distinct key and shared: labels and details that repeat thousands of
/// times on a busy capture. Bounded, so a hostile peer sending every possible key fills it and
/// no more; past the bound values are built each time, as without a cache. Concurrent, since the
/// proxy's sessions share it. Values must never be changed once built.
/// </summary>
internal sealed class BoundedCache<TKey, TValue>(int capacity) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> values = new();

    public TValue Get<TState>(TKey key, TState state, Func<TState, TValue> build)
    {
        if (values.TryGetValue(key, out TValue? known)) return known;
        TValue built = build(state);
        if (values.Count < capacity) values.TryAdd(key, built);
        return built;
    }
}
