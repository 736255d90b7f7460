using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Inspector.Testing;


/// <summary>
/// Real FTP servers on 127.0.0.1 for the relay tests: ProFTPD (mod_tls) from Debian's
/// packages, vsftpd and pure-ftpd unpacked beside it by tests/install-deps.sh (they conflict
/// with proftpd in apt). Each runs in the foreground with its configuration in a temp dir and
/// is stopped by process id. Needs root, as CI is.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RealServer : IDisposable
{
    public const string User = "inspector", Password = "s3cret-Pa55";

    private readonly Process process;

    private RealServer(Process process, string dir, int port)
    {
        this.process = process;
        Directory = dir;
        Port = port;
    }

    public string Directory { get; }

    public int Port { get; }

    /// <summary>The FTP root (downloads from here).</summary>
    public string Root => Path.Combine(Directory, "root");

    /// <summary>The passive data ports the server is configured with (ProFTPD; null for the others).</summary>
    public (int Low, int High)? PassivePorts { get; private set; }

    /// <summary>user:password for curl (anonymous for vsftpd).</summary>
    public string Login { get; private init; } = $"{User}:{Password}";

    /// <summary>Where uploads go, relative to the FTP root ("" or "incoming/").</summary>
    public string UploadDir { get; private init; } = "";

    public static RealServer ByName(string name) => name switch
    {
        "proftpd" => Proftpd(),
        "vsftpd" => Vsftpd(),
        "pure-ftpd" => PureFtpd(),
        _ => throw new ArgumentException(name),
    };

    public IPEndPoint Endpoint => new(IPAddress.Loopback, Port);

    public static string ServersDir => Environment.GetEnvironmentVariable("INSPECTOR_SERVERS_DIR") is { Length: > 0 } d ? d : "/opt/inspector-test-servers";

    /// <summary>ProFTPD with a virtual user; <paramref name="tls"/>: "off", "explicit", or "implicit".</summary>
    public static RealServer Proftpd(string tls = "explicit")
    {
        (string dir, int port, int pasv) = Prepare();
        string options = tls == "implicit" ? "TLSOptions NoSessionReuseRequired UseImplicitSSL" : "TLSOptions NoSessionReuseRequired";
        WriteProftpdConfig(dir, "Inspector relay test", port, "127.0.0.1", ipv6: false, pasv, pasv + 19, tls != "off", options, "AllowOverwrite on");
        RealServer server = Start(dir, port, "/usr/sbin/proftpd", "-n", "-q", "-c", Path.Combine(dir, "proftpd.conf"));
        server.PassivePorts = (pasv, pasv + 19);
        return server;
    }

    /// <summary>
    /// The files of a ProFTPD with mod_tls and the virtual user <see cref="User"/> in
    /// <paramref name="dir"/> (whose key.pem and cert.pem must exist): passwd, group, proftpd.conf.
    /// </summary>
    /// <param name="addresses">DefaultAddress: one address or several, space-separated.</param>
    /// <param name="extra">More directives, one per line.</param>
    public static void WriteProftpdConfig(string dir, string serverName, int port, string addresses, bool ipv6, int pasvLow, int pasvHigh,
        bool tls, string tlsOptions, params string[] extra)
    {
        string hash = Run("openssl", "passwd", "-6", Password).Trim();
        File.WriteAllText(Path.Combine(dir, "passwd"), $"{User}:{hash}:65534:65534::{Path.Combine(dir, "root")}:/bin/sh\n");
        File.WriteAllText(Path.Combine(dir, "group"), $"ftpusers:x:65534:{User}\n");
        File.SetUnixFileMode(Path.Combine(dir, "passwd"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(Path.Combine(dir, "group"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(Path.Combine(dir, "proftpd.conf"), $"""
            ServerType standalone
            ServerName "{serverName}"
            Port {port}
            DefaultAddress {addresses}
            SocketBindTight on
            UseIPv6 {(ipv6 ? "on" : "off")}
            User nobody
            Group nogroup
            PidFile {dir}/proftpd.pid
            ScoreboardFile {dir}/proftpd.scoreboard
            DelayTable none
            WtmpLog off
            TransferLog none
            SystemLog {dir}/proftpd.log
            UseReverseDNS off
            PassivePorts {pasvLow} {pasvHigh}
            AuthOrder mod_auth_file.c
            AuthUserFile {dir}/passwd
            AuthGroupFile {dir}/group
            RequireValidShell off
            DefaultRoot ~
            {string.Join("\n", extra)}
            ModulePath /usr/lib/proftpd
            LoadModule mod_tls.c
            <IfModule mod_tls.c>
              TLSEngine {(tls ? "on" : "off")}
              TLSLog {dir}/tls.log
              TLSProtocol TLSv1.2 TLSv1.3
              TLSRSACertificateFile {dir}/cert.pem
              TLSRSACertificateKeyFile {dir}/key.pem
              TLSVerifyClient off
              TLSRequired off
              {tlsOptions}
            </IfModule>
            """);
    }

    /// <summary>vsftpd 3.0.3 with anonymous access to the root, uploads to incoming/, and explicit FTPS allowed.</summary>
    public static RealServer Vsftpd()
    {
        (string dir, int port, int pasv) = Prepare();
        // vsftpd refuses an anonymous root that anyone may write to.
        File.SetUnixFileMode(Path.Combine(dir, "root"), (UnixFileMode)0b111_101_101);
        // Anonymous uploads go to a directory the anonymous user (daemon) may write to.
        string incoming = Path.Combine(dir, "root", "incoming");
        System.IO.Directory.CreateDirectory(incoming);
        File.SetUnixFileMode(incoming, (UnixFileMode)0b111_111_111);
        System.IO.Directory.CreateDirectory(Path.Combine(dir, "empty"));
        string conf = Path.Combine(dir, "vsftpd.conf");
        File.WriteAllText(conf, $"""
            listen=YES
            listen_address=127.0.0.1
            listen_port={port}
            background=NO
            seccomp_sandbox=NO
            secure_chroot_dir={dir}/empty
            anonymous_enable=YES
            local_enable=NO
            ftp_username=daemon
            anon_root={dir}/root
            no_anon_password=YES
            write_enable=YES
            anon_upload_enable=YES
            anon_umask=022
            connect_from_port_20=NO
            pasv_min_port={pasv}
            pasv_max_port={pasv + 19}
            ssl_enable=YES
            allow_anon_ssl=YES
            force_anon_logins_ssl=NO
            force_anon_data_ssl=NO
            require_ssl_reuse=NO
            ssl_ciphers=HIGH
            rsa_cert_file={dir}/cert.pem
            rsa_private_key_file={dir}/key.pem
            """.Replace("            ", ""));
        File.SetUnixFileMode(conf, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        RealServer server = Start(dir, port, Path.Combine(ServersDir, "usr/sbin/vsftpd"), conf);
        return new RealServer(server, "anonymous:test@example.com", "incoming/");
    }

    /// <summary>pure-ftpd 1.0.50 with TLS optional (-Y 1) and a virtual user (puredb, mapped to daemon).</summary>
    public static RealServer PureFtpd()
    {
        (string dir, int port, int pasv) = Prepare();
        File.WriteAllText(Path.Combine(dir, "pure-ftpd.pem"), File.ReadAllText(Path.Combine(dir, "key.pem")) + File.ReadAllText(Path.Combine(dir, "cert.pem")));
        string db = Path.Combine(dir, "pureftpd.pdb");
        RunWithInput($"{Password}\n{Password}\n", Path.Combine(ServersDir, "usr/bin/pure-pw"),
            "useradd", User, "-u", "daemon", "-g", "daemon", "-d", Path.Combine(dir, "root"), "-f", Path.Combine(dir, "pureftpd.passwd"), "-m", "-F", db);
        return Start(dir, port, Path.Combine(ServersDir, "usr/sbin/pure-ftpd"),
            "-S", $"127.0.0.1,{port}", "-p", $"{pasv}:{pasv + 19}", "-H", "-A", "-Y", "1", "-2", Path.Combine(dir, "pure-ftpd.pem"), "-l", $"puredb:{db}");
    }

    private RealServer(RealServer started, string login, string uploadDir)
        : this(started.process, started.Directory, started.Port)
    {
        Login = login;
        UploadDir = uploadDir;
    }

    private static int nextPort = 24000 + Environment.ProcessId % 200 * 100;

    private static (string Dir, int Port, int Pasv) Prepare()
    {
        string dir = Path.Combine(Path.GetTempPath(), "inspector-ftp-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Path.Combine(dir, "root"));
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(Path.Combine(dir, "root"), (UnixFileMode)0b111_111_111);
        Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
            "-keyout", Path.Combine(dir, "key.pem"), "-out", Path.Combine(dir, "cert.pem"));
        int port = FreePort();
        int pasv = Interlocked.Add(ref nextPort, 20);
        return (dir, port, pasv);
    }

    private static RealServer Start(string dir, int port, string program, params string[] args)
    {
        if (!File.Exists(program)) throw new InvalidOperationException($"{program} is missing: run tests/install-deps.sh (as root)");
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        Process p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var server = new RealServer(p, dir, port);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (p.HasExited) throw new InvalidOperationException($"{program} exited with {p.ExitCode}");
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                // Read the greeting, so no byte of this probe crosses the wire after the test begins.
                probe.ReceiveTimeout = 5000;
                probe.GetStream().ReadByte();
                return server;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        server.Dispose();
        throw new TimeoutException($"{program} did not listen on {port}");
    }

    /// <summary>A loopback port nothing listens on right now (for a server or relay a test starts).</summary>
    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static void RunWithInput(string input, string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi)!;
        p.StandardInput.Write(input);
        p.StandardInput.Close();
        Task<string> err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(30_000)) p.Kill(true);
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {p.ExitCode}: {err.Result}");
    }

    public static string Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(120_000)) p.Kill(true);
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {p.ExitCode}: {err.Result}");
        return output;
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
