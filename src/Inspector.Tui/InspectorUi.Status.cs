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
        string shown = Sessions.Filter.IsEmpty ? "" : $" ({Sessions.Count} of {source.Store.SessionCount} match \"{Sessions.Filter.Text}\")";
        Window.SessionsFrame.Title = $"{Focus(Window.SessionsTable)}Sessions — {source.Title}{shown}";
        // Titles change only with the session or the focus: a title change lays the window out again.
        SetTitle(Window.SessionsFrame, $"{Focus(Window.SessionsTable)}Sessions — {source.Title}{shown}");
        SetTitle(Window.TimelineFrame, current is null
            ? $"{Focus(Window.TimelineTable)}Timeline"
            : $"{Focus(Window.TimelineTable)}Timeline — session {current.Id}: {current.ClientText} → {current.ServerText}");
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
        int total = source.Store.SessionCount;
        parts.Add(Sessions.Filter.IsEmpty ? $"{total} session(s)" : $"{Sessions.Count}/{total} sessions");
        (int errors, int warnings) = Totals();
        if (errors + warnings > 0) parts.Add($"{errors}E {warnings}W");
        parts.Add(source.Activity?.Invoke() is { Length: > 0 } activity ? $"{source.Title}: {activity}" : source.Title);
        if (message is not null && DateTime.UtcNow > messageUntil) message = null;
        Window.Status.Show(string.Join(" │ ", parts), message);
    }

    private (int Errors, int Warnings) Totals()
    {
        int errors = 0, warnings = 0;
        for (int i = 0; i < source.Store.SessionCount; i++)
        {
            SessionRecord s = source.Store[i];
            errors += s.Errors;
            warnings += s.Warnings;
        }
        return (errors, warnings);
    }
}
