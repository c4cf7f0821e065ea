namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// The volume source, reduced to what decides where data lives. <see cref="Reference"/> is the
/// ConfigMap / Secret / claim name, the host path, or the NFS server:path.
/// </summary>
public sealed record VolumeSource(VolumeSourceKind Kind, string? Reference = null)
{
    /// <summary>CSI driver name for inline CSI volumes.</summary>
    public string? Driver { get; init; }

    /// <summary>CSI volumeAttributes (inline CSI) as submitted; for an emptyDir, its sizeLimit and medium when written.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = ObjectMetadata.NoEntries;

    public bool ReadOnly { get; init; }

    /// <summary>For configMap / secret / projected volumes: key → path inside the volume (items), empty when all keys are projected.</summary>
    public IReadOnlyList<ProjectedKey> Items { get; init; } = [];

    /// <summary>For projected volumes: the ConfigMaps and Secrets they draw on.</summary>
    public IReadOnlyList<ProjectedSource> ProjectedSources { get; init; } = [];

    /// <summary>For generic ephemeral volumes: the claim template's storage class and access modes.</summary>
    public ClaimTemplate? ClaimTemplate { get; init; }

    /// <summary>For Other: the Kubernetes field name of the source (e.g. "awsElasticBlockStore").</summary>
    public string? OtherType { get; init; }
}
