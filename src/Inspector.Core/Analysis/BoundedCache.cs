using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Inspector.Core.Analysis;

/// <summary>
/// Values built once per distinct key and shared: labels, details and parsed lines that repeat
/// thousands of times on a busy capture. Bounded: once it has taken <c>capacity</c> entries it
/// starts again empty, so a hostile peer sending every possible key costs no more memory, and
/// keys seen once (ports, file names) cannot shut out the ones that repeat for good, as a cache
/// that stops growing would. Counted, not measured with the dictionary's Count, which takes every
/// lock. Concurrent, since the proxy's sessions share it. Values must never be changed once built.
/// </summary>
internal sealed class BoundedCache<TKey, TValue>(int capacity, IEqualityComparer<TKey>? comparer = null) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> values = new(comparer);
    private int added;

    public int Count => values.Count;

    public TValue Get<TState>(TKey key, TState state, Func<TState, TValue> build)
    {
        if (values.TryGetValue(key, out TValue? known)) return known;
        TValue built = build(state);
        Add(key, built);
        return built;
    }

    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value) => values.TryGetValue(key, out value);

    public void Add(TKey key, TValue value)
    {
        MakeRoom();
        values.TryAdd(key, value);
    }

    /// <summary>Lookups and additions by another form of the key (a span for a byte-array key); add through <see cref="Add{TAlternate}"/>.</summary>
    public ConcurrentDictionary<TKey, TValue>.AlternateLookup<TAlternate> Alternate<TAlternate>() where TAlternate : notnull, allows ref struct =>
        values.GetAlternateLookup<TAlternate>();

    public void Add<TAlternate>(ConcurrentDictionary<TKey, TValue>.AlternateLookup<TAlternate> lookup, TAlternate key, TValue value)
        where TAlternate : notnull, allows ref struct
    {
        MakeRoom();
        lookup.TryAdd(key, value);
    }

    private void MakeRoom()
    {
        if (Interlocked.Increment(ref added) <= capacity) return;
        values.Clear();
        Interlocked.Exchange(ref added, 1);
    }
}
