namespace Inspector.Capture.Live;

/// <summary>Why live capture could not start, in words a user can act on.</summary>
public enum LiveCaptureProblem
{
    LibpcapMissing,
    PermissionDenied,
    UnknownInterface,
    BadFilter,
    Failed,
}

public sealed class LiveCaptureException(LiveCaptureProblem problem, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public LiveCaptureProblem Problem { get; } = problem;
}
