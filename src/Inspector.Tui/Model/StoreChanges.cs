namespace Inspector.Tui.Model;

/// <summary>What the store hands the UI thread in one batch.</summary>
/// <param name="Changed">Kept sessions that started, grew or ended since the last batch.</param>
/// <param name="Kept">
/// Every session kept, in arrival order, when sessions were added or dropped since the last batch
/// (null when not): a copy made under the store's lock, the UI's to keep.
/// </param>
internal sealed record StoreChanges(IReadOnlyCollection<SessionRecord> Changed, SessionRecord[]? Kept);
