namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// Answers from <paramref name="first"/> (the manifests being checked), and asks
/// <paramref name="second"/> (the live cluster) only what the first does not know.
/// </summary>
public sealed class LayeredClusterState(IClusterState first, IClusterState second) : IClusterState
{
    public Lookup<PersistentVolumeClaimInfo> GetClaim(string @namespace, string name) => Pick(first.GetClaim(@namespace, name), () => second.GetClaim(@namespace, name));

    public Lookup<PersistentVolumeInfo> GetPersistentVolume(string name) => Pick(first.GetPersistentVolume(name), () => second.GetPersistentVolume(name));

    public Lookup<PersistentVolumeInfo> FindVolumeFor(PersistentVolumeClaimInfo claim) => Pick(first.FindVolumeFor(claim), () => second.FindVolumeFor(claim));

    public Lookup<StorageClassInfo> GetStorageClass(string? name) => Pick(first.GetStorageClass(name), () => second.GetStorageClass(name));

    public Lookup<ConfigData> GetConfigMap(string @namespace, string name) => Pick(first.GetConfigMap(@namespace, name), () => second.GetConfigMap(@namespace, name));

    public Lookup<ConfigData> GetSecret(string @namespace, string name) => Pick(first.GetSecret(@namespace, name), () => second.GetSecret(@namespace, name));

    public IReadOnlyList<string> GitSyncWritersOf(string @namespace, string claimName, string self) =>
        [.. first.GitSyncWritersOf(@namespace, claimName, self).Union(second.GitSyncWritersOf(@namespace, claimName, self), StringComparer.Ordinal)];

    /// <summary>The manifests' workloads, with the cluster's running ones of components the manifests do not hold.</summary>
    public ReleaseView? Release(string @namespace) => (first.Release(@namespace), second.Release(@namespace)) switch
    {
        (null, var live) => live,
        (var given, null) => given,
        var (given, live) => given with
        {
            Peers = [.. given.Peers, .. live.Peers.Where(p => !given.Peers.Any(g => g.Component == p.Component))],
        },
    };

    public Lookup<ServiceAccountInfo> GetServiceAccount(string @namespace, string name) =>
        Pick(first.GetServiceAccount(@namespace, name), () => second.GetServiceAccount(@namespace, name));

    public IReadOnlyList<NetworkPolicyInfo>? NetworkPolicies(string @namespace) => first.NetworkPolicies(@namespace) ?? second.NetworkPolicies(@namespace);

    private static Lookup<T> Pick<T>(Lookup<T> answer, Func<Lookup<T>> fallback) where T : class =>
        answer.Status == LookupStatus.Unknown ? fallback() : answer;
}
