namespace Inspector.Core.Output;

/// <summary>
/// The chunks that held lines are kept in, reused by every session of one writer (one thread,
/// so no locks). The shared array pool keeps a few dozen arrays of a size; with hundreds of
/// sessions holding lines at once it handed out new ones (8 MB of them on a 100 MB control-heavy
/// capture, each zeroed and faulted in), and renting was a few percent of the output thread.
/// </summary>
internal sealed class HeldChunks(int keep = HeldChunks.DefaultKeep)
{
    /// <summary>The size of a chunk; a line longer than that gets one of its own, not kept.</summary>
    public const int Size = 16 * 1024;

    /// <summary>Spare chunks kept at most (32 MB): more than a busy capture's sessions hold at once.</summary>
    public const int DefaultKeep = 2048;

    private readonly Stack<byte[]> spare = new();

    public int Spare => spare.Count;

    public byte[] Rent(int atLeast) =>
        atLeast <= Size && spare.TryPop(out byte[]? chunk) ? chunk : GC.AllocateUninitializedArray<byte>(Math.Max(Size, atLeast));

    public void Return(byte[] chunk)
    {
        if (chunk.Length == Size && spare.Count < keep) spare.Push(chunk);
    }
}
