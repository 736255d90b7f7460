namespace Inspector.Capture.Files;

/// <summary>
/// A capture file that is not one, or is cut off or corrupt at <see cref="Offset"/>. The message
/// is one line for the user; packets read before the offset were delivered and stay valid.
/// </summary>
public sealed class CaptureFormatException(string path, long offset, string problem)
    : Exception($"{path}: {problem} at byte offset {offset}")
{
    public string Path { get; } = path;

    public long Offset { get; } = offset;

    public string Problem { get; } = problem;
}
