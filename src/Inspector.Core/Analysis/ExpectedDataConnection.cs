using System.Net;
using Inspector.Core.Model;

namespace Inspector.Core.Analysis;

/// <summary>
/// The control channel announced a data connection: PASV/EPSV (the server listens) or
/// PORT/EPRT (the client listens). The data-connection work links connections to these.
/// </summary>
/// <param name="Listener">The side that listens and will accept the data connection.</param>
/// <param name="Via">PASV, EPSV, PORT or EPRT.</param>
/// <param name="ProtectionLevel">
/// The PROT level in force (C, S, E or P; C when PROT was never accepted), or '?' when it is unknown:
/// the control channel was encrypted while PROT could have been sent (readable again after CCC).
/// </param>
public sealed record ExpectedDataConnection(
    Timestamp Time,
    Side Listener,
    IPEndPoint Endpoint,
    string Via,
    char ProtectionLevel) : AnalysisOutput(Time)
{
    public override OutputType OutputType => OutputType.ExpectedDataConnection;
}
