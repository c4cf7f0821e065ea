using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Mutations;
using AirflowGuard.Engine.Rules;

namespace AirflowGuard.Engine.Policies;

/// <summary>What a violated rule does: deny the request, warn the user, or only record it.</summary>
public enum PolicyMode
{
    Enforce,
    Warn,
    Audit,
}

/// <summary>
/// What rules do when a setting rests on an assumption (Airflow's defaults for an airflow.cfg that is
/// not in view): decide on it and say so in the finding, or report the rule as not checked.
/// </summary>
public enum AssumptionMode
{
    Accept,
    Warn,
}

/// <summary>Where something was written in a policy file.</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>A compiled policy: globs, catalogues and templates resolved at load, so evaluation only walks it.</summary>
public sealed record Policy
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public PolicyMode Mode { get; init; } = PolicyMode.Enforce;
    public AssumptionMode Assumptions { get; init; } = AssumptionMode.Accept;
    public required PolicyMatch Match { get; init; }
    public IReadOnlyList<PolicyExemption> Exceptions { get; init; } = [];
    /// <summary>Every rule, in the order written; the engine walks them by role (<see cref="PodRules"/>, <see cref="ReleaseRules"/>, <see cref="ObjectRules"/>).</summary>
    public IReadOnlyList<Rule> Rules
    {
        get;
        init
        {
            field = value;
            PodRules = [.. value.OfType<PodRule>()];
            ReleaseRules = [.. value.OfType<ReleaseRule>()];
            ObjectRules = [.. value.OfType<IObjectRule>()];
        }
    } = [];

    /// <summary>The rules about one pod, in order.</summary>
    internal PodRule[] PodRules { get; private init; } = [];

    /// <summary>The rules about a whole release, in order.</summary>
    internal IReadOnlyList<ReleaseRule> ReleaseRules { get; private init; } = [];

    /// <summary>The rules that also check ConfigMaps and Secrets, in order.</summary>
    internal IReadOnlyList<IObjectRule> ObjectRules { get; private init; } = [];

    public IReadOnlyList<Mutation> Mutations { get; init; } = [];
    public SourceLocation Location { get; init; }
}

/// <summary>Which objects a policy applies to. Empty lists match everything.</summary>
public sealed record PolicyMatch
{
    public static PolicyMatch All { get; } = new();

    /// <summary>Components the policy applies to; empty means every Airflow component except pod-operator pods.</summary>
    public IReadOnlySet<AirflowComponent> Components { get; init; } = new HashSet<AirflowComponent>();
    public IReadOnlyList<Glob> Namespaces { get; init; } = [];
    public IReadOnlyList<Glob> ExcludeNamespaces { get; init; } = [];
    public IReadOnlyDictionary<string, Glob> Labels { get; init; } = new Dictionary<string, Glob>();
    public bool Pods { get; init; } = true;
    public bool PersistentVolumes { get; init; }

    /// <summary>Other kinds the policy's expression rules check: ConfigMap, Secret.</summary>
    public IReadOnlySet<string> OtherKinds { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public bool MatchesKind(string kind) => OtherKinds.Contains(kind);

    public bool MatchesComponent(AirflowComponent component) =>
        Components.Count == 0
            ? component is not (AirflowComponent.NotAirflow or AirflowComponent.PodOperator or AirflowComponent.Other)
            : Components.Contains(component);

    public bool MatchesNamespace(string? @namespace)
    {
        var ns = @namespace ?? "";
        if (Namespaces.Count > 0 && !Glob.AnyMatch(Namespaces, ns))
        {
            return false;
        }
        return !Glob.AnyMatch(ExcludeNamespaces, ns);
    }

    public bool MatchesLabels(IReadOnlyDictionary<string, string> labels) => LabelSelector.Matches(Labels, labels);
}

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

internal static class LabelSelector
{
    public static bool Matches(IReadOnlyDictionary<string, Glob> selector, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, glob) in selector)
        {
            if (!labels.TryGetValue(key, out var value) || !glob.IsMatch(value))
            {
                return false;
            }
        }
        return true;
    }
}
