using System.Text.Json;

namespace Inspector.Capture.Tests.Cli;

/// <summary>
/// What Inspector must report for each bundled capture (the "expected findings" of
/// captures/README.md): the warning and error findings, by name and side, and the exit code.
/// </summary>
public class CaptureFindingsTests
{
    [Theory]
    [InlineData("seed-proftpd-1.3.7f-openssl-1.0.2n.pcap", 1, "tls.legacy_version_only:client ftps.plaintext_after_auth:server")]
    [InlineData("seed-emulated-proftpd-1.3.7.pcap", 1, "tls.legacy_version_only:client ftps.plaintext_after_auth:server")]
    [InlineData("seed-proftpd-1.3.8-openssl3.pcap", 1, "tls.legacy_version_only:client tls.alert:server ftps.plaintext_after_auth:server")]
    [InlineData("seed-vsftpd-3.0.3-openssl3.pcap", 1, "tls.legacy_version_only:client tls.alert:server ftps.plaintext_after_auth:server")]
    [InlineData("seed-vsftpd-3.0.3-openssl3-default-ciphers.pcap", 1, "tls.legacy_version_only:client tls.alert:server ftps.plaintext_after_auth:server")]
    [InlineData("seed-pure-ftpd.pcap", 1, "tls.legacy_version_only:client tls.alert:server")]
    [InlineData("seed-pyftpdlib.pcap", 1, "tls.legacy_version_only:client tls.alert:server")]
    [InlineData("ftps-curl-proftpd.pcap", 0, "")]
    [InlineData("ftps-lftp-vsftpd.pcap", 0, "")]
    [InlineData("ftps-python-pyftpdlib.pcap", 0, "")]
    [InlineData("ftps-openssl-sclient-proftpd.pcap", 0, "")]
    [InlineData("ftps-implicit-curl-proftpd.pcap", 0, "")]
    [InlineData("ftps-ccc-python-proftpd.pcap", 0, "")]
    [InlineData("ftps-ipv6-curl-proftpd.pcap", 0, "")]
    [InlineData("ftps-curl-proftpd-dumpcap.pcapng", 0, "")]
    [InlineData("ftps-curl-proftpd-any-sll2.pcap", 0, "")]
    [InlineData("ftp-plain-curl-proftpd.pcap", 0, "")]
    [InlineData("ftp-plain-pasv-port-curl-proftpd.pcap", 0, "")]
    [InlineData("ftps-lftp-vsftpd-oops-after-login.pcap", 1, "ftps.plaintext_after_auth:server")]
    [InlineData("implicit-client-explicit-server.pcap", 1, "ftps.implicit_explicit_mismatch:unknown")]
    [InlineData("explicit-client-implicit-server.pcap", 1, "tls.alert:server ftps.implicit_explicit_mismatch:unknown")]
    [InlineData("ftps-cert-rejected-tls12-curl-proftpd.pcap", 1, "tls.alert:client ftps.plaintext_after_auth:server")]
    [InlineData("ftps-cert-rejected-curl-proftpd.pcap", 1, "tls.alert:client ftps.plaintext_after_auth:server")]
    [InlineData("ftps-explicit-client-implicit-server.pcap", 1, "tls.alert:server ftps.implicit_explicit_mismatch:unknown")]
    [InlineData("ftp-any-sll-curl-proftpd.pcap", 0, "")]
    [InlineData("ftp-plain-pasv-port-lftp-proftpd.pcap", 0, "")]
    [InlineData("ftps-any-sll2-curl-proftpd.pcap", 0, "")]
    [InlineData("ftps-curl-proftpd.pcapng", 0, "")]
    [InlineData("ftps-ipv6-lftp-vsftpd.pcap", 0, "")]
    // The 522 "session reuse required" reply is encrypted: the data connection's pattern tells (a silent, non-resumed TLS data connection, then the end).
    [InlineData("ftps-data-reuse-required-vsftpd.pcap", 0, "ftps.session_reuse_required:client")]
    // The data connections (captures/README.md "Fourth batch").
    [InlineData("ftps-active-python-proftpd.pcap", 0, "")]
    [InlineData("ftps-prot-p-lftp-proftpd-active.pcap", 0, "")]
    [InlineData("ftps-active-curl-hang-proftpd.pcap", 1, "ftps.data_tls_failed:client")]
    [InlineData("ftps-prot-c-tls-data-proftpd.pcap", 1, "ftps.data_protection_mismatch:unknown")]
    // PROT P and the 425 travel encrypted: a plaintext upload next to an FTPS control connection is what PROT C allows too, so nothing is claimed.
    [InlineData("ftps-prot-p-plaintext-data-proftpd.pcap", 0, "")]
    // ProFTPD accepts PROT P in clear after CCC: the mismatch is provable from the capture.
    [InlineData("ftp-prot-p-in-clear-plaintext-data-proftpd.pcap", 1, "ftps.data_protection_mismatch:client")]
    [InlineData("ftp-pasv-masquerade-curl-proftpd.pcap", 0, "ftp.pasv_address_mismatch:server")]
    [InlineData("ftp-pasv-unused-python-proftpd.pcap", 0, "")]
    [InlineData("ftp-data-not-captured-curl-proftpd.pcap", 0, "ftp.data_connection_missing:unknown ftp.data_connection_missing:unknown")]
    public void Capture_reports_what_it_must(string capture, int exitCode, string expected)
    {
        CliRun run = CliRun.Of(["read", "--json", "--min-severity", "warning", .. CaptureArgs.For(capture), CliRun.Capture(capture)]);

        Assert.Equal(exitCode, run.ExitCode);
        List<string> findings = run.Lines.Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("type").GetString() == "finding")
            .Select(e => $"{e.GetProperty("name").GetString()}:{e.GetProperty("side").GetString()}")
            .ToList();
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), findings);
    }

    [Fact]
    public void Every_capture_is_in_the_table()
    {
        var listed = typeof(CaptureFindingsTests).GetMethod(nameof(Capture_reports_what_it_must))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.GetData(null!).First()[0]).ToHashSet();
        foreach (string capture in GoldenTests.Captures())
        {
            Assert.True(listed.Contains(capture), $"{capture} has no expected findings in this table");
        }
    }
}
