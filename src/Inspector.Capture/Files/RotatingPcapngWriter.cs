using Inspector.Core.Model;

namespace Inspector.Capture.Files;

/// <summary>
/// Keeps raw packets as pcapng, like <c>tcpdump -w</c>, starting a new file when the current one
/// reaches a size limit (<c>-C</c>): name.pcapng, then name.1.pcapng, name.2.pcapng, ... Each file is
/// complete on its own (section header and interface description first).
/// </summary>
public sealed class RotatingPcapngWriter : IDisposable
{
    private readonly string path;
    private readonly long maxBytes;
    private readonly int linkType;
    private readonly int snapLength;
    private readonly string interfaceName;
    private PcapngWriter writer;
    private int index;

    /// <param name="maxBytes">Start a new file beyond this size; 0 for one file without limit.</param>
    public RotatingPcapngWriter(string path, long maxBytes, int linkType, int snapLength, string interfaceName)
    {
        this.path = path;
        this.maxBytes = maxBytes;
        this.linkType = linkType;
        this.snapLength = snapLength;
        this.interfaceName = interfaceName;
        writer = OpenFile(path);
    }

    private readonly List<string> files = [];

    /// <summary>Files written so far, oldest first: a snapshot, safe to take while another thread writes.</summary>
    public IReadOnlyList<string> Files
    {
        get { lock (files) return [.. files]; }
    }

    public void Write(Timestamp time, ReadOnlySpan<byte> data, int originalLength)
    {
        if (maxBytes > 0 && writer.PacketsWritten > 0 && writer.BytesWritten + data.Length + 32 > maxBytes)
        {
            writer.Dispose();
            index++;
            writer = OpenFile(NameOf(index));
        }
        writer.WritePacket(0, time, data, originalLength);
    }

    public void Flush() => writer.Flush();

    public void Dispose() => writer.Dispose();

    private string NameOf(int n)
    {
        string ext = Path.GetExtension(path);
        string stem = ext.Length > 0 ? path[..^ext.Length] : path;
        return $"{stem}.{n}{(ext.Length > 0 ? ext : ".pcapng")}";
    }

    private PcapngWriter OpenFile(string file)
    {
        var w = new PcapngWriter(new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16), "inspector live");
        w.AddInterface(linkType, snapLength, interfaceName);
        lock (files) files.Add(file);
        return w;
    }
}
