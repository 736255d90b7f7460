using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Inspector.Core.Ftp;
using Inspector.Core.Model;

namespace Inspector.Proxy.Data;

/// <summary>How a data connection was announced on the control channel.</summary>
public enum DataVia
{
    /// <summary>The server's 227 reply to PASV (RFC 959 §4.1.2, RFC 1123 §4.1.2.6).</summary>
    Pasv,

    /// <summary>The server's 229 reply to EPSV (RFC 2428 §3).</summary>
    Epsv,

    /// <summary>The client's PORT command (RFC 959 §4.1.2).</summary>
    Port,

    /// <summary>The client's EPRT command (RFC 2428 §2).</summary>
    Eprt,
}

/// <summary>What <see cref="ControlLineRewriter"/> asks of its owner, which does the IO (listeners, connects).</summary>
public interface IDataAnnouncementHandler
{
    /// <summary>
    /// The server announced a passive data endpoint: an address and port (227) or only a port (229,
    /// the address is the control connection's). Returns the endpoint to announce to the client
    /// instead (IPv4 for <see cref="DataVia.Pasv"/>), or null to leave the reply as it is.
    /// </summary>
    IPEndPoint? Passive(DataVia via, IPAddress? address, int port);

    /// <summary>
    /// The client announced where it listens (PORT/EPRT). Returns the endpoint to announce to the
    /// server instead (IPv4 for <see cref="DataVia.Port"/>), or null to leave the command as it is.
    /// </summary>
    IPEndPoint? Active(DataVia via, IPEndPoint announced);

    /// <summary>The control channel turned to TLS (a 234 reply, or TLS from the first byte): nothing more is rewritten. Called once.</summary>
    void Encrypted(string why);
}

/// <summary>
/// Rewrites the data-connection announcements on a plaintext FTP control channel so data runs
/// through the relay: the server's single-line 227 and 229 replies and the client's PORT and EPRT
/// commands. Sans-IO: fed each direction's bytes in any chunks, it writes the bytes to forward.
/// Every other byte passes unchanged and in order; a line is forwarded as soon as its LF arrives,
/// and only a line that may be rewritten is held (at most <see cref="MaxLine"/> bytes; a longer one
/// passes unmodified). A line that is not a candidate is held for at most its first few bytes
/// (the command or reply code). After a 234 reply (AUTH accepted, RFC 4217 §4) or a TLS record at
/// the start of a line, both directions pass through untouched for good; between the client's AUTH
/// and the server's answer to it, client lines pass without being held or rewritten.
/// The two directions may be fed from two threads.
/// </summary>
public sealed class ControlLineRewriter(IDataAnnouncementHandler handler)
{
    /// <summary>The longest line that is held for rewriting.</summary>
    public const int MaxLine = 4096;

    private const byte Lf = (byte)'\n';

    private readonly Lock gate = new();
    private readonly LineState client = new();
    private readonly LineState server = new();

    /// <summary>The control channel is TLS from here on: every byte passes through.</summary>
    private bool encrypted;

    /// <summary>The client sent AUTH and the server has not answered yet: client lines are not rewritten.</summary>
    private bool authPending;

    /// <summary>Code of the multi-line reply the server is in (RFC 959 §4.2), or -1.</summary>
    private int multiline = -1;

    private enum Mode : byte
    {
        /// <summary>At the start of a line or reading its first bytes to decide what it is.</summary>
        Classify,

        /// <summary>A candidate for rewriting: held until its LF.</summary>
        Collect,

        /// <summary>The rest of this line passes through; the next line is classified again.</summary>
        Pass,
    }

    /// <summary>What happens when the current line's LF has been forwarded.</summary>
    private enum LineEnd : byte
    {
        None,

        /// <summary>The server's final reply with this line's code (clears a pending AUTH unless 234).</summary>
        FinalReply,

        /// <summary>A 234 final reply: TLS starts with the next byte.</summary>
        Tls,

        /// <summary>The client's AUTH command: its answer decides whether TLS follows.</summary>
        Auth,
    }

    private enum Kind : byte { None, Pasv, Epsv, Port, Eprt }

    private sealed class LineState
    {
        public Mode Mode;
        public LineEnd End;
        public Kind Kind;
        public int Code;
        public byte[] Buffer = new byte[64];
        public int Length;

        public void Append(byte b)
        {
            if (Length == Buffer.Length) Array.Resize(ref Buffer, Math.Min(Buffer.Length * 2, MaxLine));
            Buffer[Length++] = b;
        }
    }

    /// <summary>
    /// Feeds bytes the sender of <paramref name="direction"/> sent and writes to
    /// <paramref name="output"/> what the other peer is to receive now.
    /// </summary>
    public void Feed(Direction direction, ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        lock (gate)
        {
            LineState st = direction == Direction.ClientToServer ? client : server;
            while (!input.IsEmpty)
            {
                if (encrypted)
                {
                    Flush(st, output);
                    output.Write(input);
                    return;
                }
                switch (st.Mode)
                {
                    case Mode.Pass:
                    {
                        int lf = input.IndexOf(Lf);
                        if (lf < 0)
                        {
                            output.Write(input);
                            return;
                        }
                        output.Write(input[..(lf + 1)]);
                        input = input[(lf + 1)..];
                        EndLine(st);
                        break;
                    }
                    case Mode.Collect:
                    {
                        int lf = input.IndexOf(Lf);
                        int take = lf < 0 ? input.Length : lf + 1;
                        if (st.Length + take > MaxLine)
                        {
                            // Too long for an announcement: give up rewriting this line, pass it on.
                            Flush(st, output);
                            st.Mode = Mode.Pass;
                            break;
                        }
                        foreach (byte b in input[..take]) st.Append(b);
                        input = input[take..];
                        if (lf >= 0)
                        {
                            Rewrite(st, output);
                            EndLine(st);
                        }
                        break;
                    }
                    default:
                    {
                        byte b = input[0];
                        input = input[1..];
                        st.Append(b);
                        if (b == Lf)
                        {
                            // A line shorter than its classification (e.g. "200\n"): nothing to rewrite.
                            Classify(direction, st, complete: true);
                            Flush(st, output);
                            EndLine(st);
                        }
                        else
                        {
                            Classify(direction, st, complete: false);
                            if (encrypted || st.Mode == Mode.Pass) Flush(st, output);
                        }
                        break;
                    }
                }
            }
        }
    }

    /// <summary>Decides, from the first bytes of a line, whether it may be rewritten.</summary>
    private void Classify(Direction direction, LineState st, bool complete)
    {
        ReadOnlySpan<byte> line = st.Buffer.AsSpan(0, st.Length);
        if (line[0] == 0x16)
        {
            // A TLS handshake record where a line should start: TLS without AUTH (implicit FTPS).
            SwitchToTls("a TLS record started the " + (direction == Direction.ClientToServer ? "client's" : "server's") + " stream where an FTP line was expected");
            return;
        }
        if (direction == Direction.ClientToServer)
        {
            if (authPending)
            {
                st.Mode = Mode.Pass;
                return;
            }
            foreach ((string verb, Kind kind) in ClientVerbs)
            {
                if (!StartsLike(line, verb)) continue;
                if (line.Length < verb.Length) return; // still matching: read on
                st.Kind = kind;
                if (kind == Kind.None) st.End = LineEnd.Auth;
                st.Mode = kind == Kind.None ? Mode.Pass : Mode.Collect;
                return;
            }
            st.Mode = Mode.Pass;
            return;
        }
        if (line.Length < 4 && !complete)
        {
            // A reply line starts with three digits: hold at most four bytes to read code and separator.
            foreach (byte b in line)
            {
                if (!IsDigit(b)) st.Mode = Mode.Pass;
            }
            return;
        }
        st.Mode = Mode.Pass;
        if (line.Length < 4 || !IsDigit(line[0]) || !IsDigit(line[1]) || !IsDigit(line[2])) return;
        int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
        byte sep = line[3];
        if (multiline >= 0)
        {
            // Inside a multi-line reply only "code " ends it; nothing inside is rewritten.
            if (sep == ' ' && code == multiline)
            {
                multiline = -1;
                st.Code = code;
                st.End = code == 234 ? LineEnd.Tls : LineEnd.FinalReply;
            }
            return;
        }
        if (sep == '-')
        {
            multiline = code;
            return;
        }
        if (sep != ' ') return;
        st.Code = code;
        st.End = code == 234 ? LineEnd.Tls : code >= 200 ? LineEnd.FinalReply : LineEnd.None;
        if (code is 227 or 229)
        {
            st.Kind = code == 227 ? Kind.Pasv : Kind.Epsv;
            st.Mode = Mode.Collect;
        }
    }

    private static readonly (string Verb, Kind Kind)[] ClientVerbs = [("PORT ", Kind.Port), ("EPRT ", Kind.Eprt), ("AUTH ", Kind.None)];

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    /// <summary>The line so far matches the start of <paramref name="verb"/> (case-insensitive).</summary>
    private static bool StartsLike(ReadOnlySpan<byte> line, string verb)
    {
        int n = Math.Min(line.Length, verb.Length);
        for (int i = 0; i < n; i++)
        {
            if (char.ToUpperInvariant((char)line[i]) != verb[i]) return false;
        }
        return true;
    }

    private void EndLine(LineState st)
    {
        switch (st.End)
        {
            case LineEnd.Tls:
                SwitchToTls("the server accepted AUTH (234): the control channel is TLS from here on");
                break;
            case LineEnd.FinalReply:
                authPending = false; // AUTH refused (or another final reply): client lines are plaintext again
                break;
            case LineEnd.Auth:
                authPending = true;
                break;
        }
        st.Mode = Mode.Classify;
        st.End = LineEnd.None;
        st.Kind = Kind.None;
        st.Code = 0;
        st.Length = 0;
    }

    private void SwitchToTls(string why)
    {
        if (encrypted) return;
        encrypted = true;
        handler.Encrypted(why);
    }

    private static void Flush(LineState st, IBufferWriter<byte> output)
    {
        if (st.Length == 0) return;
        output.Write(st.Buffer.AsSpan(0, st.Length));
        st.Length = 0;
    }

    /// <summary>A complete candidate line (ending in LF): written rewritten, or as it was.</summary>
    private void Rewrite(LineState st, IBufferWriter<byte> output)
    {
        ReadOnlySpan<byte> line = st.Buffer.AsSpan(0, st.Length);
        int contentEnd = line.Length - 1;
        if (contentEnd > 0 && line[contentEnd - 1] == '\r') contentEnd--;
        string content = Encoding.Latin1.GetString(line[..contentEnd]);
        string? rewritten = st.Kind switch
        {
            Kind.Pasv => RewritePasv(content),
            Kind.Epsv => RewriteEpsv(content),
            Kind.Port => RewritePort(content),
            Kind.Eprt => RewriteEprt(content),
            _ => null,
        };
        if (rewritten is null)
        {
            output.Write(line);
        }
        else
        {
            output.Write(Encoding.Latin1.GetBytes(rewritten));
            output.Write(line[contentEnd..]);
        }
        st.Length = 0;
    }

    private string? RewritePasv(string line)
    {
        // RFC 1123 §4.1.2.6: the six numbers may appear anywhere in the text after the code.
        if (DataEndpoint.FindSixNumbers(line, 4) is not var (start, end, announced)) return null;
        IPEndPoint? to = handler.Passive(DataVia.Pasv, announced.Address, announced.Port);
        if (to is null || to.AddressFamily != AddressFamily.InterNetwork) return null;
        return line[..start] + Six(to) + line[end..];
    }

    private string? RewriteEpsv(string line)
    {
        // RFC 2428 §3: "(<d><d><d><port><d>)", any delimiter character.
        if (DataEndpoint.FindEpsvPort(line, 4) is not var (open, close, d, port)) return null;
        IPEndPoint? to = handler.Passive(DataVia.Epsv, null, port);
        if (to is null) return null;
        return line[..(open + 1)] + $"{d}{d}{d}{to.Port.ToString(CultureInfo.InvariantCulture)}{d}" + line[close..];
    }

    private string? RewritePort(string line)
    {
        // RFC 959 §4.1.2: PORT h1,h2,h3,h4,p1,p2 (exactly the six numbers).
        string argument = line[5..].Trim(' ');
        if (DataEndpoint.FindSixNumbers(argument, 0) is not var (start, end, announced) || start != 0 || end != argument.Length) return null;
        IPEndPoint? to = handler.Active(DataVia.Port, announced);
        if (to is null || to.AddressFamily != AddressFamily.InterNetwork) return null;
        return line[..5] + Six(to);
    }

    private string? RewriteEprt(string line)
    {
        // RFC 2428 §2: EPRT <d><net-prt><d><net-addr><d><tcp-port><d>, protocol 1 (IPv4) or 2 (IPv6).
        string argument = line[5..].Trim(' ');
        if (DataEndpoint.ParseEprt(argument) is not { } announced) return null;
        IPEndPoint? to = handler.Active(DataVia.Eprt, announced);
        if (to is null) return null;
        char d = argument[0];
        string family = to.AddressFamily == AddressFamily.InterNetworkV6 ? "2" : "1";
        return line[..5] + $"{d}{family}{d}{to.Address}{d}{to.Port.ToString(CultureInfo.InvariantCulture)}{d}";
    }

    private static string Six(IPEndPoint ep)
    {
        byte[] a = ep.Address.GetAddressBytes();
        return string.Create(CultureInfo.InvariantCulture, $"{a[0]},{a[1]},{a[2]},{a[3]},{ep.Port >> 8},{ep.Port & 0xFF}");
    }
}
