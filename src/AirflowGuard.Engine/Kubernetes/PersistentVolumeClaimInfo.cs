namespace AirflowGuard.Engine.Kubernetes;

public sealed record PersistentVolumeClaimInfo(
    string Namespace,
    string Name,
    string? VolumeName,
    string? StorageClassName,
    AccessModes AccessModes)
{
    /// <summary>spec.selector: the labels a volume needs to bind this claim.</summary>
    public KubeLabelSelector? Selector { get; init; }

    /// <summary>spec.resources.requests.storage, as written.</summary>
    public string? Request { get; init; }
}
