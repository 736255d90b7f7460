using System.Runtime.InteropServices;

namespace Inspector.Core.Timeline;

/// <summary>
/// Decoded fields of an event as a small tree: a leaf holds a string, number or boolean; an
/// inner node holds named fields (an object) or unnamed items (a list). The detail pane, the
/// text output and JSON all render this one shape, so they never disagree.
/// </summary>
public sealed class DetailNode
{
    private List<DetailNode>? children;

    // A list made by AddStrings keeps its items as an array until something walks them as nodes:
    // a ClientHello lists about 150 names, and JSON writes them straight from here.
    private string[]? strings;

    private DetailNode(string name, object? value, bool isList)
    {
        Name = name;
        Value = value;
        IsList = isList;
    }

    public string Name { get; }

    /// <summary>A string, long, or bool for leaves; null for objects and lists.</summary>
    public object? Value { get; }

    public bool IsList { get; }

    /// <summary>
    /// Shared by many events (a cached detail, <see cref="MarkShared"/>): output writers may keep
    /// what they make of it, found by reference (the JSON writer's JsonTailCache).
    /// </summary>
    public bool Shared { get; private set; }

    /// <summary>Marks a finished detail as shared by events; nothing may change it afterwards (nor may it before: it is never changed once emitted).</summary>
    public DetailNode MarkShared()
    {
        Shared = true;
        return this;
    }

    public bool IsLeaf => children is null && !IsList && Value is not null;

    public IReadOnlyList<DetailNode> Children => (IReadOnlyList<DetailNode>?)children ?? (strings is null ? [] : Materialize(strings));

    /// <summary>
    /// The children as a span, for the JSON writer's loop over every field of every event: through
    /// <see cref="Children"/> each count and item was an interface call.
    /// </summary>
    internal ReadOnlySpan<DetailNode> ChildSpan => CollectionsMarshal.AsSpan(children ?? (strings is null ? null : Materialize(strings)));

    /// <summary>The items of a list of strings still held as an array (see <see cref="AddStrings"/>); false once walked as nodes.</summary>
    public bool TryGetStringItems(out ReadOnlySpan<string> items)
    {
        string[]? held = children is null ? strings : null;
        items = held;
        return held is not null;
    }

    public static DetailNode Object(string name) => new(name, null, isList: false);

    public static DetailNode List(string name) => new(name, null, isList: true);

    public DetailNode Add(string name, string value) => AddChild(new DetailNode(name, value, false));

    public DetailNode Add(string name, long value) => AddChild(new DetailNode(name, Box(value), false));

    public DetailNode Add(string name, bool value) => AddChild(new DetailNode(name, value ? True : False, false));

    /// <summary>Adds a list item (the name is ignored in JSON lists).</summary>
    public DetailNode Item(string value) => AddChild(new DetailNode("", value, false));

    public DetailNode Item(long value) => AddChild(new DetailNode("", Box(value), false));

    // Leaf values are boxed; booleans and small numbers (lengths, codes, counts: most of them)
    // share their boxes instead of allocating one per node. Boxes are never written.
    private static readonly object True = true;
    private static readonly object False = false;
    private const int SharedNumbers = 4096;
    private static readonly object[] Numbers = CreateNumbers();

    private static object[] CreateNumbers()
    {
        var boxes = new object[SharedNumbers];
        for (int i = 0; i < boxes.Length; i++) boxes[i] = (long)i;
        return boxes;
    }

    private static object Box(long value) => (ulong)value < SharedNumbers ? Numbers[value] : value;

    public DetailNode AddStrings(string name, IEnumerable<string> values)
    {
        DetailNode list = List(name);
        list.strings = values.ToArray();
        return AddChild(list);
    }

    /// <summary>
    /// Adds a list of strings that other details share (a ClientHello profile's names): the array
    /// is kept, not copied, so neither the caller nor any reader may ever change it.
    /// </summary>
    public DetailNode AddShared(string name, string[] values)
    {
        DetailNode list = List(name);
        list.strings = values;
        return AddChild(list);
    }

    /// <summary>Adds a child object or list and returns the child, for chaining into it.</summary>
    public DetailNode AddNode(DetailNode child)
    {
        AddChild(child);
        return child;
    }

    private DetailNode AddChild(DetailNode child)
    {
        if (strings is not null) Materialize(strings);
        (children ??= []).Add(child);
        return this;
    }

    /// <summary>Turns the held strings into item nodes; readers on other threads (the UI) may race here, and one list wins.</summary>
    private List<DetailNode> Materialize(string[] items)
    {
        var list = new List<DetailNode>(items.Length);
        foreach (string v in items) list.Add(new DetailNode("", v, false));
        return Interlocked.CompareExchange(ref children, list, null) ?? list;
    }

    /// <summary>The value of a direct leaf child, or null.</summary>
    public object? Get(string name) => children?.FirstOrDefault(c => c.Name == name)?.Value;

    public DetailNode? Child(string name) => children?.FirstOrDefault(c => c.Name == name);
}
