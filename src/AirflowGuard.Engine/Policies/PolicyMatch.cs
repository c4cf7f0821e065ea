using AirflowGuard.Engine.Airflow;

namespace AirflowGuard.Engine.Policies;

/// <summary>Which objects a policy applies to. Empty lists match everything.</summary>
public sealed record PolicyMatch
{
    public static PolicyMatch All { get; } = new();

    /// <summary>Components the policy applies to; empty means every Airflow component except pod-operator pods.</summary>
    public IReadOnlySet<AirflowComponent> Components
    {
        get;
        init
        {
            field = value;
            _components = ComponentMask.Of(value);
        }
    } = new HashSet<AirflowComponent>();

    private readonly uint _components; // Components as bits, for MatchesComponent
    public IReadOnlyList<Glob> Namespaces { get; init; } = [];
    public IReadOnlyList<Glob> ExcludeNamespaces { get; init; } = [];
    public IReadOnlyDictionary<string, Glob> Labels { get; init; } = new Dictionary<string, Glob>();
    public bool Pods { get; init; } = true;
    public bool PersistentVolumes { get; init; }

    /// <summary>Other kinds the policy's expression rules check: ConfigMap, Secret.</summary>
    public IReadOnlySet<string> OtherKinds { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public bool MatchesKind(string kind) => OtherKinds.Contains(kind);

    public bool MatchesComponent(AirflowComponent component) =>
        _components == 0
            ? component is not (AirflowComponent.NotAirflow or AirflowComponent.PodOperator or AirflowComponent.Other)
            : (_components & ComponentMask.Bit(component)) != 0;

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
