namespace Inspector.MicroBench.Inputs;

/// <summary>The recorded control connections the benchmarks replay (see Inputs/extract.sh for their captures).</summary>
public enum Session
{
    /// <summary>lftp 4.9.2 and ProFTPD 1.3.8 in clear: FEAT, login, PASV LIST, PORT RETR.</summary>
    PlainLftp,
    /// <summary>lftp with GnuTLS 3.7.9 and vsftpd 3.0.3: AUTH TLS, TLS 1.3, 13-extension ClientHello, encrypted commands.</summary>
    Tls13Lftp,
    /// <summary>curl 7.88.1 --tls-max 1.2 and ProFTPD: TLS 1.2 ClientHello, clear ServerHello/Certificate flight, unknown_ca alert.</summary>
    Tls12Curl,
}

public static class Sessions
{
    public static RecordedConnection Load(Session session) => RecordedConnection.Load(session switch
    {
        Session.PlainLftp => "ftp-plain-lftp-proftpd.txt",
        Session.Tls13Lftp => "ftps-lftp-vsftpd.txt",
        Session.Tls12Curl => "ftps-tls12-curl-proftpd.txt",
        _ => throw new ArgumentOutOfRangeException(nameof(session)),
    });
}
