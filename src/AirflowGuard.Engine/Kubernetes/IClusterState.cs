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
}

public enum LookupStatus
{
    Found,

    /// <summary>The object does not exist where AirflowGuard can see everything.</summary>
    NotFound,

    /// <summary>AirflowGuard cannot tell: not in the bundle, not readable, cache cold.</summary>
    Unknown,
}

public readonly record struct Lookup<T>(LookupStatus Status, T? Value, string? Reason)
    where T : class
{
    public static Lookup<T> Found(T value) => new(LookupStatus.Found, value, null);

    public static Lookup<T> Unknown(string reason) => new(LookupStatus.Unknown, null, reason);

    public static Lookup<T> NotFound(string reason) => new(LookupStatus.NotFound, null, reason);

    public bool IsFound => Status == LookupStatus.Found;
}

/// <summary>A cluster about which nothing is known: every lookup is "unknown".</summary>
public sealed class NoClusterState : IClusterState
{
    public static NoClusterState Instance { get; } = new();

    private const string Reason = "no cluster state was given";

    public Lookup<PersistentVolumeClaimInfo> GetClaim(string @namespace, string name) => Lookup<PersistentVolumeClaimInfo>.Unknown(Reason);

    public Lookup<PersistentVolumeInfo> GetPersistentVolume(string name) => Lookup<PersistentVolumeInfo>.Unknown(Reason);

    public Lookup<StorageClassInfo> GetStorageClass(string? name) => Lookup<StorageClassInfo>.Unknown(Reason);

    public Lookup<ConfigData> GetConfigMap(string @namespace, string name) => Lookup<ConfigData>.Unknown(Reason);

    public Lookup<ConfigData> GetSecret(string @namespace, string name) => Lookup<ConfigData>.Unknown(Reason);

    public IReadOnlyList<string> GitSyncWritersOf(string @namespace, string claimName, string self) => [];
}
