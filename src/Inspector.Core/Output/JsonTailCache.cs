using System.Runtime.CompilerServices;
using Inspector.Core.Timeline;

namespace Inspector.Core.Output;

/// <summary>
/// The JSON of an event from its "layer" to the end of its details depends only on its layer,
/// kind, summary and detail. Where the analysis shares those objects between events (the detail
/// says so, <see cref="DetailNode.Shared"/>), as it does for the encrypted records of a busy
/// control channel (half the lines of a control-heavy capture), the same pair comes back thousands
/// of times: its JSON is kept, found by the objects' identity, and copied instead of written again.
/// A pair is kept on its second sighting, so a summary built for one event costs no copy.
/// Direct-mapped and bounded: a colliding pair replaces the one in its slot. Single-threaded.
/// </summary>
internal sealed class JsonTailCache
{
    private const int Slots = 4096;

    private struct Slot
    {
        public string? Summary;
        public DetailNode? Detail;
        public string? Kind;
        public Layer Layer;
        public byte[]? Json;
    }

    private readonly Slot[] slots = new Slot[Slots];

    /// <summary>The kept JSON for this event's tail, or null (and its slot) when there is none yet.</summary>
    public byte[]? Find(TimelineEvent e, out int slot)
    {
        slot = (RuntimeHelpers.GetHashCode(e.Detail) * 31 + RuntimeHelpers.GetHashCode(e.Summary)) & (Slots - 1);
        ref Slot s = ref slots[slot];
        if (!Same(ref s, e)) return null;
        return s.Json;
    }

    /// <summary>Notes a tail that was just written: the first sighting takes the slot, the second keeps the JSON.</summary>
    public void Seen(int slot, TimelineEvent e, ReadOnlySpan<byte> json)
    {
        ref Slot s = ref slots[slot];
        if (Same(ref s, e))
        {
            s.Json = json.ToArray();
            return;
        }
        s = new Slot { Summary = e.Summary, Detail = e.Detail, Kind = e.Kind, Layer = e.Layer };
    }

    private static bool Same(ref Slot s, TimelineEvent e) =>
        ReferenceEquals(s.Detail, e.Detail) && ReferenceEquals(s.Summary, e.Summary) && ReferenceEquals(s.Kind, e.Kind) && s.Layer == e.Layer;
}
