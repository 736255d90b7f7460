using System.Globalization;
using System.Net;
using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Model;

namespace Inspector.Core.Sessions;

/// <summary>What a source may do about data connections.</summary>
public sealed record DataTrackingOptions
{
    public static DataTrackingOptions Default { get; } = new();

    /// <summary>
    /// The source sees data connections (captures, live, the proxy relaying them). The proxy
    /// leaving them direct sees none, so a missing one proves nothing there.
    /// </summary>
    public bool ExpectDataConnections { get; init; } = true;

    /// <summary>How soon after a silent data connection the control session must end for a session-reuse refusal to be suspected.</summary>
    public TimeSpan ReuseFailureWindow { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>A new TCP connection recognised as a data connection.</summary>
/// <param name="FtpClientIsTcpServer">Active mode: the FTP server connected, so the source must hand over directions in FTP roles (swap them).</param>
public sealed record DataClaim(DataLink Link, bool FtpClientIsTcpServer);

/// <summary>
/// Links FTP data connections to their control sessions and checks them against what the control
/// channel said. It sits between a source and its sink (a decorator): it learns the announced
/// endpoints, PROT levels and transfer replies from control sessions, tells the source which new
/// connections are data connections, and adds the findings that need both sides. Single-threaded
/// like every sink; sans-IO.
/// </summary>
public sealed class DataConnectionTracker(ISessionSink inner, DataTrackingOptions? options = null) : ISessionSink
{
    /// <summary>Ended control sessions kept for data connections that end after them.</summary>
    private const int MaxEndedControls = 64;

    private readonly DataTrackingOptions options = options ?? DataTrackingOptions.Default;
    private readonly List<ControlSessionState> controls = [];
    private readonly Dictionary<long, ControlSessionState> controlById = [];
    private readonly Dictionary<long, DataSessionState> dataById = [];

    // Open control sessions by their two hosts, for the inference: every new connection of a
    // busy capture asks, and scanning all open sessions each time was a tenth of `read`.
    private readonly Dictionary<HostPair, List<ControlSessionState>> openByHosts = [];

    /// <summary>
    /// A connection whose listener endpoint (the TCP server) was announced by an open control
    /// session: PASV/EPSV name the server's, PORT/EPRT the client's (RFC 959 §4.1.2, RFC 2428).
    /// A listener on the right port of the control peer's address also counts: the announced
    /// address was a private one behind NAT.
    /// </summary>
    public DataClaim? Claim(IPEndPoint tcpClient, IPEndPoint tcpServer)
    {
        if (Find(tcpClient, tcpServer) is not (ControlSessionState control, DataExpectation x)) return null;
        return new DataClaim(new DataLink(control.Info.Id, Inferred: false, ServerConnected: !x.Passive), !x.Passive);
    }

    /// <summary>An open control session with an unreadable (TLS) control channel between the same two hosts.</summary>
    public bool MayInfer(IPEndPoint tcpClient, IPEndPoint tcpServer) => InferCandidate(tcpClient, tcpServer, null) is not null;

    /// <summary>
    /// Links a connection to an encrypted control session by addresses and time alone. When client
    /// and server share an address the direction of the first TLS ClientHello (or the server's
    /// port 20, RFC 959 §3.2) tells active from passive.
    /// </summary>
    public DataClaim? ClaimInferred(IPEndPoint tcpClient, IPEndPoint tcpServer, bool clientHelloFromTcpServer)
    {
        if (InferCandidate(tcpClient, tcpServer, clientHelloFromTcpServer) is not (ControlSessionState control, bool active)) return null;
        return new DataClaim(new DataLink(control.Info.Id, Inferred: true, ServerConnected: active), active);
    }

    public void SessionStarted(SessionInfo session)
    {
        if (session.Data is { } link && controlById.TryGetValue(link.ParentId, out ControlSessionState? parent))
        {
            IPEndPoint listener = link.ServerConnected ? session.Client : session.Server;
            DataExpectation? x = link.Inferred ? null : parent.Expectations.LastOrDefault(e => !e.Used && Matches(parent, e, listener));
            if (x is not null) x.Used = true;
            var data = new DataSessionState(session, parent, x);
            dataById[session.Id] = data;
            parent.LastData = data;
            if (parent.AwaitingConnection.TryDequeue(out DataTransfer? transfer)) Assign(data, transfer);
            else if (!link.Inferred) Bounded(parent.AwaitingTransfer, data); // an encrypted control channel shows no transfer to wait for
        }
        else if (session.Data is null)
        {
            var control = new ControlSessionState(session) { LastActivity = session.Start };
            controls.Add(control);
            controlById[session.Id] = control;
            HostPair hosts = HostPair.Of(session.Client.Address, session.Server.Address);
            if (!openByHosts.TryGetValue(hosts, out List<ControlSessionState>? sameHosts)) openByHosts[hosts] = sameHosts = [];
            sameHosts.Add(control);
        }
        inner.SessionStarted(session);
    }

    public void Output(SessionInfo session, AnalysisOutput output)
    {
        if (controlById.TryGetValue(session.Id, out ControlSessionState? control) && !control.Ended)
        {
            control.LastActivity = output.Time;
            // By output type first: a type test per case was a runtime helper call per output.
            switch (output.OutputType)
            {
                case OutputType.DataTransferReply:
                    OnTransferReply(control, (DataTransferReply)output);
                    return;
                case OutputType.ExpectedDataConnection:
                    control.Expectations.Add(new DataExpectation((ExpectedDataConnection)output));
                    if (control.Expectations.Count > ControlSessionState.MaxExpectations) control.Expectations.RemoveAt(0);
                    break;
                case OutputType.Event when ((Timeline.TimelineEvent)output).Layer == Timeline.Layer.Tls:
                    control.Encrypted = true;
                    break;
                case OutputType.Finding when ((Finding)output).Name == FindingCatalog.CccInferred:
                    control.Encrypted = false;
                    break;
            }
        }
        else if (output.OutputType == OutputType.DataConnectionFacts && dataById.TryGetValue(session.Id, out DataSessionState? data))
        {
            data.Facts = (DataConnectionFacts)output;
            return;
        }
        inner.Output(session, output);
    }

    public void SessionEnded(SessionInfo session, SessionSummary summary)
    {
        if (dataById.TryGetValue(session.Id, out DataSessionState? data))
        {
            data.Summary = summary;
            CheckProtection(data);
            Report(data);
            if (data.Parent.Ended && data.Parent.LastData == data) CheckReuseSuspected(data.Parent, data, data.Parent.EndedAt);
            // The final reply says how the transfer went; wait for it when it can still come.
            bool replyCanCome = !data.Parent.Ended && !data.Parent.Encrypted && data.Transfer?.Final is null;
            if (replyCanCome)
            {
                data.Parent.Held.Add(data);
                // A server that never answers must not make the held ends pile up.
                if (data.Parent.Held.Count > ControlSessionState.MaxQueued)
                {
                    DataSessionState oldest = data.Parent.Held[0];
                    data.Parent.Held.RemoveAt(0);
                    Release(oldest);
                }
            }
            else
            {
                Release(data);
            }
            return;
        }
        if (controlById.TryGetValue(session.Id, out ControlSessionState? control))
        {
            EndControl(control, summary.End);
            inner.SessionEnded(session, WithAdded(summary, control.Added));
            return;
        }
        inner.SessionEnded(session, summary);
    }

    private (ControlSessionState, DataExpectation)? Find(IPEndPoint tcpClient, IPEndPoint tcpServer)
    {
        for (int i = controls.Count - 1; i >= 0; i--)
        {
            ControlSessionState c = controls[i];
            if (c.Ended) continue;
            for (int j = c.Expectations.Count - 1; j >= 0; j--)
            {
                DataExpectation x = c.Expectations[j];
                if (x.Used || !Matches(c, x, tcpServer)) continue;
                // The connecting side must be the other peer of the control connection.
                IPAddress connector = x.Passive ? c.Info.Client.Address : c.Info.Server.Address;
                if (Same(tcpClient.Address, connector) || Same(tcpServer, x.Endpoint)) return (c, x);
            }
        }
        return null;
    }

    private static bool Matches(ControlSessionState c, DataExpectation x, IPEndPoint listener)
    {
        if (Same(listener, x.Endpoint)) return true;
        IPAddress listenerHost = x.Passive ? c.Info.Server.Address : c.Info.Client.Address;
        return listener.Port == x.Endpoint.Port && Same(listener.Address, listenerHost);
    }

    /// <summary>Of the open encrypted control sessions between these hosts, the one that spoke last (the one that just asked for data).</summary>
    private (ControlSessionState, bool Active)? InferCandidate(IPEndPoint tcpClient, IPEndPoint tcpServer, bool? clientHelloFromTcpServer)
    {
        (ControlSessionState, bool Active)? best = null;
        if (!openByHosts.TryGetValue(HostPair.Of(tcpClient.Address, tcpServer.Address), out List<ControlSessionState>? candidates)) return null;
        foreach (ControlSessionState c in candidates)
        {
            if (c.Ended || !c.Encrypted || Same(tcpServer, c.Info.Server)) continue;
            bool passive = Same(tcpClient.Address, c.Info.Client.Address) && Same(tcpServer.Address, c.Info.Server.Address);
            bool active = Same(tcpClient.Address, c.Info.Server.Address) && Same(tcpServer.Address, c.Info.Client.Address);
            if (!passive && !active) continue;
            if (passive && active) active = clientHelloFromTcpServer == true || tcpClient.Port == 20;
            if (best is not { } b || c.LastActivity >= b.Item1.LastActivity) best = (c, active);
        }
        return best;
    }

    private void OnTransferReply(ControlSessionState control, DataTransferReply reply)
    {
        if (reply.Preliminary)
        {
            var started = new DataTransfer(reply);
            control.Open.Add(started);
            if (control.Open.Count > ControlSessionState.MaxQueued) control.Open.RemoveAt(0);
            if (control.AwaitingTransfer.TryDequeue(out DataSessionState? waiting)) Assign(waiting, started);
            else Bounded(control.AwaitingConnection, started);
            return;
        }
        DataTransfer? transfer = control.Open.FirstOrDefault(t => t.Verb == reply.Verb && t.Final is null);
        if (transfer is null)
        {
            // A final reply without a preliminary one: the server refused, or never needed the connection.
            transfer = new DataTransfer(reply);
            if (reply.Succeeded && control.AwaitingTransfer.TryDequeue(out DataSessionState? waiting)) Assign(waiting, transfer);
        }
        control.Open.Remove(transfer);
        transfer.Final = reply;
        if (transfer.Data is { } data)
        {
            CheckSize(data);
            CheckReuseRefused(data);
            if (control.Held.Remove(data)) Release(data);
            return;
        }
        RemoveFromQueue(control.AwaitingConnection, transfer);
        if (!options.ExpectDataConnections) return;
        DataExpectation? unused = control.Expectations.LastOrDefault(e => !e.Used && !e.Reported);
        if (transfer.HadPreliminary)
        {
            if (unused is not null) unused.Reported = true;
            AddFinding(control, FindingCatalog.DataConnectionMissing, Side.Network, reply.Time, Direction.ServerToClient, reply.Text,
                $"the server started {transfer.Verb} ({transfer.First.Code}) but no data connection was seen",
                $"The server answered {transfer.Verb} with \"{transfer.First.Code} {transfer.First.Text}\" and then \"{reply.Code} {reply.Text}\", "
                + "so a data connection was in use, but none matching "
                + (unused is null ? "an announced endpoint" : $"the announced {unused.Announced.Via} endpoint {ConnectionInfo.Format(unused.Endpoint)}")
                + " is in the capture. Most often the capture filter or capture point does not include the data ports "
                + "(capture with \"tcp port 21 or portrange <passive range>\", or use inspector live, which follows the announced ports).");
        }
        else if (reply.Code is 425 or 426 && unused is not null)
        {
            unused.Reported = true;
            ReportUnused(control, unused, reply.Time, $" The server then answered {transfer.Verb} with \"{reply.Code} {reply.Text}\".");
        }
    }

    private static void Bounded<T>(Queue<T> queue, T item)
    {
        queue.Enqueue(item);
        if (queue.Count > ControlSessionState.MaxQueued) queue.Dequeue();
    }

    private static void Assign(DataSessionState data, DataTransfer transfer)
    {
        data.Transfer = transfer;
        transfer.Data = data;
    }

    private static void RemoveFromQueue(Queue<DataTransfer> queue, DataTransfer item)
    {
        if (!queue.Contains(item)) return;
        DataTransfer[] rest = [.. queue.Where(t => t != item)];
        queue.Clear();
        foreach (DataTransfer t in rest) queue.Enqueue(t);
    }

    private void EndControl(ControlSessionState control, Timestamp end)
    {
        foreach (DataSessionState held in control.Held.ToArray()) Release(held);
        control.Held.Clear();
        if (options.ExpectDataConnections && !control.Encrypted)
        {
            foreach (DataExpectation x in control.Expectations.Where(e => !e.Used && !e.Reported))
            {
                // No transfer needed it (the client sent PASV and then did something else): worth a note only.
                x.Reported = true;
                ReportUnused(control, x, end, " No transfer command used it.", Severity.Info);
            }
        }
        if (control.LastData is { Summary: not null } last) CheckReuseSuspected(control, last, end);
        control.Ended = true;
        control.EndedAt = end;
        HostPair hosts = HostPair.Of(control.Info.Client.Address, control.Info.Server.Address);
        if (openByHosts.TryGetValue(hosts, out List<ControlSessionState>? sameHosts) && sameHosts.Remove(control) && sameHosts.Count == 0) openByHosts.Remove(hosts);
        controls.Remove(control);
        controls.Insert(0, control);
        // Keep a few ended sessions for data connections that end after their control session.
        int ended = controls.Count(c => c.Ended);
        if (ended > MaxEndedControls)
        {
            ControlSessionState oldest = controls.First(c => c.Ended);
            controls.Remove(oldest);
            controlById.Remove(oldest.Info.Id);
            foreach (long id in dataById.Where(d => d.Value.Parent == oldest).Select(d => d.Key).ToArray()) dataById.Remove(id);
        }
    }

    private void ReportUnused(ControlSessionState control, DataExpectation x, Timestamp time, string then, Severity? severity = null)
    {
        string who = x.Passive ? "the client never connected to the server's" : "the server never connected to the client's";
        string why = x.Passive
            ? "A firewall or NAT between them may block the passive port range, the address may be unreachable from the client (see ftp.pasv_address_mismatch), or the client gave up first."
            : "Active mode needs the server to reach the client's address: a firewall or NAT on the client's side usually blocks it. Passive mode (PASV/EPSV) avoids this.";
        AddFinding(control, FindingCatalog.DataConnectionMissing, x.Passive ? Side.Client : Side.Server, time, null, "",
            $"{x.Announced.Via} announced {ConnectionInfo.Format(x.Endpoint)} but {who} endpoint",
            $"The {x.Announced.Via} exchange announced a data connection to {ConnectionInfo.Format(x.Endpoint)} and none was seen.{then} {why} "
            + "If the capture did not include the data ports, the connection may simply be missing from it.", severity);
    }

    /// <summary>RFC 4217 §9: PROT P means TLS on every data connection, PROT C (the default) none.</summary>
    private void CheckProtection(DataSessionState data)
    {
        if (data.Facts is { Mixed: true } m)
        {
            char level = data.Expectation?.Announced.ProtectionLevel ?? '?';
            Side plainSide = m.TlsSide == Side.Client ? Side.Server : Side.Client;
            Side atFault = level == 'P' ? plainSide : level == 'C' ? m.TlsSide : Side.Both;
            string known = level is 'P' or 'C' ? $"The protection level in force was {level}, so the {atFault.WireName()} did not follow it. " : "The PROT level cannot be read (it was sent on the encrypted control channel). ";
            AddFinding(data, FindingCatalog.DataProtectionMismatch, atFault, m.Time, m.FirstDirection, m.FirstBytes,
                $"the {m.TlsSide.WireName()} spoke TLS on the data connection while the {plainSide.WireName()} sent plaintext",
                "Client and server disagree on whether this data connection is protected (RFC 4217 §9: PROT P means TLS, PROT C plaintext). " + known
                + "The plaintext side sends file data the TLS side cannot read, and the TLS side's handshake is ignored or reset. "
                + "Check that the client sends PBSZ 0 and PROT P when it means to protect data (and that the server answered 200), or turn data protection off on both ends.");
            return;
        }
        if (data.Expectation is not { } x || data.Facts is not { } f || f.Protection == DataProtection.None) return;
        char prot = x.Announced.ProtectionLevel;
        bool tls = f.Protection == DataProtection.Tls;
        if (prot == 'P' && !tls)
        {
            AddFinding(data, FindingCatalog.DataProtectionMismatch, f.FirstDirection.Sender(), f.Time, f.FirstDirection, f.FirstBytes,
                $"data connection in plaintext although PROT P was accepted (the {f.FirstDirection.Sender().WireName()} sent plaintext first)",
                "The server accepted PROT P, so this data connection had to start with a TLS handshake (RFC 4217 §9), but the "
                + $"{f.FirstDirection.Sender().WireName()} sent plaintext data. The other side's TLS stack fails on it and the transfer breaks "
                + "(the server typically answers 425 or 426). The file's contents crossed the network unencrypted. "
                + "Make the client protect data connections (curl --ssl-reqd, lftp set ftp:ssl-protect-data true, ftplib prot_p()) or stop it sending PROT P.");
        }
        else if (prot == 'C' && tls)
        {
            AddFinding(data, FindingCatalog.DataProtectionMismatch, Side.Client, f.Time, f.FirstDirection, f.FirstBytes,
                "data connection in TLS although the protection level is C (clear)",
                "No PROT P was accepted on the control channel, so data connections are plaintext (RFC 4217 §9), but this one started a TLS handshake. "
                + "A server expecting plaintext stores or sends the TLS bytes as file data, or fails. Send PBSZ 0 and PROT P before the transfer, or turn data protection off in the client.");
        }
    }

    /// <summary>A binary RETR whose plaintext bytes differ from the size the server announced.</summary>
    private void CheckSize(DataSessionState data)
    {
        if (data.Transfer is not { Final: { } final } t || data.Facts is not { Protection: DataProtection.Plaintext } f) return;
        if (t.Verb != "RETR" || !final.Succeeded || t.First.TransferType != 'I' || t.First.AnnouncedSize is not long size) return;
        if (f.ServerPayload == size) return;
        AddFinding(data, FindingCatalog.TransferSizeMismatch, Side.Server, final.Time, null, final.Text,
            string.Create(CultureInfo.InvariantCulture, $"RETR {t.First.Argument} carried {f.ServerPayload:N0} bytes but the server announced {size:N0}"),
            string.Create(CultureInfo.InvariantCulture, $"The server announced {size:N0} bytes for this file and reported success (\"{final.Code} {final.Text}\"), but the data connection carried {f.ServerPayload:N0} bytes in binary mode. ")
            + "Either bytes are missing from the capture, the file changed during the transfer, or the server closed the connection early.");
    }

    /// <summary>The final reply says the server refused the data connection for lack of session reuse (vsftpd: 522).</summary>
    private void CheckReuseRefused(DataSessionState data)
    {
        if (data.Transfer?.Final is not { Succeeded: false } final || data.Facts is not { Protection: DataProtection.Tls, ResumptionOffered: false } f) return;
        if (final.Code != 522 && !final.Text.Contains("reuse", StringComparison.OrdinalIgnoreCase)) return;
        AddFinding(data, FindingCatalog.SessionReuseRequired, Side.Client, final.Time, Direction.ServerToClient, final.Text,
            $"the server refused the data connection: \"{final.Code} {final.Text}\"; the ClientHello offered no session resumption",
            ReuseExplanation);
    }

    /// <summary>
    /// With the control channel encrypted the 522 cannot be read, but its trace can: the last data
    /// connection completed its handshake without offering resumption, carried nothing beyond the
    /// server's session tickets, the server closed it, and the control session ended right after.
    /// </summary>
    private void CheckReuseSuspected(ControlSessionState control, DataSessionState data, Timestamp end)
    {
        if (!control.Encrypted || data.Summary is not { } s || data.Facts is not { } f) return;
        bool silent = f is { Protection: DataProtection.Tls, HandshakeComplete: true, ResumptionOffered: false, ClientRecords: 0 }
            && f.ServerRecords <= (f.Tls13 ? 2 : 0);
        if (!silent || (end - s.End).Duration() > options.ReuseFailureWindow) return;
        string summary = $"data connection (session {data.Info.Id}) was closed right after its handshake, which did not resume the control session; then the session ended";
        // The finding goes to whichever of the two sessions is still open.
        if (control.Ended)
        {
            AddFinding(data, FindingCatalog.SessionReuseRequired, Side.Client, s.End, null, ReadOnlyMemory<byte>.Empty, summary, ReuseSuspicion);
        }
        else
        {
            AddFinding(control, FindingCatalog.SessionReuseRequired, Side.Client, end, null, "", summary, ReuseSuspicion);
        }
    }

    private const string ReuseSuspicion =
            "The control channel is encrypted, so the server's reply cannot be read, but the pattern matches a server that requires TLS session reuse on data connections: "
            + "the data connection's ClientHello offered no resumption, the handshake completed, the server sent no data and closed it, and the session ended moments later. "
            + ReuseExplanation + " (An empty directory listing looks the same on the wire; the client's error message confirms.)";

    private const string ReuseExplanation =
        "Servers such as vsftpd (require_ssl_reuse=YES, the default) and ProFTPD (unless TLSOptions NoSessionReuseRequired) accept a data connection only when its TLS handshake "
        + "resumes the control connection's session, which proves the same client made both (RFC 4217 §10). This client does not resume (python ftplib, some Java and mainframe clients). "
        + "Use a client that resumes sessions (curl, lftp, FileZilla), or relax the server: vsftpd require_ssl_reuse=NO, ProFTPD TLSOptions NoSessionReuseRequired.";

    /// <summary>The data connection's end goes out, with its transfer command.</summary>
    private void Release(DataSessionState data)
    {
        if (data.Released || data.Summary is not { } summary) return;
        data.Released = true;
        dataById.Remove(data.Info.Id); // nothing more comes for it; the parent keeps LastData
        DataTransfer? t = data.Transfer;
        inner.SessionEnded(data.Info, WithAdded(summary, data.Added) with { Command = t?.Verb, Argument = t?.First.Argument });
    }

    /// <summary>The control session shows the data connection where it ended, in time order with its replies.</summary>
    private void Report(DataSessionState data)
    {
        if (data.Parent.Ended || data.Summary is not { } summary) return;
        DataTransfer? t = data.Transfer;
        inner.Output(data.Parent.Info, new DataConnectionReport(summary.End, data.Info.Id, t?.Verb, t?.First.Argument,
            Passive: !(data.Info.Data?.ServerConnected ?? false), Inferred: data.Info.Data?.Inferred ?? false,
            data.Facts?.Protection ?? DataProtection.None, summary.ClientBytes, summary.ServerBytes,
            summary.End - data.Info.Start, WithAdded(summary, data.Added).Outcome));
    }

    private void AddFinding(ControlSessionState control, string name, Side side, Timestamp time, Direction? direction, string evidence, string summary, string explanation, Severity? severity = null)
    {
        Finding f = Make(name, side, time, direction, System.Text.Encoding.Latin1.GetBytes(evidence), summary, explanation);
        if (severity is { } s) f = f with { Severity = s };
        control.Added[(int)f.Severity]++;
        inner.Output(control.Info, f);
    }

    private void AddFinding(DataSessionState data, string name, Side side, Timestamp time, Direction? direction, ReadOnlyMemory<byte> evidence, string summary, string explanation)
    {
        Finding f = Make(name, side, time, direction, evidence, summary, explanation);
        data.Added[(int)f.Severity]++;
        inner.Output(data.Info, f);
    }

    private void AddFinding(DataSessionState data, string name, Side side, Timestamp time, Direction? direction, string evidence, string summary, string explanation) =>
        AddFinding(data, name, side, time, direction, System.Text.Encoding.Latin1.GetBytes(evidence), summary, explanation);

    private static Finding Make(string name, Side side, Timestamp time, Direction? direction, ReadOnlyMemory<byte> evidence, string summary, string explanation)
    {
        FindingDefinition def = FindingCatalog.Get(name);
        ReadOnlyMemory<byte> kept = evidence.Length > AnalyzerOptions.Default.MaxEvidenceBytes ? evidence[..AnalyzerOptions.Default.MaxEvidenceBytes] : evidence;
        return new Finding(name, def.Severity, side, time, direction, 0, kept, summary, explanation);
    }

    private static SessionSummary WithAdded(SessionSummary s, int[] added) =>
        added[0] + added[1] + added[2] == 0 ? s
        : s with { Infos = s.Infos + added[(int)Severity.Info], Warnings = s.Warnings + added[(int)Severity.Warning], Errors = s.Errors + added[(int)Severity.Error] };

    private static bool Same(IPAddress a, IPAddress b)
    {
        // The usual case, one family on both sides, compares without mapping (which allocates).
        if (a.AddressFamily == b.AddressFamily && !a.IsIPv4MappedToIPv6 && !b.IsIPv4MappedToIPv6) return a.Equals(b);
        return (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Equals(b.IsIPv4MappedToIPv6 ? b.MapToIPv4() : b);
    }

    private static bool Same(IPEndPoint a, IPEndPoint b) => a.Port == b.Port && Same(a.Address, b.Address);

    /// <summary>Two hosts in either order (equality and hash are symmetric), IPv4-mapped IPv6 addresses read as IPv4 as <see cref="Same(IPAddress, IPAddress)"/> does.</summary>
    private readonly record struct HostPair(IPAddress A, IPAddress B)
    {
        public static HostPair Of(IPAddress a, IPAddress b) =>
            new(a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a, b.IsIPv4MappedToIPv6 ? b.MapToIPv4() : b);

        public bool Equals(HostPair other) =>
            A.Equals(other.A) && B.Equals(other.B) || A.Equals(other.B) && B.Equals(other.A);

        public override int GetHashCode() => A.GetHashCode() ^ B.GetHashCode();
    }
}
