using System.Net;
using System.Text;
using Inspector.Capture.Files;
using Inspector.Capture.Recording;
using Inspector.Core.Model;
using Inspector.Core.Output;
using Inspector.Tui.Model;
using Inspector.Tui.Tests.Kit;
using Inspector.Tui.Views;

namespace Inspector.Tui.Tests.EndToEnd;

/// <summary>
/// Terminal escapes, C1 controls and bidi overrides in every place a peer can put text (banner,
/// command arguments, replies, a file's path and its content on the data connection) reach no
/// output raw: not the text, verbose text, findings-only or JSON output of <c>inspector read</c>,
/// not the terminal UI's session list, timeline rows, row details or session details.
/// </summary>
public sealed class HostileBytesEverywhereTests : IDisposable
{
    // ESC CSI (clear screen), ESC OSC (window title, BEL), OSC 52 (clipboard), C1 CSI and OSC
    // as single bytes, a bidi override (UTF-8 and as a raw code unit), and DEL.
    private static readonly byte[] Hostile = [.. "\u001b[2J\u001b]0;owned\u0007\u001b]52;c;ZXZpbA==\u0007"u8, 0x9B, (byte)'3', (byte)'1', (byte)'m', 0x9D,
        .. Encoding.UTF8.GetBytes("\u202Eexe.txt\u202C"), 0x7F];

    private readonly string work = Directory.CreateTempSubdirectory("inspector-hostile-").FullName;

    [Fact(Timeout = 60_000)]
    public async Task No_output_path_passes_a_control_or_bidi_character_through()
    {
        await Task.Yield();
        string capture = WriteCapture();
        Assert.Contains('\u001b', Encoding.Latin1.GetString(File.ReadAllBytes(capture))); // the bytes are there to be escaped

        foreach (string[] args in new[] { new[] { capture }, [capture, "--verbose"], [capture, "--findings-only"], [capture, "--json"] })
        {
            (_, string output) = Tools.InspectorRead(args);
            if (!args.Contains("--findings-only")) Assert.Contains("RETR", output); // the session was decoded
            AssertClean(output, "inspector read " + string.Join(' ', args[1..]));
        }

        SessionStore store = Stores.FromCapture(capture);
        Assert.Equal(2, store.SessionCount); // the control session and its data connection
        var list = new SessionList(store);
        list.Refresh();
        var table = new SessionsTableSource(list);
        for (int i = 0; i < list.Count; i++)
        {
            for (int col = 0; col < table.Columns; col++) AssertClean((string)table[i, col], $"session list row {i} column {col}");
            SessionRecord s = list[i];
            AssertClean(DetailBuilder.ForSession(s).Text, $"session {s.Id} details");
            for (int row = 0; row < s.RowCount; row++)
            {
                AssertClean(RowText.Summary(s.Row(row)), $"session {s.Id} row {row}");
                AssertClean(DetailBuilder.Build(s, row, s.RowCount).Text, $"session {s.Id} row {row} details");
            }
        }
    }

    /// <summary>Line breaks separate output lines; nothing else below U+0020, no C1, DEL or bidi control.</summary>
    private static void AssertClean(string text, string where)
    {
        foreach (char c in text)
        {
            if (c is '\n' or '\r') continue;
            Assert.False(TerminalText.NeedsEscape(c), $"U+{(int)c:x4} reaches {where}");
        }
    }

    private string WriteCapture()
    {
        string path = Path.Combine(work, "hostile.pcapng");
        using var file = File.Create(path);
        using var writer = new PcapngWriter(file, "inspector tests");
        int id = writer.AddInterface(SyntheticTcpConnection.LinkType, 262_144);
        var control = new SyntheticTcpConnection(writer, id, new IPEndPoint(IPAddress.Loopback, 50_000), new IPEndPoint(IPAddress.Loopback, 21), (1000, 5000));
        int ms = 0;
        Timestamp Next() => Stores.T(ms += 10);
        void Line(Direction d, string prefix, bool hostile = true, string suffix = "")
        {
            byte[] bytes = [.. Encoding.ASCII.GetBytes(prefix), .. hostile ? Hostile : [], .. Encoding.ASCII.GetBytes(suffix + "\r\n")];
            control.Data(d, Next(), bytes);
        }
        control.Open(Next());
        Line(Direction.ServerToClient, "220 ");
        Line(Direction.ClientToServer, "USER ");
        Line(Direction.ServerToClient, "331 ");
        Line(Direction.ClientToServer, "PASS ");
        Line(Direction.ServerToClient, "230 ");
        Line(Direction.ClientToServer, "PASV", hostile: false);
        Line(Direction.ServerToClient, "227 Entering Passive Mode (127,0,0,1,156,65).", hostile: false);
        Line(Direction.ClientToServer, "RETR ", suffix: ".bin");
        var data = new SyntheticTcpConnection(writer, id, new IPEndPoint(IPAddress.Loopback, 50_001), new IPEndPoint(IPAddress.Loopback, 40_001), (9000, 7000));
        data.Open(Next());
        Line(Direction.ServerToClient, "150 ");
        data.Data(Direction.ServerToClient, Next(), [.. Hostile, .. Hostile]);
        data.Fin(Direction.ServerToClient, Next());
        data.Fin(Direction.ClientToServer, Next());
        Line(Direction.ServerToClient, "226 ");
        Line(Direction.ClientToServer, "QUIT", hostile: false);
        Line(Direction.ServerToClient, "221 ");
        control.Fin(Direction.ClientToServer, Next());
        control.Fin(Direction.ServerToClient, Next());
        return path;
    }

    public void Dispose() => Directory.Delete(work, recursive: true);
}
