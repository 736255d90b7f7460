using System.Globalization;
using Inspector.Tui.Model;

namespace Inspector.Tui;

/// <summary>The commands behind the keys: filter, finding navigation, follow, pause, sort, save, quit.</summary>
internal sealed partial class InspectorUi
{
    public void ApplyFilter(string text)
    {
        SessionFilter filter = SessionFilter.Parse(text);
        Sessions.SetFilter(filter);
        Window.SessionsTable.Update();
        userMoved = true;
        Following = false;
        if (Sessions.Count == 0)
        {
            ShowSession(null, null);
            Say(filter.IsEmpty ? "no sessions" : $"no session matches \"{filter.Text}\"");
            return;
        }
        SessionRecord first = Sessions[0];
        int? row = filter.HasRowTerms ? FirstMatchingRow(first, filter) : null;
        ShowSession(first, row);
        Say(filter.IsEmpty ? "filter cleared" : $"{Sessions.Count} of {Sessions.Kept} sessions match \"{filter.Text}\"");
    }

    public void NextFinding(bool forward)
    {
        userMoved = true;
        Following = false;
        int index = current is null ? -1 : Sessions.IndexOf(current);
        var from = index < 0 ? new RowPosition(0, -1) : new RowPosition(index, CurrentRow);
        RowPosition? found = FindingNavigator.Find(Sessions, from, forward, Clock.VisibleRows, Sessions.Filter.FindingMatches, out bool wrapped);
        if (found is not { } at)
        {
            Say(Sessions.Filter.IsEmpty ? "no findings" : "no findings in the filtered sessions");
            return;
        }
        SessionRecord target = Sessions[at.SessionIndex];
        if (target != current) ShowSession(target, at.Row);
        else SelectTimelineRow(at.Row);
        if (wrapped) Say(forward ? "search wrapped to the top" : "search wrapped to the bottom");
    }

    public void ToggleFollow()
    {
        Following = !Following;
        if (Following) FollowNewest();
        Say(Following ? "following the newest session" : "follow off");
    }

    public void TogglePause()
    {
        if (Clock.Paused)
        {
            Clock.Resume();
            Say("display resumed");
            Tick();
        }
        else
        {
            Clock.Pause();
            Say("display paused: traffic is still kept; p resumes");
        }
    }

    public void SetOrder(SessionOrder order)
    {
        Sessions.SetOrder(order);
        Window.SessionsTable.Update();
        SelectSessionRow(current);
        Say($"sessions sorted by {order.Describe()}");
    }

    private void AskFilter() =>
        Window.Prompt.AskText("Filter (text, address, finding, error/warning/info; empty clears): ", Sessions.Filter.Text, ApplyFilter);

    private void AskSave(bool all)
    {
        if (source.Saver is not { } saver)
        {
            Say("saving is not available for this source");
            return;
        }
        List<long> listed = all
            ? Enumerable.Range(0, Sessions.Count).Select(i => Sessions[i].Id).ToList()
            : current is null ? [] : [current.Id];
        if (listed.Count == 0)
        {
            Say("no session to save");
            return;
        }
        // A paused display may still list sessions the store has since dropped; the saver no longer knows them.
        List<long> ids = source.Store.StillKept(listed);
        if (ids.Count == 0)
        {
            Say(all ? "the listed sessions have all been dropped since the display last changed" : $"session {listed[0]} was dropped (the UI keeps {LimitsText(source.Store.Limits)}); it can no longer be saved");
            return;
        }
        string left = ids.Count < listed.Count ? $" ({listed.Count - ids.Count} dropped ones left out)" : "";
        string what = all ? $"{ids.Count} listed session(s){left}" : $"session {ids[0]}";
        string path = all ? "inspector-sessions.pcapng" : $"inspector-session-{ids[0].ToString(CultureInfo.InvariantCulture)}.pcapng";
        Window.Prompt.AskText($"Save {what} as pcapng: ", path, chosen =>
        {
            if (string.IsNullOrWhiteSpace(chosen)) return;
            Say($"saving {what} to {chosen} ...");
            // Re-reading a large capture takes a while: off the UI thread, the result comes back through Invoke.
            Task.Run(() =>
            {
                string result;
                try
                {
                    result = saver.Save(ids, chosen.Trim());
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException or NotSupportedException)
                {
                    result = $"could not save: {e.Message}";
                }
                app.Invoke(() => Say(result));
            });
        });
    }

    private void AskQuit()
    {
        int open = source.IsLive ? openSessions() : 0;
        if (open == 0)
        {
            Quit();
            return;
        }
        Window.Prompt.AskYesNo($"{open} session(s) still open; quit anyway?", yes => { if (yes) Quit(); });
    }

    private void Quit()
    {
        QuitRequested = true;
        app.RequestStop();
    }

    private int? FirstMatchingRow(SessionRecord s, SessionFilter filter)
    {
        int limit = Clock.VisibleRows(s);
        for (int row = 0; row < limit; row++)
        {
            if (filter.RowMatches(s.Row(row))) return row;
        }
        return null;
    }
}
