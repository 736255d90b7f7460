using System.Text;

namespace Inspector.Core.Ftp;

/// <summary>How a control-channel line ended.</summary>
public enum LineTerminator : byte
{
    CrLf,
    /// <summary>LF without CR before it (RFC 959 §4.1.1 wants CRLF).</summary>
    BareLf,
    /// <summary>The stream ended before the line did.</summary>
    None,
}

/// <summary>
/// One control-channel line as text: Telnet commands removed (RFC 959 §4.1.1 and RFC 854:
/// IAC IAC is a literal 0xFF, IAC WILL/WONT/DO/DONT take an option byte, IAC IP / IAC DM and
/// the other two-byte commands stand alone), the terminator noted.
/// </summary>
public sealed record FtpLine(string Text, LineTerminator Terminator, IReadOnlyList<string> TelnetCommands)
{
    private const byte Iac = 0xFF;

    /// <summary>Parses a line; short lines seen before come back as the same object (<see cref="FtpLineCache"/>).</summary>
    public static FtpLine Parse(ReadOnlySpan<byte> raw) => FtpLineCache.Shared.Parse(raw);

    internal static FtpLine ParseUncached(ReadOnlySpan<byte> raw)
    {
        LineTerminator terminator = LineTerminator.None;
        if (raw.Length > 0 && raw[^1] == (byte)'\n')
        {
            if (raw.Length > 1 && raw[^2] == (byte)'\r')
            {
                terminator = LineTerminator.CrLf;
                raw = raw[..^2];
            }
            else
            {
                terminator = LineTerminator.BareLf;
                raw = raw[..^1];
            }
        }

        List<string>? telnet = null;
        Span<byte> text = raw.Length <= 512 ? stackalloc byte[raw.Length] : new byte[raw.Length];
        int n = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            byte b = raw[i];
            if (b != Iac)
            {
                text[n++] = b;
                continue;
            }
            if (i + 1 >= raw.Length)
            {
                (telnet ??= []).Add("IAC (cut)");
                break;
            }
            byte cmd = raw[++i];
            if (cmd == Iac)
            {
                text[n++] = Iac;
            }
            else if (cmd is >= 251 and <= 254)
            {
                string option = i + 1 < raw.Length ? raw[++i].ToString(System.Globalization.CultureInfo.InvariantCulture) : "?";
                (telnet ??= []).Add($"IAC {TelnetName(cmd)} {option}");
            }
            else
            {
                (telnet ??= []).Add($"IAC {TelnetName(cmd)}");
            }
        }
        return new FtpLine(Decode(text[..n]), terminator, (IReadOnlyList<string>?)telnet ?? []);
    }

    /// <summary>UTF-8 when the bytes are valid UTF-8 (RFC 2640), otherwise Latin-1 so no byte is lost.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes) =>
        System.Text.Unicode.Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);

    /// <summary>RFC 854 command names.</summary>
    private static string TelnetName(byte cmd) => cmd switch
    {
        240 => "SE",
        241 => "NOP",
        242 => "DM",
        243 => "BRK",
        244 => "IP",
        245 => "AO",
        246 => "AYT",
        247 => "EC",
        248 => "EL",
        249 => "GA",
        250 => "SB",
        251 => "WILL",
        252 => "WONT",
        253 => "DO",
        254 => "DONT",
        _ => cmd.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
