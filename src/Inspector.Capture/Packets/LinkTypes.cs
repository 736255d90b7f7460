namespace Inspector.Capture.Packets;

/// <summary>LINKTYPE_ values (https://www.tcpdump.org/linktypes.html) the decoder understands.</summary>
public static class LinkTypes
{
    public const int Null = 0;
    public const int Ethernet = 1;
    public const int RawBsd = 12;
    public const int RawOpenBsd = 14;
    public const int Raw = 101;
    public const int Loop = 108;
    public const int LinuxSll = 113;
    public const int Ipv4 = 228;
    public const int Ipv6 = 229;
    public const int LinuxSll2 = 276;

    public static string Name(int linkType) => linkType switch
    {
        Null => "BSD loopback (NULL)",
        Ethernet => "Ethernet",
        RawBsd or RawOpenBsd or Raw => "raw IP",
        Loop => "OpenBSD loopback (LOOP)",
        LinuxSll => "Linux cooked (SLL)",
        Ipv4 => "raw IPv4",
        Ipv6 => "raw IPv6",
        LinuxSll2 => "Linux cooked v2 (SLL2)",
        _ => $"link type {linkType}",
    };
}
