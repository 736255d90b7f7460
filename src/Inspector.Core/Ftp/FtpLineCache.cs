using System.Collections.Concurrent;
using System.Text;
using Inspector.Core.Analysis;

namespace Inspector.Core.Ftp;

/// <summary>
/// Parsed control-channel lines, by their bytes. A busy server's control traffic is the same few
/// dozen lines over and over ("TYPE I", "226 Transfer complete."): each is decoded once and the
/// one <see cref="FtpLine"/> shared, so the events built from it can be shared too (issue #8:
/// the FTP path allocated 800 bytes per line). Short lines only, no Telnet commands, and never
/// a line that may carry a secret (<see cref="MayHoldSecret"/>): those are parsed each time and
/// kept nowhere. When full it starts again empty, so lines seen once (ports, file names) cannot
/// shut out the ones that repeat for good. Concurrent: the proxy's sessions share <see cref="Shared"/>.
/// </summary>
internal sealed class FtpLineCache
{
    /// <summary>Longest line (terminator included) that is kept.</summary>
    public const int MaxLineBytes = 128;

    /// <summary>Distinct lines kept at most before starting again (about a megabyte when full).</summary>
    public const int Capacity = 4096;

    /// <summary>The one every analyzer uses.</summary>
    public static FtpLineCache Shared { get; } = new();

    private readonly BoundedCache<byte[], FtpLine> lines = new(Capacity, ByteSequenceComparer.Instance);
    private readonly ConcurrentDictionary<byte[], FtpLine>.AlternateLookup<ReadOnlySpan<byte>> bySpan;

    public FtpLineCache() => bySpan = lines.Alternate<ReadOnlySpan<byte>>();

    public int Count => lines.Count;

    public FtpLine Parse(ReadOnlySpan<byte> raw)
    {
        // A line that may not be kept is never found, so it is checked only before keeping one.
        if (raw.Length <= MaxLineBytes && bySpan.TryGetValue(raw, out FtpLine? known)) return known;
        FtpLine parsed = FtpLine.ParseUncached(raw);
        if (Keepable(raw)) lines.Add(bySpan, raw, parsed);
        return parsed;
    }

    private static bool Keepable(ReadOnlySpan<byte> raw) =>
        raw.Length <= MaxLineBytes && !raw.Contains((byte)0xFF) && !MayHoldSecret(raw);

    /// <summary>
    /// A line that names a verb whose argument may be a secret (<see cref="FtpCommand.SecretVerbs"/>)
    /// anywhere, in any case: the command itself, a server echoing it back ("500 'PASS x' not
    /// understood") or an RFC 2228 reply carrying security data ("335 ADAT=..."). Some harmless
    /// lines go uncached with them ("331 Password required"); no secret is kept.
    /// </summary>
    public static bool MayHoldSecret(ReadOnlySpan<byte> raw)
    {
        foreach (string verb in FtpCommand.SecretVerbs)
        {
            for (int i = 0; i + verb.Length <= raw.Length; i++)
            {
                if (Ascii.EqualsIgnoreCase(raw.Slice(i, verb.Length), verb)) return true;
            }
        }
        return false;
    }

    /// <summary>The same for text.</summary>
    public static bool MayHoldSecret(string? text)
    {
        if (text is null) return false;
        foreach (string verb in FtpCommand.SecretVerbs)
        {
            if (text.Contains(verb, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>Byte arrays compared by content, and looked up by span without making an array.</summary>
    private sealed class ByteSequenceComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly ByteSequenceComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => ReferenceEquals(x, y) || x is not null && y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] bytes) => GetHashCode((ReadOnlySpan<byte>)bytes);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
