namespace AirflowGuard.Engine.Kubernetes;

/// <summary>A PersistentVolume reduced to what decides its backing.</summary>
public sealed record PersistentVolumeInfo(string Name, VolumeSource Source, AccessModes AccessModes)
{
    public IReadOnlyList<string> MountOptions { get; init; } = [];
    public string? StorageClassName { get; init; }
    public string? ClaimNamespace { get; init; }
    public string? ClaimName { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = ObjectMetadata.NoEntries;
    public bool HasMountOptionsArray { get; init; }

    /// <summary>spec.capacity.storage, as written.</summary>
    public string? Capacity { get; init; }
}
