namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// What one object adds to a <see cref="ManifestClusterState"/>: a declaration (claim, volume, class, ConfigMap, Secret:
/// <see cref="Value"/> with the fingerprint that tells a repeat from a conflict), or a pod's claim uses and git-sync writers.
/// </summary>
public sealed record IndexEntry(string Kind, string Namespace, string Name, object? Value, string Fingerprint)
{
    internal List<((string Namespace, string Claim) Claim, ClaimUse Use)> Uses { get; } = [];

    internal List<((string Namespace, string Claim) Claim, string Writer)> Writers { get; } = [];

    /// <summary>For a workload or pod: its namespace runs a release in view.</summary>
    internal bool InRelease { get; set; }

    /// <summary>For a workload or pod of a long-running Airflow component: how other pods' rules see it.</summary>
    internal AirflowPeer? Peer { get; set; }
}
