namespace Inspector.Tui.Model;

/// <summary>A timeline row of a session in the session list.</summary>
internal readonly record struct RowPosition(int SessionIndex, int Row);
