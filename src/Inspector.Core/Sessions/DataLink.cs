namespace Inspector.Core.Sessions;

/// <summary>
/// How a data connection belongs to its control session (RFC 959 §3.2: the control connection
/// announces each data connection with PASV/EPSV or PORT/EPRT, then a transfer command uses it).
/// </summary>
/// <param name="ParentId">The control session's id.</param>
/// <param name="Inferred">
/// Linked by addresses, time and the control session being open, because the control channel was
/// encrypted and no announced endpoint could be read; false when an announced endpoint matched.
/// </param>
/// <param name="ServerConnected">
/// Active mode (PORT/EPRT): the FTP server opened the TCP connection to the client. The data
/// session's Client and Server are the FTP roles either way, because the FTP client is the TLS
/// client on the data connection whoever connects (RFC 4217 §7).
/// </param>
public sealed record DataLink(long ParentId, bool Inferred, bool ServerConnected);
