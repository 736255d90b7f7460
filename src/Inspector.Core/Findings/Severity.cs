namespace Inspector.Core.Findings;

/// <summary>How much a finding matters. The numeric order is the order of importance.</summary>
public enum Severity : byte
{
    Info = 0,
    Warning = 1,
    Error = 2,
}

public static class SeverityExtensions
{
    public static string WireName(this Severity s) => s switch
    {
        Severity.Info => "info",
        Severity.Warning => "warning",
        _ => "error",
    };

    public static bool TryParse(string text, out Severity severity)
    {
        switch (text.ToLowerInvariant())
        {
            case "info": severity = Severity.Info; return true;
            case "warning": case "warn": severity = Severity.Warning; return true;
            case "error": severity = Severity.Error; return true;
            default: severity = Severity.Info; return false;
        }
    }
}
