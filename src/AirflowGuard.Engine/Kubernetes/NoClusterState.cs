namespace AirflowGuard.Engine.Kubernetes;

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
