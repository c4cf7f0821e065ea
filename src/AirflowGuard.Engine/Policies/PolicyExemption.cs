using AirflowGuard.Engine.Airflow;

namespace AirflowGuard.Engine.Policies;

/// <summary>Objects a policy (or some of its rules) leaves alone, and why.</summary>
public sealed record PolicyExemption
{
    public IReadOnlyList<Glob> Namespaces { get; init; } = [];
    public IReadOnlyDictionary<string, Glob> Labels { get; init; } = new Dictionary<string, Glob>();

    /// <summary>Rule names the exception covers; empty covers the whole policy.</summary>
    public IReadOnlyList<string> Rules { get; init; } = [];
    public required string Reason { get; init; }
    public SourceLocation Location { get; init; }

    public bool Covers(string? @namespace, IReadOnlyDictionary<string, string> labels) =>
        (Namespaces.Count == 0 || Glob.AnyMatch(Namespaces, @namespace ?? "")) && LabelSelector.Matches(Labels, labels);

    public bool CoversRule(string rule) => Rules.Count == 0 || Rules.Contains(rule);
}
