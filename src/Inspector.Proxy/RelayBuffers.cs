using System.Buffers;

namespace Inspector.Proxy;

/// <summary>
/// The relay's big read buffers (<see cref="ProxyOptions.BufferSize"/>), rented by the pumps and,
/// when lent, given back by the analysis. Not <see cref="ArrayPool{T}.Shared"/>: it keeps an array
/// per thread that returned one, and the relay's threads (<see cref="RelayThreads"/>) would then
/// each hold a 256 KB buffer while parked; with up to 8 threads per core that was 8 MB on 2 cores
/// (the managed heap of the closed-session memory test went from 13 to 22 MB), and more with
/// more cores. This pool has no per-thread part and keeps at most <see cref="Kept"/> arrays per
/// size, about as many as the shared pool keeps per size on its per-core stacks.
/// </summary>
internal static class RelayBuffers
{
    /// <summary>Arrays kept per size once returned; more are left to the collector.</summary>
    internal static readonly int Kept = 8 * Environment.ProcessorCount;

    /// <summary>Up to 4 MB arrays are pooled (the buffer size an option could reasonably ask for).</summary>
    public static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(maxArrayLength: 4 << 20, maxArraysPerBucket: Kept);
}
