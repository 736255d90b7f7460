using System.Globalization;
using Inspector.Tui.Model;
using Terminal.Gui.ViewBase;

namespace Inspector.Tui;

/// <summary>The status line and the pane titles.</summary>
internal sealed partial class InspectorUi
{
    private void Say(string text)
    {
        message = text;
        messageUntil = DateTime.UtcNow.AddSeconds(6);
        UpdateStatus();
    }

    private void UpdateTitles()
    {
        string Focus(View pane) => pane.HasFocus ? "▶ " : "";
        string shown = Sessions.Filter.IsEmpty ? "" : $" ({Sessions.Count} of {Sessions.Kept} match \"{Sessions.Filter.Text}\")";
        // Titles change only with the session or the focus: a title change lays the window out again.
        SetTitle(Window.SessionsFrame, $"{Focus(Window.SessionsTable)}Sessions — {source.Title}{shown}");
        SetTitle(Window.TimelineFrame, current is null
            ? $"{Focus(Window.TimelineTable)}Timeline"
            : $"{Focus(Window.TimelineTable)}Timeline — session {current.Id}: {current.ClientText} → {current.ServerText}{RowsNotKeptText(current)}");
        SetTitle(Window.DetailFrame, $"{Focus(Window.Detail)}Detail");
    }

    private static void SetTitle(View frame, string title)
    {
        if (frame.Title != title) frame.Title = title;
    }

    private void UpdateStatus()
    {
        // Most important first: the left side is cut from its end when the line is narrow.
        var parts = new List<string>();
        if (Clock.Paused) parts.Add($"PAUSED +{Clock.Waiting}");
        if (Following) parts.Add("FOLLOW");
        if (current is not null && CurrentRow >= 0) parts.Add($"row {CurrentRow + 1}/{timelineSource.Rows}");
        StoreCounts counts = source.Store.Counts();
        parts.Add(Sessions.Filter.IsEmpty ? $"{counts.Kept} session(s)" : $"{Sessions.Count}/{counts.Kept} sessions");
        if (counts.Dropped > 0) parts.Add(DroppedText(counts, source.Store.Limits));
        // Findings of every session seen, the dropped ones too.
        if (counts.Errors + counts.Warnings > 0) parts.Add($"{counts.Errors}E {counts.Warnings}W");
        parts.Add(source.Activity?.Invoke() is { Length: > 0 } activity ? $"{source.Title}: {activity}" : source.Title);
        if (message is not null && DateTime.UtcNow > messageUntil) message = null;
        Window.Status.Show(string.Join(" │ ", parts), message);
    }

    /// <summary>"1,204 older sessions dropped (limit 10,000 sessions, 256 MB of rows)", and how many of them were open.</summary>
    internal static string DroppedText(StoreCounts counts, SessionStoreLimits limits)
    {
        string open = counts.DroppedWhileOpen > 0 ? string.Create(CultureInfo.InvariantCulture, $", {counts.DroppedWhileOpen:N0} of them open") : "";
        return string.Create(CultureInfo.InvariantCulture, $"{counts.Dropped:N0} older session(s) dropped{open} (limit {LimitsText(limits)})");
    }

    internal static string LimitsText(SessionStoreLimits limits) =>
        string.Create(CultureInfo.InvariantCulture, $"{limits.MaxSessions:N0} sessions, {limits.MaxTimelineBytes / (1024 * 1024):N0} MB of rows");

    /// <summary>For the timeline's title when a session went past its row limit.</summary>
    private string RowsNotKeptText(SessionRecord s) => s.RowsNotKept == 0 ? "" : string.Create(CultureInfo.InvariantCulture,
        $" — {s.RowsNotKept:N0} later rows not kept (limit {source.Store.Limits.MaxRowsPerSession:N0}; findings are)");
}
