using Inspector.Core.Analysis;
using Inspector.Core.Findings;
using Inspector.Core.Model;
using Inspector.Core.Sessions;
using Inspector.Core.Timeline;

namespace Inspector.Tui.Model;

/// <summary>
/// What <c>/</c> narrows the session list to. Words are ANDed; "quotes" keep spaces. A bare
/// <c>error</c>, <c>warning</c> or <c>info</c> means "has a finding at least that severe";
/// <c>sev:</c>, <c>addr:</c>, <c>finding:</c> and <c>text:</c> say what a word is; any other word
/// matches an address, the protocol or state, a finding name, or the text of any row.
/// </summary>
/// <remarks>
/// Rows only ever get appended, so a session that matched keeps matching (apart from the cheap
/// checks on counts, addresses and state, redone each time) and each session's rows are
/// scanned once: a live refresh costs only the rows that arrived since the last one.
/// </remarks>
internal sealed class SessionFilter
{
    private readonly Dictionary<SessionRecord, ScanState[]> scans = [];

    private SessionFilter(string text, IReadOnlyList<FilterTerm> terms)
    {
        Text = text;
        Terms = terms;
    }

    public static SessionFilter None { get; } = new("", []);

    public string Text { get; }

    public IReadOnlyList<FilterTerm> Terms { get; }

    public bool IsEmpty => Terms.Count == 0;

    /// <summary>True when some word can be matched against single rows (so the timeline can jump to one).</summary>
    public bool HasRowTerms => Terms.Any(t => t.Kind != FilterKind.Address);

    public static SessionFilter Parse(string text)
    {
        var terms = new List<FilterTerm>();
        foreach (string word in Words(text))
        {
            terms.Add(FilterTerm.Parse(word));
        }
        return terms.Count == 0 ? None : new SessionFilter(text.Trim(), terms);
    }

    public bool Matches(SessionRecord session)
    {
        if (IsEmpty) return true;
        if (!scans.TryGetValue(session, out ScanState[]? states))
        {
            states = new ScanState[Terms.Count];
            scans.Add(session, states);
        }
        for (int i = 0; i < Terms.Count; i++)
        {
            if (!Matches(Terms[i], session, ref states[i])) return false;
        }
        return true;
    }

    /// <summary>Lets go of what was scanned of a session the store dropped.</summary>
    public void Forget(SessionRecord session) => scans.Remove(session);

    /// <summary>A single timeline row that every row-level word matches (addresses are left to the session).</summary>
    public bool RowMatches(AnalysisOutput row)
    {
        if (!HasRowTerms) return false;
        foreach (FilterTerm t in Terms)
        {
            bool ok = t.Kind switch
            {
                FilterKind.Severity => row is Finding f && f.Severity >= t.Severity,
                FilterKind.Finding => row is Finding f && Contains(f.Name, t.Value),
                FilterKind.Text => RowContains(row, t.Value),
                _ => true,
            };
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>Which findings n/N visit: those of the named kind and severity, when the filter names them.</summary>
    public bool FindingMatches(Finding finding)
    {
        foreach (FilterTerm t in Terms)
        {
            if (t.Kind == FilterKind.Severity && finding.Severity < t.Severity) return false;
            if (t.Kind == FilterKind.Finding && !Contains(finding.Name, t.Value)) return false;
        }
        return true;
    }

    private static bool Matches(FilterTerm term, SessionRecord s, ref ScanState state)
    {
        switch (term.Kind)
        {
            case FilterKind.Severity:
                return s.WorstSeverity is { } worst && worst >= term.Severity;
            case FilterKind.Address:
                return Contains(s.ClientText, term.Value) || Contains(s.ServerText, term.Value);
            case FilterKind.Finding:
                if (state.Matched) return true;
                for (; state.Scanned < s.FindingCount; state.Scanned++)
                {
                    if (s.Row(s.FindingRow(state.Scanned)) is Finding f && Contains(f.Name, term.Value))
                    {
                        state.Matched = true;
                        return true;
                    }
                }
                return false;
            default:
                if (Contains(s.ClientText, term.Value) || Contains(s.ServerText, term.Value)
                    || Contains(s.State, term.Value) || Contains(s.Protocol, term.Value))
                {
                    return true;
                }
                if (state.Matched) return true;
                for (; state.Scanned < s.RowCount; state.Scanned++)
                {
                    if (RowContains(s.Row(state.Scanned), term.Value))
                    {
                        state.Matched = true;
                        return true;
                    }
                }
                return false;
        }
    }

    private static bool RowContains(AnalysisOutput row, string value) => row switch
    {
        TimelineEvent e => Contains(e.Summary, value) || Contains(e.Kind, value),
        Finding f => Contains(f.Name, value) || Contains(f.Summary, value) || Contains(f.Severity.WireName(), value),
        ExpectedDataConnection x => Contains(ConnectionInfo.Format(x.Endpoint), value) || Contains(x.Via, value),
        DataConnectionReport r => Contains(r.Describe(), value),
        _ => false,
    };

    private static bool Contains(string text, string value) => text.Contains(value, StringComparison.OrdinalIgnoreCase);

    /// <summary>Splits at spaces, keeping "quoted phrases" whole.</summary>
    internal static IEnumerable<string> Words(string text)
    {
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length) yield break;
            var word = new System.Text.StringBuilder();
            bool quoted = false;
            for (; i < text.Length && (quoted || !char.IsWhiteSpace(text[i])); i++)
            {
                if (text[i] == '"') quoted = !quoted;
                else word.Append(text[i]);
            }
            if (word.Length > 0) yield return word.ToString();
        }
    }

    private struct ScanState
    {
        public int Scanned;
        public bool Matched;
    }
}

internal enum FilterKind
{
    Text,
    Address,
    Finding,
    Severity,
}

internal sealed record FilterTerm(FilterKind Kind, string Value, Severity Severity)
{
    public static FilterTerm Parse(string word)
    {
        int colon = word.IndexOf(':', StringComparison.Ordinal);
        string prefix = colon > 0 ? word[..colon].ToLowerInvariant() : "";
        string rest = colon > 0 ? word[(colon + 1)..] : word;
        switch (prefix)
        {
            case "sev" or "severity" when SeverityWord(rest, out Severity s):
                return new FilterTerm(FilterKind.Severity, rest, s);
            case "addr" or "address" or "host":
                return new FilterTerm(FilterKind.Address, rest, Severity.Info);
            case "finding" or "name":
                return new FilterTerm(FilterKind.Finding, rest, Severity.Info);
            case "text":
                return new FilterTerm(FilterKind.Text, rest, Severity.Info);
        }
        return SeverityWord(word, out Severity bare)
            ? new FilterTerm(FilterKind.Severity, word, bare)
            : new FilterTerm(FilterKind.Text, word, Severity.Info);
    }

    private static bool SeverityWord(string word, out Severity severity)
    {
        string w = word.ToLowerInvariant();
        if (w is "errors" or "warnings" or "infos") w = w[..^1];
        return SeverityExtensions.TryParse(w, out severity);
    }
}
