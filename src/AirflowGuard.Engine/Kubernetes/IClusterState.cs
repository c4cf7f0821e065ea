namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// What the engine may ask about objects other than the one under review: the claims, volumes
/// and classes behind a pod's volumes, and the ConfigMaps and Secrets that feed its settings.
/// The CLI answers from the manifests in the same bundle; the webhook from a watch-backed cache.
/// Implementations must be cheap and must not block: the engine calls them on the admission path.
/// </summary>
public interface IClusterState
{
    Lookup<PersistentVolumeClaimInfo> GetClaim(string @namespace, string name);

    Lookup<PersistentVolumeInfo> GetPersistentVolume(string name);

    /// <summary>
    /// The volume a claim that names none binds to (pre-bound by claimRef, or matched by class, access
    /// modes, size and selector; see <see cref="ClaimBinding"/>). Not found when no volume in view
    /// matches; unknown when the volumes cannot be listed.
    /// </summary>
    Lookup<PersistentVolumeInfo> FindVolumeFor(PersistentVolumeClaimInfo claim) =>
        Lookup<PersistentVolumeInfo>.Unknown("the PersistentVolumes cannot be listed");

    /// <summary>The named class, or the default class when <paramref name="name"/> is null.</summary>
    Lookup<StorageClassInfo> GetStorageClass(string? name);

    Lookup<ConfigData> GetConfigMap(string @namespace, string name);

    Lookup<ConfigData> GetSecret(string @namespace, string name);

    /// <summary>Other workloads known to run git-sync writing into the claim (not including <paramref name="self"/>).</summary>
    IReadOnlyList<string> GitSyncWritersOf(string @namespace, string claimName, string self);

    /// <summary>
    /// The long-running Airflow workloads of the namespace, that rules compare a pod with (a task pod with the scheduler,
    /// a worker with the webserver): null when they cannot be told.
    /// </summary>
    ReleaseView? Release(string @namespace) => null;

    Lookup<ServiceAccountInfo> GetServiceAccount(string @namespace, string name) =>
        Lookup<ServiceAccountInfo>.Unknown("AirflowGuard does not read ServiceAccounts here");

    /// <summary>The NetworkPolicies of the namespace; null when they cannot be told.</summary>
    IReadOnlyList<NetworkPolicyInfo>? NetworkPolicies(string @namespace) => null;
}
