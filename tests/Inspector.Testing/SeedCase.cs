namespace Inspector.Testing;

/// <summary>The case that started Inspector (shared/reference): what the z/OS client sent.</summary>
public static class SeedCase
{
    /// <summary>The seed trace's ClientHello record: TLS 1.0, seven suites, null compression, no extensions (62 bytes).</summary>
    public static readonly byte[] ClientHelloRecord = Convert.FromHexString(
        "160301003901000035030160385" + "3AEFEE40E3FA5C1738D117497B11A6C48D50A529ED8C9F619AF4C56C20D00000E00FF003500380039002F00320033010" + "0");
}
