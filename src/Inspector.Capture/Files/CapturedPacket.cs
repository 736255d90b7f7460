using Inspector.Core.Model;

namespace Inspector.Capture.Files;

/// <summary>
/// One packet record from a capture file or a live capture.
/// </summary>
/// <param name="LinkType">The LINKTYPE_ value of the interface it was captured on (1 Ethernet, 113 SLL, 276 SLL2, 101 raw IP, 0 NULL, 108 LOOP, ...).</param>
/// <param name="Data">The captured bytes. For file readers this memory is reused by the next read: copy what you keep.</param>
/// <param name="OriginalLength">The packet's length on the wire; more than Data.Length when the snap length cut it.</param>
/// <param name="FileOffset">Byte offset of the record in the file (-1 for live packets).</param>
/// <param name="InterfaceId">pcapng interface index (0 for classic pcap).</param>
public readonly record struct CapturedPacket(
    int LinkType,
    Timestamp Time,
    ReadOnlyMemory<byte> Data,
    int OriginalLength,
    long FileOffset,
    int InterfaceId);
