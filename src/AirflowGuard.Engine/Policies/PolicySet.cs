using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Storage;

namespace AirflowGuard.Engine.Policies;

/// <summary>An immutable, loaded and compiled set of policies with the catalogues they use.</summary>
public sealed record PolicySet
{
    public static PolicySet Empty { get; } = new();

    public IReadOnlyList<Policy> Policies { get; init; } = [];
    public DriverCatalog Drivers { get; init; } = DriverCatalog.Empty;
    public RecognitionRules Recognition { get; init; } = RecognitionRules.Empty;

    /// <summary>The files the set was loaded from.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>True when some policy checks objects of <paramref name="kind"/> (ConfigMap, Secret) with expression rules.</summary>
    public bool ChecksKind(string kind)
    {
        foreach (var policy in Policies)
        {
            if (policy.Match.MatchesKind(kind))
            {
                return true;
            }
        }
        return false;
    }
}
