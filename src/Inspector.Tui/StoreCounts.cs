namespace Inspector.Tui;

/// <summary>The store's counts at one moment, taken together so they agree with each other.</summary>
/// <param name="Kept">Sessions kept (listed).</param>
/// <param name="Dropped">Older sessions dropped to stay within <see cref="SessionStoreLimits"/>.</param>
/// <param name="DroppedWhileOpen">Of those, sessions dropped while still open (every session kept was open).</param>
/// <param name="Errors">Error findings of every session seen, dropped ones included; likewise the others.</param>
public sealed record StoreCounts(int Kept, long Dropped, long DroppedWhileOpen, long Errors, long Warnings, long Infos)
{
    public long Seen => Kept + Dropped;
}
