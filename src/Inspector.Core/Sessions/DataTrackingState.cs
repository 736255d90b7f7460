using System.Net;
using Inspector.Core.Analysis;
using Inspector.Core.Model;

namespace Inspector.Core.Sessions;

/// <summary>A data connection the control channel announced (PASV/EPSV: the server listens; PORT/EPRT: the client does).</summary>
internal sealed class DataExpectation(ExpectedDataConnection announced)
{
    public ExpectedDataConnection Announced { get; } = announced;
    public IPEndPoint Endpoint => Announced.Endpoint;
    public bool Passive => Announced.Listener == Side.Server;
    public bool Used { get; set; }
    public bool Reported { get; set; }
}

/// <summary>One transfer command from its first reply to its final one.</summary>
internal sealed class DataTransfer(DataTransferReply first)
{
    public DataTransferReply First { get; } = first;
    public DataTransferReply? Final { get; set; }
    public DataSessionState? Data { get; set; }
    public bool HadPreliminary => First.Preliminary;
    public string Verb => First.Verb;
}

/// <summary>What the tracker keeps about one control session.</summary>
internal sealed class ControlSessionState(SessionInfo info)
{
    /// <summary>Expectations kept per session; older ones are forgotten (a hostile client could announce without end).</summary>
    public const int MaxExpectations = 64;

    /// <summary>Transfers and data connections waiting for each other, and held data connection ends, kept per session.</summary>
    public const int MaxQueued = 64;

    public SessionInfo Info { get; } = info;
    public bool Ended { get; set; }
    public Timestamp EndedAt { get; set; }

    /// <summary>The control channel is TLS now: announced endpoints and replies cannot be read.</summary>
    public bool Encrypted { get; set; }
    public Timestamp LastActivity { get; set; }
    public List<DataExpectation> Expectations { get; } = [];
    public Queue<DataSessionState> AwaitingTransfer { get; } = new();
    public Queue<DataTransfer> AwaitingConnection { get; } = new();
    public List<DataTransfer> Open { get; } = [];
    public List<DataSessionState> Held { get; } = [];
    public DataSessionState? LastData { get; set; }
    public int[] Added { get; } = new int[3];
}

/// <summary>What the tracker keeps about one data connection.</summary>
internal sealed class DataSessionState(SessionInfo info, ControlSessionState parent, DataExpectation? expectation)
{
    public SessionInfo Info { get; } = info;
    public ControlSessionState Parent { get; } = parent;
    public DataExpectation? Expectation { get; } = expectation;
    public DataTransfer? Transfer { get; set; }
    public DataConnectionFacts? Facts { get; set; }
    public SessionSummary? Summary { get; set; }
    public bool Released { get; set; }
    public int[] Added { get; } = new int[3];
}
