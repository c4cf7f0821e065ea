using System.Text.Json;
using AirflowGuard.Cluster;
using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;
using AirflowGuard.Webhook.Policies;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AirflowGuard.Webhook.Cluster;

/// <summary>
/// The cluster as the engine asks about it — claims, volumes, classes, ConfigMaps, Secrets (when
/// allowed), ServiceAccounts, the pods that run git-sync into a claim and the running Airflow components
/// of each namespace — answered from watch-backed copies, so no admission request waits on the API server. Before a copy has synced, or when a kind cannot be
/// read, the answer is "unknown" with the reason, never a guess.
/// </summary>
public sealed partial class ClusterCache : BackgroundService, IClusterState
{
    private readonly ResourceWatch<PersistentVolumeClaimInfo> _claims;
    private readonly ResourceWatch<PersistentVolumeInfo> _volumes;
    private readonly ResourceWatch<StorageClassInfo> _classes;
    private readonly ResourceWatch<ConfigData> _configMaps;
    private readonly ResourceWatch<ConfigData>? _secrets;
    private readonly ResourceWatch<ServiceAccountInfo> _serviceAccounts;
    private readonly ResourceWatch<WatchedPod> _pods;
    private readonly ResourceWatch<PolicyExceptionObject> _exceptions;
    private volatile Dictionary<(string, string), List<string>> _writers = [];
    private volatile Dictionary<string, List<AirflowPeer>> _peers = [];

    public ClusterCache(HttpClient api, WebhookOptions options, PolicyStore policies, WebhookMetrics metrics, ILogger<ClusterCache> logger)
    {
        _claims = new("persistentvolumeclaims", "/api/v1/persistentvolumeclaims", api,
            e => KubeObjectReader.ReadClaim(e, "", new InputErrors()), Key, metrics, logger);
        _volumes = new("persistentvolumes", "/api/v1/persistentvolumes", api,
            e => KubeObjectReader.ReadPersistentVolume(e, "", new InputErrors()), Key, metrics, logger);
        _classes = new("storageclasses", "/apis/storage.k8s.io/v1/storageclasses", api,
            e => KubeObjectReader.ReadStorageClass(e, "", new InputErrors()), Key, metrics, logger);
        _configMaps = new("configmaps", "/api/v1/configmaps", api,
            e => KubeObjectReader.ReadConfigData(e, "", new InputErrors()), Key, metrics, logger);
        if (options.ClusterCache.ReadSecrets)
        {
            // list items carry no kind: a Secret's data must still be decoded
            _secrets = new("secrets", "/api/v1/secrets", api, e => KubeObjectReader.ReadConfigData(e, "", new InputErrors(), kindIfMissing: "Secret"), Key, metrics, logger);
        }
        _serviceAccounts = new("serviceaccounts", "/api/v1/serviceaccounts", api,
            e => KubeObjectReader.ReadServiceAccount(e, "", new InputErrors()), Key, metrics, logger);
        // only pods that can still write: finished pods leave the watch (the API server sends DELETED)
        var keepAirflowPods = options.Reports.Enabled; // the reports judge every running Airflow pod; the rules need only one per workload
        _pods = new("pods", "/api/v1/pods?fieldSelector=" + Uri.EscapeDataString("status.phase!=Succeeded,status.phase!=Failed"), api,
            e => WatchedPod.Read(e, policies.Current?.Recognition ?? RecognitionRules.Empty, keepAirflowPods), Key, metrics, logger);
        _pods.Changed += IndexPods;
        // AirflowPolicyException objects: an absent CRD lists as none (the chart may not install it)
        _exceptions = new("airflowpolicyexceptions", "/apis/airflowguard.dev/v1/airflowpolicyexceptions", api,
            e => ReadException(e, logger), Key, metrics, logger)
        {
            AbsentIsEmpty = true,
        };
        _exceptions.Changed += () => policies.SetExceptions([.. _exceptions.All]);
    }

    public IEnumerable<(string Resource, bool Synced, string? Error)> Status =>
        Watches.Select(w => (w.Resource, w.Synced, w.LastError));

    public bool Synced => _claims.Synced && _volumes.Synced && _classes.Synced && _configMaps.Synced && (_secrets?.Synced ?? true) && _serviceAccounts.Synced && _pods.Synced && _exceptions.Synced;

    public Lookup<PersistentVolumeClaimInfo> GetClaim(string @namespace, string name) => Find(_claims, @namespace, name, "PersistentVolumeClaim");

    public Lookup<PersistentVolumeInfo> GetPersistentVolume(string name) => Find(_volumes, "", name, "PersistentVolume");

    public Lookup<PersistentVolumeInfo> FindVolumeFor(PersistentVolumeClaimInfo claim)
    {
        if (!_volumes.Synced || !_classes.Synced)
        {
            return Lookup<PersistentVolumeInfo>.Unknown("the cluster cache of PersistentVolumes has not synced yet");
        }
        var defaultClass = _classes.All.FirstOrDefault(c => c.IsDefault)?.Name;
        return ClaimBinding.Find(claim, _volumes.All, defaultClass) is { } volume
            ? Lookup<PersistentVolumeInfo>.Found(volume)
            : Lookup<PersistentVolumeInfo>.NotFound("no PersistentVolume in the cluster is pre-bound to it or matches it");
    }

    public Lookup<StorageClassInfo> GetStorageClass(string? name)
    {
        if (name is not null)
        {
            return Find(_classes, "", name, "StorageClass");
        }
        if (!_classes.Synced)
        {
            return Lookup<StorageClassInfo>.Unknown("the cluster cache of StorageClasses has not synced yet");
        }
        return _classes.All.FirstOrDefault(c => c.IsDefault) is { } defaultClass
            ? Lookup<StorageClassInfo>.Found(defaultClass)
            : Lookup<StorageClassInfo>.NotFound("the cluster has no default StorageClass");
    }

    public Lookup<ConfigData> GetConfigMap(string @namespace, string name) => Find(_configMaps, @namespace, name, "ConfigMap");

    public Lookup<ConfigData> GetSecret(string @namespace, string name) => _secrets is null
        ? Lookup<ConfigData>.Unknown("AirflowGuard is not allowed to read Secrets (rbac.readSecrets)")
        : Find(_secrets, @namespace, name, "Secret");

    public IReadOnlyList<string> GitSyncWritersOf(string @namespace, string claimName, string self) =>
        _writers.TryGetValue((@namespace, claimName), out var writers) ? writers.FindAll(w => w != self) : [];

    public Lookup<ServiceAccountInfo> GetServiceAccount(string @namespace, string name) => Find(_serviceAccounts, @namespace, name, "ServiceAccount");

    /// <summary>With reports on: every running Airflow pod, as the PolicyReports loop checks them (in a stable order).</summary>
    public IReadOnlyList<ManifestObject> AirflowPods =>
        [.. _pods.All.Select(p => p.Report).OfType<ManifestObject>().OrderBy(o => o.File, StringComparer.Ordinal)];

    /// <summary>Raised after the running pods changed (a watch event or a new list).</summary>
    public event Action? PodsChanged;

    /// <summary>
    /// The long-running Airflow components running in the namespace, one pod per workload: never complete (a release
    /// being installed has not started them all), so rules compare with them but conclude no absence. Null until the
    /// pods have synced.
    /// </summary>
    public ReleaseView? Release(string @namespace) =>
        !_pods.Synced ? null : new ReleaseView(_peers.TryGetValue(@namespace, out var peers) ? peers : [], Complete: false);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Watches.Select(w => w.RunAsync(stoppingToken)));


    private IReadOnlyList<IResourceWatch> Watches =>
        new IResourceWatch?[] { _claims, _volumes, _classes, _configMaps, _secrets, _serviceAccounts, _pods, _exceptions }.OfType<IResourceWatch>().ToList();

    /// <summary>An AirflowPolicyException from the API server, or null (logged with what is wrong: a waiver that does not apply must say why).</summary>
    private static PolicyExceptionObject? ReadException(JsonElement obj, ILogger logger)
    {
        var errors = new InputErrors();
        var exception = PolicyExceptionObject.Read(obj, "default", errors);
        if (exception is null)
        {
            var (@namespace, name) = Key(obj);
            foreach (var error in errors.All)
            {
                LogUnreadableException(logger, @namespace, name, error.Path.ToString(), error.Message);
            }
        }
        return exception;
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "AirflowPolicyException {Namespace}/{Name} is ignored: {Path:l}: {Problem:l}")]
    private static partial void LogUnreadableException(ILogger logger, string @namespace, string name, string path, string problem);

    private static (string, string) Key(JsonElement obj)
    {
        var metadata = obj.GetProperty("metadata");
        return (metadata.TryGetProperty("namespace", out var ns) ? ns.GetString() ?? "" : "", metadata.GetProperty("name").GetString() ?? "");
    }

    /// <param name="kind">The object's kind, for the reason when it is not found (the text is made only then: lookups that find run on every request).</param>
    private static Lookup<T> Find<T>(ResourceWatch<T> watch, string @namespace, string name, string kind) where T : class
    {
        if (watch.Get(@namespace, name) is { } found)
        {
            return Lookup<T>.Found(found);
        }
        if (!watch.Synced)
        {
            return Lookup<T>.Unknown($"the cluster cache of {watch.Resource} has not synced yet{(watch.LastError is null ? "" : $" ({watch.LastError})")}");
        }
        return Lookup<T>.NotFound(@namespace.Length == 0 ? $"{kind} {name} does not exist" : $"{kind} {@namespace}/{name} does not exist");
    }

    private void IndexPods()
    {
        var writers = new Dictionary<(string, string), List<string>>();
        var peers = new Dictionary<string, List<AirflowPeer>>(StringComparer.Ordinal);
        var seen = new HashSet<(string, string)>();
        foreach (var pod in _pods.All)
        {
            foreach (var claim in pod.GitSyncClaims)
            {
                var key = (pod.Namespace, claim);
                if (!writers.TryGetValue(key, out var list))
                {
                    writers[key] = list = [];
                }
                if (!list.Contains(pod.Owner))
                {
                    list.Add(pod.Owner);
                }
            }
            if (pod.Peer is { } peer && seen.Add((pod.Namespace, pod.Owner)))
            {
                if (!peers.TryGetValue(pod.Namespace, out var list))
                {
                    peers[pod.Namespace] = list = [];
                }
                list.Add(peer);
            }
        }
        _writers = writers;
        _peers = peers;
        PodsChanged?.Invoke();
    }
}
