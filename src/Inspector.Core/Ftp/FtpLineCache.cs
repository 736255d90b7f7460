using System.Collections.Concurrent;
using System.Text;

namespace Inspector.Core.Ftp;

/// <summary>
/// Parsed control-channel lines, by their bytes. A busy server's control traffic is the same few
/// dozen lines over and over ("TYPE I", "226 Transfer complete."): each is decoded once and the
/// one <see cref="FtpLine"/> shared, so the events built from it can be shared too (issue #8:
/// the FTP path allocated 800 bytes per line). Short lines only, no Telnet commands, and never
/// a line that may carry a secret (PASS, ACCT, ADAT): those are parsed each time and kept nowhere.
/// Bounded: once full, new lines are parsed as before. Concurrent: the proxy's sessions share it.
/// </summary>
internal static class FtpLineCache
{
    /// <summary>Longest line (terminator included) that is kept.</summary>
    public const int MaxLineBytes = 128;

    /// <summary>Distinct lines kept at most (about a megabyte when full).</summary>
    public const int Capacity = 4096;

    private static readonly ConcurrentDictionary<byte[], FtpLine> Lines = new(ByteSequenceComparer.Instance);
    private static readonly ConcurrentDictionary<byte[], FtpLine>.AlternateLookup<ReadOnlySpan<byte>> BySpan =
        Lines.GetAlternateLookup<ReadOnlySpan<byte>>();

    public static int Count => Lines.Count;

    public static FtpLine Parse(ReadOnlySpan<byte> raw)
    {
        if (!Keepable(raw)) return FtpLine.ParseUncached(raw);
        if (BySpan.TryGetValue(raw, out FtpLine? known)) return known;
        FtpLine parsed = FtpLine.ParseUncached(raw);
        if (Lines.Count < Capacity) BySpan.TryAdd(raw, parsed);
        return parsed;
    }

    private static bool Keepable(ReadOnlySpan<byte> raw) =>
        raw.Length <= MaxLineBytes && !raw.Contains((byte)0xFF) && !MayHoldSecret(raw);

    // Verbs are case-insensitive; a line with leading blanks is not a command but is not kept either, to be safe.
    private static bool MayHoldSecret(ReadOnlySpan<byte> raw)
    {
        ReadOnlySpan<byte> start = raw.TrimStart((byte)' ');
        foreach (string verb in FtpCommand.SecretVerbs)
        {
            if (start.Length >= verb.Length && Ascii.EqualsIgnoreCase(start[..verb.Length], verb)) return true;
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
