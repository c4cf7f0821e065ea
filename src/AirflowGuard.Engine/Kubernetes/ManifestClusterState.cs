using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// Answers lookups from the objects of one bundle of manifests. What the bundle does not declare
/// is unknown (it may exist in the cluster), never assumed absent.
/// </summary>
public sealed class ManifestClusterState : IClusterState
{
    private const string NotInBundle = "not in the manifests given";

    private readonly NamespacedMap<PersistentVolumeClaimInfo> _claims = new();
    private readonly Dictionary<string, PersistentVolumeInfo> _volumes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StorageClassInfo> _classes = new(StringComparer.Ordinal);
    private readonly NamespacedMap<ConfigData> _configMaps = new();
    private readonly NamespacedMap<ConfigData> _secrets = new();
    private readonly NamespacedMap<List<string>> _gitSyncWriters = new();
    private readonly Dictionary<(string Namespace, string Claim), ClaimUses> _claimUses = [];
    private readonly Dictionary<(string Namespace, string Claim), ManifestLocation> _claimLocations = [];
    private readonly string _defaultNamespace;
    private readonly RecognitionRules _recognition;
    private StorageClassInfo? _defaultClass;

    // two different objects with the same kind, namespace and name: each file resolves against its own
    private readonly Dictionary<(string Kind, string Namespace, string Name), (ManifestLocation At, string Fingerprint, object Value)> _declared = [];
    private readonly Dictionary<(string File, string Kind, string Namespace, string Name), object> _perFile = [];
    private readonly Dictionary<(string Kind, string Namespace, string Name), string> _conflicted = [];
    private readonly List<ManifestConflict> _conflicts = [];

    /// <param name="objects">The bundle's objects.</param>
    /// <param name="defaultNamespace">Namespace for namespaced objects that name none (what kubectl apply -n would use).</param>
    /// <param name="recognition">Site recognition rules, to find git-sync containers as the engine does.</param>
    public ManifestClusterState(IEnumerable<ManifestObject> objects, string defaultNamespace = "default", RecognitionRules? recognition = null)
        : this(defaultNamespace, recognition)
    {
        foreach (var obj in objects)
        {
            Add(obj);
        }
    }

    /// <summary>An empty state to <see cref="Add(ManifestObject)"/> objects to one at a time, as a stream of manifests is read.</summary>
    public ManifestClusterState(string defaultNamespace = "default", RecognitionRules? recognition = null)
    {
        _defaultNamespace = defaultNamespace;
        _recognition = recognition ?? RecognitionRules.Empty;
    }

    /// <summary>Indexes what other objects may ask about <paramref name="obj"/>; pods are not kept, only their git-sync writers.</summary>
    public void Add(ManifestObject obj) => Add(obj, Read(obj));

    /// <summary>
    /// What <paramref name="obj"/> adds to the index, read off the object without touching the index: safe on any
    /// thread, so <c>check</c> reads objects on every core and adds the entries (<see cref="Add(ManifestObject, IndexEntry?)"/>)
    /// in input order. Null when the object adds nothing.
    /// </summary>
    public IndexEntry? Read(ManifestObject obj)
    {
        var errors = new InputErrors(); // errors in the bundle are reported where each object is checked
        switch (obj.Kind)
        {
            case "PersistentVolumeClaim":
                var claim = KubeObjectReader.ReadClaim(obj.Json, "", errors);
                claim = claim with { Namespace = NamespaceOf(obj, _defaultNamespace) };
                return Declaration(obj, claim.Namespace, claim.Name, claim);
            case "PersistentVolume":
                var volume = KubeObjectReader.ReadPersistentVolume(obj.Json, "", errors);
                return Declaration(obj, "", volume.Name, volume);
            case "StorageClass":
                var storageClass = KubeObjectReader.ReadStorageClass(obj.Json, "", errors);
                return Declaration(obj, "", storageClass.Name, storageClass);
            case "ConfigMap" or "Secret":
                var data = KubeObjectReader.ReadConfigData(obj.Json, "", errors);
                return Declaration(obj, NamespaceOf(obj, _defaultNamespace), data.Name, data);
            case "ServiceAccount":
                var account = KubeObjectReader.ReadServiceAccount(obj.Json, "", errors);
                account = account with { Namespace = NamespaceOf(obj, _defaultNamespace) };
                return Declaration(obj, account.Namespace, account.Name, account);
            case Policies.PolicyExceptionObject.Kind:
                var @namespace = NamespaceOf(obj, _defaultNamespace);
                var read = Policies.PolicyExceptionObject.Read(obj.Json, @namespace, errors);
                object exception = read is null
                    ? new UnreadableException(string.Join("; ", errors.All.Select(e => $"{obj.File}:{obj.Line}: {e.Path}: {e.Message}")))
                    : read;
                return Declaration(obj, @namespace, JsonRead.Field(JsonRead.Field(obj.Json, "metadata"u8), "name"u8) is { ValueKind: System.Text.Json.JsonValueKind.String } n ? n.GetString()! : "", exception);
            case "NetworkPolicy":
                var policy = NetworkPolicyInfo.Read(obj.Json, "", errors);
                policy = policy with { Namespace = NamespaceOf(obj, _defaultNamespace) };
                return Declaration(obj, policy.Namespace, policy.Name, policy);
            case var kind when KubeObjectReader.CarriesPods(kind):
                if (PodReader.Read(obj.Source.Text, kind, "", errors) is not { } pod)
                {
                    return null;
                }
                var placed = pod.Metadata.Namespace is null ? pod with { Metadata = pod.Metadata with { Namespace = _defaultNamespace } } : pod;
                var entry = new IndexEntry(kind!, placed.Metadata.Namespace!, "", null, "");
                GitSyncWriters(placed, entry);
                ClaimUses(placed, obj, entry);
                entry.InRelease = true;
                entry.Peer = obj.EmbeddedIn is null ? AirflowPeer.Of(placed, placed.DisplayName, _recognition) : null;
                return entry;
            default:
                return null;
        }
    }

    /// <summary>Adds what <see cref="Read"/> found in <paramref name="obj"/>; call in input order (the first declaration wins).</summary>
    public void Add(ManifestObject obj, IndexEntry? entry)
    {
        if (entry is null)
        {
            return;
        }
        if (entry.InRelease)
        {
            lock (_releaseViews)
            {
                _releaseViews.Remove(entry.Namespace);
            }
            if (!_releases.TryGetValue(entry.Namespace, out var peers))
            {
                _releases[entry.Namespace] = peers = [];
            }
            if (entry.Peer is { } peer)
            {
                peers.Add(peer);
            }
        }
        foreach (var (key, writer) in entry.Writers)
        {
            if (!_gitSyncWriters.TryGetValue(key, out var writers))
            {
                writers = [];
                _gitSyncWriters[key] = writers;
            }
            if (!writers.Contains(writer))
            {
                writers.Add(writer);
            }
        }
        foreach (var (key, use) in entry.Uses)
        {
            if (!_claimUses.TryGetValue(key, out var uses))
            {
                uses = new ClaimUses(use.Location);
                _claimUses[key] = uses;
            }
            uses.Add(use);
        }
        if (entry.Value is null || !Declare(obj, entry))
        {
            return;
        }
        var declared = (entry.Namespace, entry.Name);
        switch (entry.Value)
        {
            case PersistentVolumeClaimInfo claim:
                _claims[declared] = claim;
                _claimLocations[declared] = new ManifestLocation(obj.File, obj.Line);
                break;
            case PersistentVolumeInfo volume:
                _volumes[volume.Name] = volume;
                break;
            case StorageClassInfo storageClass:
                _classes[storageClass.Name] = storageClass;
                if (storageClass.IsDefault)
                {
                    _defaultClass = storageClass;
                }
                break;
            case ConfigData data:
                (entry.Kind == "Secret" ? _secrets : _configMaps)[declared] = data;
                break;
            case ServiceAccountInfo account:
                _serviceAccounts[declared] = account;
                break;
            case Policies.PolicyExceptionObject exception:
                _policyExceptions.Add(exception);
                break;
            case UnreadableException unreadable:
                _policyExceptionErrors.Add(unreadable.Text);
                break;
            case NetworkPolicyInfo policy:
                if (!_networkPolicies.TryGetValue(policy.Namespace, out var policies))
                {
                    _networkPolicies[policy.Namespace] = policies = [];
                }
                policies.Add(policy);
                break;
        }
    }

    private static IndexEntry Declaration(ManifestObject obj, string @namespace, string name, object value) =>
        new(obj.Kind!, @namespace, name, value,
            Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(obj.Json.GetRawText()))));

    /// <summary>Objects declared twice, differently: reported to the user, and resolved per file (see <see cref="ForFile"/>).</summary>
    public IReadOnlyList<ManifestConflict> Conflicts => _conflicts;

    /// <summary>
    /// The lookups of the objects written in <paramref name="file"/>: where two files declare the same
    /// object differently, each file's objects see their own file's declaration, and files that
    /// declare neither see "unknown" (which one the cluster would hold depends on the order of apply).
    /// </summary>
    public IClusterState ForFile(string file) => _conflicts.Count == 0 ? this : new FileScope(this, file);

    /// <summary>True when the main index takes the entry's value: its first declaration, or the same again.</summary>
    private bool Declare(ManifestObject obj, IndexEntry entry)
    {
        var (@namespace, name, value, fingerprint) = (entry.Namespace, entry.Name, entry.Value!, entry.Fingerprint);
        var key = (entry.Kind, @namespace, name);
        var at = new ManifestLocation(obj.File, obj.Line);
        if (!_declared.TryGetValue(key, out var first))
        {
            _declared[key] = (at, fingerprint, value);
            return true;
        }
        if (first.Fingerprint == fingerprint)
        {
            return false;
        }
        var what = $"{entry.Kind} {(@namespace.Length > 0 ? @namespace + "/" : "")}{name}";
        _conflicts.Add(new ManifestConflict(what, first.At, at));
        _conflicted[key] = _conflicted.TryGetValue(key, out var places) ? $"{places}, {at}" : $"{first.At} and {at}";
        _perFile.TryAdd((first.At.File, key.Item1, key.@namespace, name), first.Value);
        _perFile.TryAdd((obj.File, key.Item1, key.@namespace, name), value);
        return false;
    }

    public Lookup<PersistentVolumeClaimInfo> GetClaim(string @namespace, string name) =>
        _claims.TryGetValue((@namespace, name), out var claim) ? Lookup<PersistentVolumeClaimInfo>.Found(claim) : Lookup<PersistentVolumeClaimInfo>.Unknown(NotInBundle);

    public Lookup<PersistentVolumeInfo> GetPersistentVolume(string name) =>
        _volumes.TryGetValue(name, out var volume) ? Lookup<PersistentVolumeInfo>.Found(volume) : Lookup<PersistentVolumeInfo>.Unknown(NotInBundle);

    public Lookup<PersistentVolumeInfo> FindVolumeFor(PersistentVolumeClaimInfo claim) =>
        ClaimBinding.Find(claim, _volumes.Values, _defaultClass?.Name) is { } volume
            ? Lookup<PersistentVolumeInfo>.Found(volume)
            : Lookup<PersistentVolumeInfo>.Unknown("no PersistentVolume in the manifests given is pre-bound to it or matches it");

    public Lookup<StorageClassInfo> GetStorageClass(string? name)
    {
        if (name is null)
        {
            return _defaultClass is null ? Lookup<StorageClassInfo>.Unknown("no default StorageClass in the manifests given") : Lookup<StorageClassInfo>.Found(_defaultClass);
        }
        return _classes.TryGetValue(name, out var storageClass) ? Lookup<StorageClassInfo>.Found(storageClass) : Lookup<StorageClassInfo>.Unknown(NotInBundle);
    }

    public Lookup<ConfigData> GetConfigMap(string @namespace, string name) =>
        _configMaps.TryGetValue((@namespace, name), out var data) ? Lookup<ConfigData>.Found(data) : Lookup<ConfigData>.Unknown(NotInBundle);

    public Lookup<ConfigData> GetSecret(string @namespace, string name) =>
        _secrets.TryGetValue((@namespace, name), out var data) ? Lookup<ConfigData>.Found(data) : Lookup<ConfigData>.Unknown(NotInBundle);

    public IReadOnlyList<string> GitSyncWritersOf(string @namespace, string claimName, string self) =>
        _gitSyncWriters.TryGetValue((@namespace, claimName), out var writers) ? writers.FindAll(w => w != self) : [];

    private static string NamespaceOf(ManifestObject obj, string fallback) =>
        obj.Json.TryGetProperty("metadata", out var meta) && meta.ValueKind == System.Text.Json.JsonValueKind.Object &&
        meta.TryGetProperty("namespace", out var ns) && ns.ValueKind == System.Text.Json.JsonValueKind.String
            ? ns.GetString()!
            : fallback;

    /// <summary>Every claim the bundle's pods mount, with who mounts it and how: what release-wide rules look at.</summary>
    internal IEnumerable<ClaimUsage> ClaimUsages() =>
        _claimUses.Select(entry => new ClaimUsage(
            entry.Key.Namespace,
            entry.Key.Claim,
            _claims.GetValueOrDefault(entry.Key),
            _claimLocations.TryGetValue(entry.Key, out var declaredAt) ? declaredAt : null,
            entry.Value)
        {
            BindsExistingVolume = _claims.GetValueOrDefault(entry.Key) is { } claim &&
                (claim.VolumeName is not null || claim.Selector is not null || _volumes.Values.Any(v => v.ClaimName == claim.Name && (v.ClaimNamespace ?? claim.Namespace) == claim.Namespace)),
            BoundToHostDirectory = _claims.GetValueOrDefault(entry.Key) is { } bound &&
                (bound.VolumeName is { Length: > 0 } volumeName ? GetPersistentVolume(volumeName) : FindVolumeFor(bound)) is { IsFound: true, Value.Source.Kind: VolumeSourceKind.HostPath },
        });

    /// <summary>The bundle as the objects of one file see it when declarations conflict.</summary>
    private sealed class FileScope(ManifestClusterState bundle, string file) : IClusterState
    {
        public Lookup<PersistentVolumeClaimInfo> GetClaim(string @namespace, string name) =>
            Scoped("PersistentVolumeClaim", @namespace, name, () => bundle.GetClaim(@namespace, name));

        public Lookup<PersistentVolumeInfo> GetPersistentVolume(string name) =>
            Scoped("PersistentVolume", "", name, () => bundle.GetPersistentVolume(name));

        public Lookup<PersistentVolumeInfo> FindVolumeFor(PersistentVolumeClaimInfo claim)
        {
            var volumes = new List<PersistentVolumeInfo>();
            foreach (var name in bundle._declared.Keys.Where(k => k.Kind == "PersistentVolume").Select(k => k.Name))
            {
                if (GetPersistentVolume(name) is { IsFound: true, Value: { } volume })
                {
                    volumes.Add(volume);
                }
            }
            return ClaimBinding.Find(claim, volumes, bundle._defaultClass?.Name) is { } found
                ? Lookup<PersistentVolumeInfo>.Found(found)
                : Lookup<PersistentVolumeInfo>.Unknown("no PersistentVolume in the manifests given is pre-bound to it or matches it");
        }

        public Lookup<StorageClassInfo> GetStorageClass(string? name) =>
            name is null ? bundle.GetStorageClass(null) : Scoped("StorageClass", "", name, () => bundle.GetStorageClass(name));

        public Lookup<ConfigData> GetConfigMap(string @namespace, string name) =>
            Scoped("ConfigMap", @namespace, name, () => bundle.GetConfigMap(@namespace, name));

        public Lookup<ConfigData> GetSecret(string @namespace, string name) =>
            Scoped("Secret", @namespace, name, () => bundle.GetSecret(@namespace, name));

        public IReadOnlyList<string> GitSyncWritersOf(string @namespace, string claimName, string self) => bundle.GitSyncWritersOf(@namespace, claimName, self);

        public ReleaseView? Release(string @namespace) => bundle.Release(@namespace);

        public Lookup<ServiceAccountInfo> GetServiceAccount(string @namespace, string name) =>
            Scoped("ServiceAccount", @namespace, name, () => bundle.GetServiceAccount(@namespace, name));

        public IReadOnlyList<NetworkPolicyInfo>? NetworkPolicies(string @namespace) => bundle.NetworkPolicies(@namespace);

        private Lookup<T> Scoped<T>(string kind, string @namespace, string name, Func<Lookup<T>> shared) where T : class
        {
            if (!bundle._conflicted.TryGetValue((kind, @namespace, name), out var places))
            {
                return shared();
            }
            return bundle._perFile.TryGetValue((file, kind, @namespace, name), out var own)
                ? Lookup<T>.Found((T)own)
                : Lookup<T>.Unknown($"{kind} {name} is declared differently at {places}");
        }
    }

    private void ClaimUses(PodView pod, ManifestObject obj, IndexEntry entry)
    {
        var @namespace = pod.Metadata.Namespace ?? _defaultNamespace;
        var workload = obj.EmbeddedIn is { } template
            ? $"the pod template in ConfigMap {@namespace}/{template.ConfigMap}"
            : pod.DisplayName;
        foreach (var (claim, use) in ClaimUse.AllOf(pod, workload, new ManifestLocation(obj.File, obj.Line),
                     () => Charts.ChartRecognizer.Recognize(obj.EmbeddedIn?.Owner(@namespace), pod)))
        {
            entry.Uses.Add(((@namespace, claim), use));
        }
    }

    private readonly List<Policies.PolicyExceptionObject> _policyExceptions = [];
    private readonly List<string> _policyExceptionErrors = [];

    /// <summary>The AirflowPolicyException objects of the bundle (or of a cluster snapshot), for the policies to honour.</summary>
    public IReadOnlyList<Policies.PolicyExceptionObject> PolicyExceptions => _policyExceptions;

    /// <summary>The AirflowPolicyException objects that could not be read, each as "file:line: path: problem".</summary>
    public IReadOnlyList<string> PolicyExceptionErrors => _policyExceptionErrors;

    private sealed record UnreadableException(string Text);

    private readonly Dictionary<string, List<AirflowPeer>> _releases = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), ServiceAccountInfo> _serviceAccounts = [];
    private readonly Dictionary<string, List<NetworkPolicyInfo>> _networkPolicies = new(StringComparer.Ordinal);

    // one view per namespace, made when first asked after the last object was added (rules ask on every evaluation)
    private readonly Dictionary<string, ReleaseView> _releaseViews = new(StringComparer.Ordinal);

    /// <summary>The bundle's long-running Airflow workloads of the namespace: complete, as a rendered release holds them all; null when the bundle runs no pods there.</summary>
    public ReleaseView? Release(string @namespace)
    {
        if (!_releases.TryGetValue(@namespace, out var peers))
        {
            return null;
        }
        lock (_releaseViews)
        {
            if (!_releaseViews.TryGetValue(@namespace, out var view))
            {
                _releaseViews[@namespace] = view = new ReleaseView([.. peers], Complete: true);
            }
            return view;
        }
    }

    public Lookup<ServiceAccountInfo> GetServiceAccount(string @namespace, string name) =>
        _serviceAccounts.TryGetValue((@namespace, name), out var account) ? Lookup<ServiceAccountInfo>.Found(account) : Lookup<ServiceAccountInfo>.Unknown(NotInBundle);

    /// <summary>The bundle's NetworkPolicies of the namespace (none when it runs pods there and declares none); null when it runs no pods there.</summary>
    public IReadOnlyList<NetworkPolicyInfo>? NetworkPolicies(string @namespace) =>
        _networkPolicies.TryGetValue(@namespace, out var policies) ? policies : _releases.ContainsKey(@namespace) ? [] : null;

    private void GitSyncWriters(PodView pod, IndexEntry entry)
    {
        var identity = $"{pod.SourceKind}/{pod.SourceName ?? pod.Metadata.Name ?? pod.Metadata.GenerateName ?? "?"}";
        foreach (var container in pod.AllContainers)
        {
            if (ContainerClassifier.Classify(container, _recognition) != ContainerRole.GitSync)
            {
                continue;
            }
            foreach (var mount in container.Mounts.AsReadOnlySpan())
            {
                if (mount.ReadOnly || pod.FindVolume(mount.Name) is not { Source.Kind: VolumeSourceKind.PersistentVolumeClaim } volume)
                {
                    continue;
                }
                entry.Writers.Add(((pod.Metadata.Namespace ?? "default", volume.Source.Reference ?? ""), identity));
            }
        }
    }
}
