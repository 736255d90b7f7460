using Inspector.Tui.Model;

namespace Inspector.Tui;

/// <summary>
/// What the terminal UI shows and what it may do: the one thing a command hands to
/// <see cref="TuiApp.Run"/>. Feed <see cref="Store"/> (an <c>ISessionSink</c>) from any thread,
/// before or while the UI runs.
/// </summary>
public sealed record TuiSource
{
    /// <summary>Where the sessions come from, for the title: "read seed.pcap", "proxy 127.0.0.1:2121 → ftp.example.com:21".</summary>
    public required string Title { get; init; }

    public required SessionStore Store { get; init; }

    /// <summary>Live traffic (proxy, live capture): follow starts on, and quitting asks while sessions are open.</summary>
    public bool IsLive { get; init; }

    /// <summary>Sessions still open, for the quit question; the store's own count when not given.</summary>
    public Func<int>? OpenSessions { get; init; }

    /// <summary>What <c>s</c> and <c>S</c> call; without one they say saving is not available.</summary>
    public ISessionSaver? Saver { get; init; }

    /// <summary>A few words on what the source is doing, for the status bar ("reading 40%", "listening"); polled.</summary>
    public Func<string>? Activity { get; init; }
}
