namespace Inspector.Tui.Model;

/// <summary>
/// A list that only grows, written by one thread at a time (callers hold a lock) and read by
/// the UI thread without a lock. Readers see every item below the <see cref="Count"/> they read:
/// the writer stores the item (and a grown array) before it publishes the new count.
/// </summary>
internal sealed class AppendOnlyList<T>
{
    private T[] items = new T[4];
    private int count;

    public int Count => Volatile.Read(ref count);

    /// <summary>Only one thread may add at a time.</summary>
    public void Add(T item)
    {
        int n = count;
        T[] array = items;
        if (n == array.Length)
        {
            // Copy into a new array and publish it; readers holding the old one still see valid items.
            var grown = new T[array.Length * 2];
            Array.Copy(array, grown, n);
            array = grown;
            Volatile.Write(ref items, grown);
        }
        array[n] = item;
        Volatile.Write(ref count, n + 1);
    }

    public T this[int index]
    {
        get
        {
            // Count first, then the array: the array read is at least as new as the count.
            if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
            return Volatile.Read(ref items)[index];
        }
    }
}
