namespace Inspector.Core.Findings;

/// <summary>One entry of the catalogue: a stable name with what it means in general.</summary>
public sealed record FindingDefinition(string Name, Severity Severity, string Title, string Description);
