using System.Text;
using System.Text.Json;
using Inspector.Core.Analysis;
using Inspector.Core.Output;
using Inspector.Core.Tests.Kit;
using Inspector.Core.Timeline;
using Inspector.Core.Tls;

namespace Inspector.Core.Tests.Tls;

/// <summary>
/// A ClientHello's profile (names, fingerprints) is shared between hellos that differ only in
/// what changes per connection, and the detail built from a shared profile is the detail built
/// from scratch.
/// </summary>
public class ClientHelloProfileTests
{
    private static ClientHelloInfo Hello(byte[] record)
    {
        // Record header (5) and handshake header (4) come off; the body is what the parser reads.
        ClientHelloInfo? hello = ClientHelloParser.Parse(record.AsSpan(9), out string? error);
        Assert.True(hello is not null, error);
        return hello;
    }

    private static byte[] WithRandom(byte[] record, byte seed)
    {
        byte[] copy = (byte[])record.Clone();
        for (int i = 0; i < 32; i++) copy[9 + 2 + i] = (byte)(seed + i);
        return copy;
    }


    [Fact]
    public void Hellos_differing_in_host_name_and_random_share_one_profile()
    {
        ClientHelloInfo a = Hello(WithRandom(TlsBytes.ModernClientHelloRecord("a.example.com"), 1));
        ClientHelloInfo b = Hello(WithRandom(TlsBytes.ModernClientHelloRecord("another-host.example.org"), 77));
        Assert.Same(ClientHelloProfile.Of(a), ClientHelloProfile.Of(b));

        // Yet each detail keeps its own per-connection values.
        DetailNode da = TlsDetails.ClientHello(a), db = TlsDetails.ClientHello(b);
        Assert.Equal("a.example.com", da.Get("server_name"));
        Assert.Equal("another-host.example.org", db.Get("server_name"));
        Assert.NotEqual(da.Get("random"), db.Get("random"));
    }

    [Fact]
    public void A_different_offer_gets_its_own_profile()
    {
        ClientHelloInfo modern = Hello(TlsBytes.ModernClientHelloRecord());
        ClientHelloInfo otherSuites = Hello(TlsBytes.ClientHelloRecord(0x0303, [0x1301, 0xc02f],
            TlsBytes.Extension(0, TlsBytes.Vector16([0, .. TlsBytes.Vector16("ftp.example.com"u8.ToArray())])),
            TlsBytes.Extension(10, TlsBytes.Vector16([0x00, 0x1d, 0x00, 0x17])),
            TlsBytes.Extension(13, TlsBytes.Vector16([0x04, 0x03, 0x08, 0x04])),
            TlsBytes.Extension(43, TlsBytes.Vector8([0x03, 0x04, 0x03, 0x03]))));
        ClientHelloInfo noSni = Hello(TlsBytes.ClientHelloRecord(0x0303, [0x1301, 0x1302, 0xc02f],
            TlsBytes.Extension(10, TlsBytes.Vector16([0x00, 0x1d, 0x00, 0x17])),
            TlsBytes.Extension(13, TlsBytes.Vector16([0x04, 0x03, 0x08, 0x04])),
            TlsBytes.Extension(43, TlsBytes.Vector8([0x03, 0x04, 0x03, 0x03]))));
        ClientHelloInfo legacy = Hello(TlsBytes.ClientHelloRecord(0x0301, [0x002f, 0x0035]));

        ClientHelloProfile[] profiles = [.. new[] { modern, otherSuites, noSni, legacy }.Select(ClientHelloProfile.Of)];
        Assert.Equal(profiles.Length, profiles.Distinct().Count());
        Assert.Equal(modern.Ja4, profiles[0].Ja4);
        Assert.Equal(otherSuites.Ja4, profiles[1].Ja4);
        Assert.Equal(noSni.Ja4, profiles[2].Ja4);
        Assert.Equal(legacy.Ja3Hash, profiles[3].Ja3Hash);
        Assert.Equal(0x0301, profiles[3].HighestVersion);
        Assert.Equal(0x0304, profiles[0].HighestVersion);
    }

    [Fact]
    public void A_detail_from_a_shared_profile_reads_as_one_built_for_the_hello_alone()
    {
        ClientHelloInfo first = Hello(WithRandom(TlsBytes.ModernClientHelloRecord("x.example.com"), 5));
        ClientHelloInfo second = Hello(WithRandom(TlsBytes.ModernClientHelloRecord("x.example.com"), 5));
        ClientHelloProfile shared = ClientHelloProfile.Of(first);
        Assert.Same(shared, ClientHelloProfile.Of(second));

        string json = Text.Json(TlsDetails.ClientHello(second, shared));
        Assert.Equal(Text.Json(TlsDetails.ClientHello(first)), json);
        Assert.Contains("\"extension_types\":[0,10,13,43]", json, StringComparison.Ordinal);
        Assert.Contains($"\"ja4\":\"{second.Ja4}\"", json, StringComparison.Ordinal);
        Assert.Contains($"\"ja3_hash\":\"{second.Ja3Hash}\"", json, StringComparison.Ordinal);
        // Reading the shared lists as nodes (as the terminal UI does) changes nothing for the next reader.
        _ = TlsDetails.ClientHello(first).Child("cipher_suites")!.Children;
        Assert.Equal(json, Text.Json(TlsDetails.ClientHello(second, shared)));
    }

    [Fact]
    public void A_hello_listing_more_values_than_any_real_stack_is_not_cached()
    {
        ushort[] suites = [.. Enumerable.Range(0x0100, ClientHelloProfile.MaxCachedValues + 1).Select(i => (ushort)i)];
        ClientHelloInfo huge = Hello(TlsBytes.ClientHelloRecord(0x0303, suites));
        ClientHelloProfile p1 = ClientHelloProfile.Of(huge), p2 = ClientHelloProfile.Of(huge);
        Assert.NotSame(p1, p2);
        Assert.Equal(suites.Length, p1.CipherSuiteNames.Length);
        Assert.Equal(huge.Ja4, p1.Ja4);
    }
}
