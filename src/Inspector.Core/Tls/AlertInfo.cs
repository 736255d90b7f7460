namespace Inspector.Core.Tls;

/// <summary>A plaintext TLS alert (RFC 8446 §6, RFC 5246 §7.2): level 1 warning, 2 fatal.</summary>
public readonly record struct AlertInfo(byte Level, byte Description)
{
    public bool IsFatal => Level == 2;

    public string LevelName => Level switch
    {
        1 => "warning",
        2 => "fatal",
        _ => $"level {Level}",
    };

    public string DescriptionName => TlsRegistry.AlertDescriptionName(Description);

    public override string ToString() => $"{LevelName} {DescriptionName} ({Description})";
}
