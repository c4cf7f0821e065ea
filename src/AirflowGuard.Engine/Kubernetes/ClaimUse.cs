namespace AirflowGuard.Engine.Kubernetes;

/// <summary>One container mounting a claim: which workload, where it is written down, and whether it writes.</summary>
internal sealed record ClaimUse(string Workload, ManifestLocation Location, string Container, string MountPath, string Volume, bool Writes, int Replicas)
{
    /// <summary>The chart of the workload, from its pod template's labels.</summary>
    public Charts.ChartRelease? Chart { get; init; }

    /// <summary>Who the container writes files as, when that can be told (its securityContext, or the image's own user).</summary>
    public WriterIdentity? Identity { get; init; }
}
