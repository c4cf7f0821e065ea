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

    /// <summary>A short, human name: "Pod airflow/scheduler-0" or "Deployment airflow/airflow-scheduler".</summary>
    public string DisplayName =>
        $"{SourceKind} {(Metadata.Namespace is { Length: > 0 } ns ? ns + "/" : "")}{SourceName ?? Metadata.Name ?? Metadata.GenerateName ?? "(unnamed)"}";

    public VolumeView? FindVolume(string name)
    {
        foreach (var volume in Volumes)
        {
            if (volume.Name == name)
            {
                return volume;
            }
        }
        return null;
    }

    /// <summary>Regular containers first, then init containers.</summary>
    public IEnumerable<ContainerView> AllContainers => Containers.Concat(InitContainers);
}

public sealed record ObjectMetadata(
    string? Name,
    string? GenerateName,
    string? Namespace,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations)
{
    public static readonly IReadOnlyDictionary<string, string> NoEntries = new Dictionary<string, string>();

    public static ObjectMetadata Empty { get; } = new(null, null, null, NoEntries, NoEntries);

    public string? Label(string key) => Labels.TryGetValue(key, out var value) ? value : null;
}

public sealed record PodSecurity(long? RunAsUser, long? RunAsGroup, long? FsGroup)
{
    public static PodSecurity None { get; } = new(null, null, null);
}

public sealed record ContainerView
{
    public required string Name { get; init; }
    public string? Image { get; init; }
    public bool IsInit { get; init; }
    public int Index { get; init; }

    /// <summary>JSON pointer of this container ("/spec/containers/0").</summary>
    public required string Pointer { get; init; }

    public IReadOnlyList<string> Command { get; init; } = [];
    public IReadOnlyList<string> Args { get; init; } = [];
    public IReadOnlyList<EnvVarView> Env { get; init; } = [];
    public bool HasEnvArray { get; init; }
    public IReadOnlyList<EnvFromView> EnvFrom { get; init; } = [];
    public IReadOnlyList<MountView> Mounts { get; init; } = [];
    public bool HasMountsArray { get; init; }
    public long? RunAsUser { get; init; }
    public long? RunAsGroup { get; init; }

    /// <summary>"container scheduler" or "init container git-sync-init", for messages.</summary>
    public string DisplayName => IsInit ? $"init container {Name}" : $"container {Name}";

    public EnvVarView? FindEnv(string name)
    {
        // Kubernetes keeps the last duplicate; so do we.
        EnvVarView? found = null;
        foreach (var env in Env)
        {
            if (env.Name == name)
            {
                found = env;
            }
        }
        return found;
    }

    /// <summary>The mount whose path is the longest prefix of <paramref name="path"/>, the one the path really lives on.</summary>
    public MountView? MountCovering(string path)
    {
        MountView? best = null;
        foreach (var mount in Mounts)
        {
            if (PathText.IsSameOrUnder(path, mount.MountPath) && (best is null || mount.MountPath.Length > best.MountPath.Length))
            {
                best = mount;
            }
        }
        return best;
    }
}

public enum EnvValueSource
{
    Literal,
    SecretKey,
    ConfigMapKey,
    Field,
    ResourceField,
}

public sealed record EnvVarView(string Name, int Index, EnvValueSource Source, string? Value, string? RefName, string? RefKey)
{
    public bool IsLiteral => Source == EnvValueSource.Literal;
}

public enum EnvFromKind
{
    ConfigMap,
    Secret,
}

public sealed record EnvFromView(EnvFromKind Kind, string Name, string? Prefix);

public sealed record MountView(string Name, string MountPath, string? SubPath, bool ReadOnly, int Index);
