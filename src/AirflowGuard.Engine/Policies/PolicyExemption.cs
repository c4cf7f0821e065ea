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

    /// <summary>Object kinds covered (Deployment, Pod …); empty covers every kind. Set by AirflowPolicyException objects.</summary>
    public IReadOnlyList<string> Kinds { get; init; } = [];

    /// <summary>Object names covered (globs); empty covers every name.</summary>
    public IReadOnlyList<Glob> Names { get; init; } = [];

    /// <summary>When the exception stops applying; null for never.</summary>
    public DateTimeOffset? Expires { get; init; }

    /// <summary>Where the exception comes from, for reports: "AirflowPolicyException airflow-ci/allow-host-path"; null for a policy's own.</summary>
    public string? Source { get; init; }

    public bool Covers(string? @namespace, IReadOnlyDictionary<string, string> labels) =>
        (Namespaces.Count == 0 || Glob.AnyMatch(Namespaces, @namespace ?? "")) && LabelSelector.Matches(Labels, labels);

    /// <summary>Whether the exception covers the object, by namespace, labels, kind and name, at <paramref name="now"/>.</summary>
    public bool Covers(string? @namespace, IReadOnlyDictionary<string, string> labels, string? kind, string? name, DateTimeOffset now) =>
        (Expires is null || now < Expires) && Covers(@namespace, labels) &&
        (Kinds.Count == 0 || kind is not null && Kinds.Contains(kind)) &&
        (Names.Count == 0 || name is not null && Glob.AnyMatch(Names, name));

    public bool CoversRule(string rule) => Rules.Count == 0 || Rules.Contains(rule);
}
