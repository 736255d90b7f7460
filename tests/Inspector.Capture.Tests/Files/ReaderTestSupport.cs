using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Inspector.Capture.Files;
using Inspector.Core.Model;

namespace Inspector.Capture.Tests.Files;

/// <summary>A packet as a test keeps it: the reader's buffer is reused, so the data is copied.</summary>
internal sealed record ReadPacket(int LinkType, long Nanoseconds, byte[] Data, int OriginalLength, long FileOffset, int InterfaceId)
{
    public static ReadPacket From(CapturedPacket p) =>
        new(p.LinkType, p.Time.UnixNanoseconds, p.Data.ToArray(), p.OriginalLength, p.FileOffset, p.InterfaceId);

    public string Epoch => new Timestamp(Nanoseconds).ToEpochString();
}

/// <summary>One line of <c>tshark -T fields</c> output.</summary>
internal sealed record TsharkFrame(string Epoch, int InterfaceId, int Length, int CapturedLength, int LinkType);

/// <summary>A file's records or blocks as a test-side walker sees them, to know where cuts fall.</summary>
internal sealed record Extent(long Start, long End, bool IsPacket);

/// <summary>A temporary folder for one test, deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("inspector-reader-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, byte[] bytes)
    {
        string path = File(name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

internal static class ReaderTestSupport
{
    public static string CapturesFolder => Path.Combine(AppContext.BaseDirectory, "captures");

    public static string CapturePath(string name) => Path.Combine(CapturesFolder, name);

    /// <summary>Every capture shipped in captures/, classic and pcapng.</summary>
    public static TheoryData<string> AllCaptures()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.EnumerateFiles(CapturesFolder).Where(f => f.EndsWith(".pcap", StringComparison.Ordinal) || f.EndsWith(".pcapng", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }
        return data;
    }

    public static List<ReadPacket> ReadAll(string path)
    {
        using ICaptureReader reader = CaptureFileReader.Open(path);
        var list = new List<ReadPacket>();
        while (reader.TryRead(out CapturedPacket p)) list.Add(ReadPacket.From(p));
        return list;
    }

    /// <summary>Reads until the end or the first format error; returns both.</summary>
    public static (List<ReadPacket> Packets, CaptureFormatException? Error) ReadUntilError(string path)
    {
        var list = new List<ReadPacket>();
        try
        {
            using ICaptureReader reader = CaptureFileReader.Open(path);
            while (reader.TryRead(out CapturedPacket p)) list.Add(ReadPacket.From(p));
            return (list, null);
        }
        catch (CaptureFormatException e)
        {
            return (list, e);
        }
    }

    /// <summary>
    /// Wireshark's WTAP_ENCAP numbers (what frame.encap_type prints) for the LINKTYPE_ values
    /// the tests meet; learnt with <c>editcap -T</c> and tshark 4.0.
    /// </summary>
    private static readonly Dictionary<int, int> WtapToLinkType = new()
    {
        [1] = 1,     // Ethernet
        [7] = 101,   // raw IP
        [15] = 0,    // BSD loopback (NULL)
        [25] = 113,  // Linux cooked (SLL)
        [174] = 108, // OpenBSD loopback
        [210] = 276, // Linux cooked v2 (SLL2)
    };

    /// <summary>tshark's frames (packets only); a simple packet block's epoch is empty: Wireshark gives it no time.</summary>
    public static List<TsharkFrame> Tshark(string path)
    {
        string output = Run("tshark", "-n", "-r", path, "-T", "fields",
            "-e", "frame.time_epoch", "-e", "frame.interface_id", "-e", "frame.len", "-e", "frame.cap_len", "-e", "frame.encap_type");
        var frames = new List<TsharkFrame>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] f = line.Split('\t');
            // Wireshark 4.0 also shows pcapng custom blocks (0x00000BAD) as frames, with no encapsulation.
            if (f[4].Length == 0) continue;
            int encap = Int(f[4]);
            Assert.True(WtapToLinkType.TryGetValue(encap, out int linkType), $"unmapped WTAP_ENCAP {encap} in {path}");
            // tshark leaves frame.interface_id empty for classic pcap.
            frames.Add(new TsharkFrame(f[0], f[1].Length == 0 ? 0 : Int(f[1]), Int(f[2]), Int(f[3]), linkType));
        }
        return frames;
    }

    /// <summary>Runs a Wireshark tool and returns its standard output; a failure fails the test.</summary>
    public static string Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {tool}");
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{tool} {string.Join(' ', args)} exited {p.ExitCode}: {err.Result}");
        return output;
    }

    /// <summary>Where each record (classic pcap, after the 24-byte header) or block (pcapng) of a little-endian file lies.</summary>
    public static List<Extent> Layout(byte[] file)
    {
        var list = new List<Extent>();
        bool pcapng = BinaryPrimitives.ReadUInt32LittleEndian(file) == 0x0A0D0D0A;
        long at = pcapng ? 0 : 24;
        if (!pcapng) list.Add(new Extent(0, 24, false));
        while (at < file.Length)
        {
            long length;
            bool packet;
            if (pcapng)
            {
                uint type = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan((int)at));
                length = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan((int)at + 4));
                packet = type is 2 or 3 or 6;
            }
            else
            {
                length = 16 + BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan((int)at + 8));
                packet = true;
            }
            list.Add(new Extent(at, at + length, packet));
            at += length;
        }
        Assert.Equal(file.Length, at);
        return list;
    }

    /// <summary>A little-endian classic pcap rewritten big-endian (file header fields and record headers swapped).</summary>
    public static byte[] ToBigEndianPcap(byte[] file)
    {
        byte[] b = (byte[])file.Clone();
        Swap32(b, 0);
        Swap16(b, 4);
        Swap16(b, 6);
        for (int i = 8; i < 24; i += 4) Swap32(b, i);
        for (int at = 24; at < b.Length;)
        {
            int captured = (int)BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at + 8));
            for (int i = 0; i < 16; i += 4) Swap32(b, at + i);
            at += 16 + captured;
        }
        return b;
    }

    private static void Swap32(byte[] b, int at) => BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at)));

    private static void Swap16(byte[] b, int at) => BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(at), BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at)));

    private static int Int(string s) => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
