using Inspector.Core.Model;
using Inspector.Core.Output;
using Inspector.Core.Tests.Kit;
using Inspector.Core.Timeline;

namespace Inspector.Core.Tests.Output;

/// <summary>
/// Events whose detail is shared have the end of their JSON line kept and copied (JsonTailCache):
/// every line must still be exactly what the writer makes, whatever was kept before it.
/// </summary>
public class JsonTailCacheTests
{
    private static TimelineEvent Event(string summary, DetailNode? detail, long offset, Direction? dir = Direction.ClientToServer, Layer layer = Layer.Tls, string kind = EventKinds.TlsApplicationData) =>
        new(Timestamp.FromUnixSeconds(1_767_268_800 + offset, 1_000), dir, offset, 37, layer, kind, summary, detail, new byte[] { 0x17, 3, 3 });

    private static DetailNode Shared(string name, long length) =>
        DetailNode.Object(name).Add("content_type", "application_data (23)").Add("length", length).MarkShared();

    [Fact]
    public void Repeated_shared_events_are_written_as_the_writer_would_each_time()
    {
        var formatter = new JsonLinesFormatter();
        DetailNode detail = Shared("tls_record", 32);
        string summary = "TLS application data from the client, 32 bytes (encrypted)";
        for (int i = 0; i < 5; i++)
        {
            TimelineEvent e = Event(summary, detail, i * 100, i % 2 == 0 ? Direction.ClientToServer : null);
            Assert.Equal(ReferenceJson.EventLine(i, e, includeBytes: false), formatter.Format(i, e));
        }
    }

    [Fact]
    public void A_kept_tail_is_never_used_for_another_summary_kind_layer_or_detail()
    {
        DetailNode detail = Shared("tls_record", 32);
        string summary = "TLS application data from the client, 32 bytes (encrypted)";
        TimelineEvent kept = Event(summary, detail, 1);
        TimelineEvent[] others =
        [
            Event("TLS application data from the server, 32 bytes (encrypted)", detail, 4),
            Event(summary, Shared("tls_record", 33), 5),
            Event(summary, detail, 6, kind: EventKinds.TlsRecord),
            Event(summary, detail, 7, layer: Layer.Session),
            Event(new string(summary.AsSpan()), detail, 8), // equal text, another string: written again, same bytes
        ];
        foreach (TimelineEvent other in others)
        {
            // A writer that keeps the first event's tail (seen twice), then meets the other one.
            var formatter = new JsonLinesFormatter();
            formatter.Format(0, kept);
            formatter.Format(0, kept);
            Assert.Equal(ReferenceJson.EventLine(9, other, includeBytes: false), formatter.Format(9, other));
            Assert.Equal(ReferenceJson.EventLine(9, kept, includeBytes: false), formatter.Format(9, kept));
        }
    }

    [Fact]
    public void An_event_in_the_same_slot_with_another_summary_or_detail_finds_nothing()
    {
        var cache = new JsonTailCache();
        DetailNode detail = Shared("tls_record", 32);
        TimelineEvent kept = Event("kept summary", detail, 1);
        Assert.Null(cache.Find(kept, out int slot));
        cache.Seen(slot, kept, "first"u8);
        Assert.Null(cache.Find(kept, out slot));
        cache.Seen(slot, kept, "second"u8);
        Assert.Equal("second"u8.ToArray(), cache.Find(kept, out _));
        // Slots are picked by the objects' identity: look for another summary that lands in the same one.
        TimelineEvent? colliding = null;
        for (int i = 0; colliding is null && i < 1_000_000; i++)
        {
            TimelineEvent candidate = Event("other summary " + i, detail, 2);
            if (cache.Find(candidate, out int other) is null && other == slot) colliding = candidate;
        }
        Assert.NotNull(colliding);
        TimelineEvent? otherDetail = null;
        for (int i = 0; otherDetail is null && i < 1_000_000; i++)
        {
            TimelineEvent candidate = Event("kept summary", Shared("tls_record", i), 3);
            if (cache.Find(candidate, out int other) is null && other == slot) otherDetail = candidate;
        }
        Assert.NotNull(otherDetail);
        Assert.Equal("second"u8.ToArray(), cache.Find(kept, out _)); // looking did not disturb it
    }

    [Fact]
    public void Bytes_still_follow_a_kept_tail_when_asked_for()
    {
        var formatter = new JsonLinesFormatter(includeBytes: true);
        DetailNode detail = Shared("tls_record", 32);
        for (int i = 0; i < 3; i++)
        {
            TimelineEvent e = Event("same summary", detail, i) with { Bytes = new byte[] { (byte)i, 0xff } };
            string line = formatter.Format(1, e);
            Assert.Equal(ReferenceJson.EventLine(1, e, includeBytes: true), line);
            Assert.EndsWith($",\"bytes\":\"{i:x2}ff\"}}", line);
        }
    }

    [Fact]
    public void Many_distinct_shared_details_collide_and_stay_correct()
    {
        var formatter = new JsonLinesFormatter();
        var details = Enumerable.Range(0, 10_000).Select(i => Shared("tls_record", i)).ToArray();
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < details.Length; i += 7)
            {
                TimelineEvent e = Event("summary " + (i % 3), details[i], i);
                Assert.Equal(ReferenceJson.EventLine(round, e, includeBytes: false), formatter.Format(round, e));
            }
        }
    }
}
