namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// What the engine needs to know about a pod (or a pod template inside a workload), read once
/// from the submitted JSON. Pointers are RFC 6901 JSON pointers into the submitted object, so
/// mutations can address the original document without re-serialising it.
/// </summary>
public sealed record PodView
{
    public required ObjectMetadata Metadata { get; init; }

    /// <summary>The kind of the object the pod came from: Pod, Deployment, CronJob, ConfigMap…</summary>
    public string SourceKind { get; init; } = "Pod";

    /// <summary>Name of the object the pod came from (workload name for templates).</summary>
    public string? SourceName { get; init; }

    /// <summary>JSON pointer of the pod's <c>metadata</c> object ("/metadata" for a bare pod).</summary>
    public string MetadataPointer { get; init; } = "/metadata";

    /// <summary>JSON pointer of the pod spec ("/spec" for a bare pod, "/spec/template/spec" for a Deployment).</summary>
    public string SpecPointer { get; init; } = "/spec";

    /// <summary>How many pods run this spec at once (Deployment/StatefulSet replicas; 1 for a bare pod).</summary>
    public int Replicas { get; init; } = 1;

    public bool HasAnnotations { get; init; }

    public IReadOnlyList<ContainerView> Containers { get; init; } = [];

    public IReadOnlyList<ContainerView> InitContainers { get; init; } = [];

    public IReadOnlyList<VolumeView> Volumes { get; init; } = [];

    /// <summary>True when <c>spec.volumes</c> exists in the document (an add then appends with "-").</summary>
    public bool HasVolumesArray { get; init; }

    public PodSecurity Security { get; init; } = PodSecurity.None;

    /// <summary><c>spec.serviceAccountName</c> as written; null runs the pod as the namespace's <c>default</c> account.</summary>
    public string? ServiceAccountName { get; init; }

    /// <summary>The ServiceAccount the pod runs as.</summary>
    public string ServiceAccount => ServiceAccountName is { Length: > 0 } name ? name : "default";

    /// <summary>A short, human name: "Pod airflow/scheduler-0" or "Deployment airflow/airflow-scheduler".</summary>
    public string DisplayName =>
        $"{SourceKind} {(Metadata.Namespace is { Length: > 0 } ns ? ns + "/" : "")}{SourceName ?? Metadata.Name ?? Metadata.GenerateName ?? "(unnamed)"}";

    private (IReadOnlyList<VolumeView> For, Dictionary<string, VolumeView> Index)? _volumeIndex;

    /// <summary>The volume of that name (the first, as the API server refuses duplicates); a hash lookup for large pods.</summary>
    public VolumeView? FindVolume(string name)
    {
        var volumes = Volumes;
        if (volumes.Count <= 8)
        {
            foreach (var volume in volumes.AsReadOnlySpan())
            {
                if (volume.Name == name)
                {
                    return volume;
                }
            }
            return null;
        }
        if (_volumeIndex is not { } cached || !ReferenceEquals(cached.For, volumes))
        {
            var index = new Dictionary<string, VolumeView>(volumes.Count, StringComparer.Ordinal);
            foreach (var volume in volumes.AsReadOnlySpan())
            {
                index.TryAdd(volume.Name, volume);
            }
            cached = (volumes, index);
            _volumeIndex = cached;
        }
        return cached.Index.GetValueOrDefault(name);
    }

    /// <summary>Regular containers first, then init containers (a <c>foreach</c> over them allocates nothing).</summary>
    public AllContainerViews AllContainers => new(Containers, InitContainers);
}
