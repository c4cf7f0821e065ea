namespace AirflowGuard.Engine.Kubernetes;

public sealed record PodSecurity(long? RunAsUser, long? RunAsGroup, long? FsGroup)
{
    public static PodSecurity None { get; } = new(null, null, null);

    /// <summary>The pod's <c>supplementalGroups</c>: groups every container's processes also belong to.</summary>
    public IReadOnlyList<long> SupplementalGroups { get; init; } = [];
}
