using System.Globalization;
using Inspector.Core.Analysis;
using Inspector.Core.Model;

namespace Inspector.Core.Sessions;

/// <summary>
/// A data connection of this control session ended: shown nested in the control session with
/// what it carried, how long it took and how fast it went.
/// </summary>
/// <param name="DataSession">The data connection's own session id.</param>
/// <param name="Command">The transfer command it served, when the control channel showed it.</param>
/// <param name="Passive">The client connected (PASV/EPSV) rather than the server (PORT/EPRT).</param>
/// <param name="Inferred">Linked by addresses and timing, not by an announced endpoint.</param>
public sealed record DataConnectionReport(
    Timestamp Time,
    long DataSession,
    string? Command,
    string? Argument,
    bool Passive,
    bool Inferred,
    DataProtection Protection,
    long ClientBytes,
    long ServerBytes,
    TimeSpan Duration,
    string Outcome) : AnalysisOutput(Time)
{
    public override OutputType OutputType => OutputType.DataConnectionReport;

    /// <summary>Bits per second over the connection's life, or null when it lasted no measurable time.</summary>
    public double? BitsPerSecond => Duration > TimeSpan.Zero ? (ClientBytes + ServerBytes) * 8 / Duration.TotalSeconds : null;

    public string Describe()
    {
        string what = Command is null ? "data connection" : Argument is null ? Command : $"{Command} {Argument}";
        string how = (Passive ? "passive" : "active") + (Inferred ? ", linked by address (inferred)" : "");
        string protection = Protection switch { DataProtection.Tls => "TLS", DataProtection.Plaintext => "plaintext", _ => "empty" };
        string rate = BitsPerSecond is double bps ? " (" + FormatRate(bps) + ")" : "";
        return string.Create(CultureInfo.InvariantCulture, $"session {DataSession}: {what} ({how}, {protection}, {Outcome}): {ClientBytes:N0} bytes from the client, {ServerBytes:N0} from the server in {FormatDuration(Duration)}{rate}");
    }

    private static string FormatDuration(TimeSpan d) => d.TotalSeconds >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{d.TotalSeconds:0.###} s")
        : string.Create(CultureInfo.InvariantCulture, $"{d.TotalMilliseconds:0.###} ms");

    private static string FormatRate(double bps) => bps switch
    {
        >= 1e9 => string.Create(CultureInfo.InvariantCulture, $"{bps / 1e9:0.##} Gbit/s"),
        >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{bps / 1e6:0.##} Mbit/s"),
        >= 1e3 => string.Create(CultureInfo.InvariantCulture, $"{bps / 1e3:0.##} kbit/s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bps:0} bit/s"),
    };
}
