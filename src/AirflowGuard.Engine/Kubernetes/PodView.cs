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

/// <summary>A pod's containers, then its init containers: a struct enumerable, so walking it allocates nothing.</summary>
public readonly struct AllContainerViews(IReadOnlyList<ContainerView> containers, IReadOnlyList<ContainerView> initContainers) : IEnumerable<ContainerView>
{
    public Enumerator GetEnumerator() => new(containers, initContainers);

    IEnumerator<ContainerView> IEnumerable<ContainerView>.GetEnumerator() => Both().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => Both().GetEnumerator();

    private IEnumerable<ContainerView> Both() => containers.Concat(initContainers);

    public struct Enumerator(IReadOnlyList<ContainerView> containers, IReadOnlyList<ContainerView> initContainers)
    {
        private int _index = -1;
        private bool _init;

        public readonly ContainerView Current => _init ? initContainers[_index] : containers[_index];

        public bool MoveNext()
        {
            _index++;
            if (!_init && _index >= containers.Count)
            {
                _init = true;
                _index = 0;
            }
            return _index < (_init ? initContainers.Count : containers.Count);
        }
    }
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

    /// <summary>JSON pointer of this container ("/spec/containers/0"), made when first asked for.</summary>
    public string Pointer
    {
        get => _pointer ??= JsonPointer.Append(ListPointer ?? (IsInit ? "/spec/initContainers" : "/spec/containers"), Index);
        init => _pointer = value;
    }

    /// <summary>JSON pointer of the list holding this container ("/spec/containers"), shared by its siblings.</summary>
    public string? ListPointer { get; init; }

    private string? _pointer;

    public IReadOnlyList<string> Command { get; init; } = [];
    public IReadOnlyList<string> Args { get; init; } = [];
    public IReadOnlyList<EnvVarView> Env { get; init; } = [];
    public bool HasEnvArray { get; init; }
    public IReadOnlyList<EnvFromView> EnvFrom { get; init; } = [];
    public IReadOnlyList<MountView> Mounts { get; init; } = [];
    public bool HasMountsArray { get; init; }
    public long? RunAsUser { get; init; }
    public long? RunAsGroup { get; init; }

    /// <summary>The container's <c>resources</c> object as written (for expression rules), or null.</summary>
    public System.Text.Json.JsonElement? Resources
    {
        get => _resources ?? ResourcesSource?.Element;
        init => _resources = value;
    }

    /// <summary>The <c>resources</c> object still as bytes, parsed when <see cref="Resources"/> is first read.</summary>
    internal JsonSource? ResourcesSource { get; init; }

    private System.Text.Json.JsonElement? _resources;

    /// <summary>"container scheduler" or "init container git-sync-init", for messages.</summary>
    public string DisplayName => IsInit ? $"init container {Name}" : $"container {Name}";

    // indexes for large containers, built on first use and tied to the list they index (records are copied with `with`)
    private (IReadOnlyList<EnvVarView> For, Dictionary<string, EnvVarView> Index)? _envIndex;
    private (IReadOnlyList<MountView> For, Dictionary<string, MountView> Index)? _mountIndex;

    public EnvVarView? FindEnv(string name)
    {
        var env = Env;
        if (env.Count <= 64)
        {
            // Kubernetes keeps the last duplicate; so do we. A backwards scan that mostly compares lengths is
            // as fast as hashing for lists this size, and a container's settings ask a dozen names at most.
            var items = env.AsReadOnlySpan();
            for (var i = items.Length - 1; i >= 0; i--)
            {
                if (items[i].Name == name)
                {
                    return items[i];
                }
            }
            return null;
        }
        if (_envIndex is not { } cached || !ReferenceEquals(cached.For, env))
        {
            var index = new Dictionary<string, EnvVarView>(env.Count, StringComparer.Ordinal);
            foreach (var item in env.AsReadOnlySpan())
            {
                index[item.Name] = item; // the last duplicate wins
            }
            cached = (env, index);
            _envIndex = cached;
        }
        return cached.Index.GetValueOrDefault(name);
    }

    /// <summary>
    /// The mount whose path is the longest prefix of <paramref name="path"/>, the one the path really lives
    /// on. For large containers, the path and each of its parents are looked up in an index of mount paths.
    /// </summary>
    public MountView? MountCovering(string path)
    {
        var mounts = Mounts;
        if (mounts.Count <= 8 || !path.StartsWith('/'))
        {
            MountView? best = null;
            var normal = PathText.Normalize(path);
            foreach (var mount in mounts.AsReadOnlySpan())
            {
                if (PathText.IsSameOrUnderNormal(normal, mount.MountPath) && (best is null || mount.MountPath.Length > best.MountPath.Length))
                {
                    best = mount;
                }
            }
            return best;
        }
        if (_mountIndex is not { } cached || !ReferenceEquals(cached.For, mounts))
        {
            var index = new Dictionary<string, MountView>(mounts.Count, StringComparer.Ordinal);
            foreach (var mount in mounts.AsReadOnlySpan())
            {
                index.TryAdd(mount.MountPath, mount);
            }
            cached = (mounts, index);
            _mountIndex = cached;
        }
        var candidate = PathText.Normalize(path);
        while (true)
        {
            if (cached.Index.TryGetValue(candidate, out var found))
            {
                return found;
            }
            if (candidate is "/" or "")
            {
                return null;
            }
            var slash = candidate.LastIndexOf('/');
            candidate = slash <= 0 ? "/" : candidate[..slash];
        }
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

/// <summary>A container's volume mount. Its path is kept normalised (<see cref="PathText.Normalize"/>), as the rules compare it.</summary>
public sealed record MountView(string Name, string MountPath, string? SubPath, bool ReadOnly, int Index)
{
    public string MountPath { get; init => field = PathText.Normalize(value); } = PathText.Normalize(MountPath);
}
