using AirflowGuard.Engine.Mutations;
using AirflowGuard.Engine.Rules;

namespace AirflowGuard.Engine.Policies;

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
