using System.Diagnostics;

namespace AirflowGuard.Engine.Kubernetes;

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

    /// <summary>The container's path as findings name it ("spec.containers[0]"), made when first asked for.</summary>
    public string Path => _path ??= JsonPathText.FromPointer(Pointer);

    private string? _path;

    /// <summary>The path of item <paramref name="index"/> of one of the container's lists ("spec.containers[0].volumeMounts[2]").</summary>
    public string PathOf(string list, int index) => JsonRead.Index(JsonRead.Child(Path, list), index);

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

    /// <summary>
    /// The Airflow major version read from <see cref="Image"/> (<c>AirflowVersion.MajorOf</c>), tied to the image it was
    /// read from; one reference, so that containers shared between threads (a release's peers) never see half of it.
    /// </summary>
    internal Airflow.AirflowMajorRead? AirflowMajorRead;

    public EnvVarView? FindEnv(string name)
    {
        var env = Env;
        if (env.Count <= 64)
        {
            // Kubernetes keeps the last duplicate; so do we. A backwards scan that mostly compares lengths is
            // as fast as hashing for lists this size, and a container's settings ask a dozen names at most. The
            // length is compared here, inline: most names differ in it, and string equality is a call.
            var items = env.AsReadOnlySpan();
            for (var i = items.Length - 1; i >= 0; i--)
            {
                var candidate = items[i].Name;
                if (candidate.Length == name.Length && string.Equals(candidate, name, StringComparison.Ordinal))
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
    public MountView? MountCovering(string path) => MountCoveringNormal(PathText.Normalize(path));

    /// <summary>
    /// <see cref="MountCovering"/> for a path already normal, as the folders of <see cref="Airflow.EffectiveAirflowSettings"/>
    /// and every <see cref="MountView.MountPath"/> are: the rules ask it for those on every pod.
    /// </summary>
    internal MountView? MountCoveringNormal(string normal)
    {
        Debug.Assert(PathText.IsNormal(normal), $"{normal} is not a normal path");
        var mounts = Mounts;
        if (mounts.Count <= 8 || !normal.StartsWith('/'))
        {
            MountView? best = null;
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
        var candidate = normal;
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
