namespace AirflowGuard.Engine.Kubernetes;

/// <summary>One container mounting a claim: which workload, where it is written down, and whether it writes.</summary>
internal sealed record ClaimUse(string Workload, ManifestLocation Location, string Container, string MountPath, string Volume, bool Writes, int Replicas)
{
    /// <summary>The chart of the workload, from its pod template's labels.</summary>
    public Charts.ChartRelease? Chart { get; init; }

    /// <summary>Who the container writes files as, when that can be told (its securityContext, or the image's own user).</summary>
    public WriterIdentity? Identity { get; init; }

    /// <summary>
    /// Every claim the containers of <paramref name="pod"/> mount, and how: what release-wide rules look at, the same for a
    /// workload of a bundle (<c>check</c>) and for a running pod of the webhook's cache.
    /// </summary>
    internal static IEnumerable<(string Claim, ClaimUse Use)> AllOf(PodView pod, string workload, ManifestLocation location, Func<Charts.ChartRelease?> chart)
    {
        Charts.ChartRelease? known = null;
        foreach (var container in pod.AllContainers)
        {
            foreach (var mount in container.Mounts)
            {
                if (pod.FindVolume(mount.Name) is not { Source.Kind: VolumeSourceKind.PersistentVolumeClaim } volume)
                {
                    continue;
                }
                yield return (volume.Source.Reference ?? "", new ClaimUse(workload, location, container.Name, mount.MountPath, mount.Name,
                    Writes: !mount.ReadOnly && !volume.Source.ReadOnly, pod.Replicas)
                {
                    Chart = known ??= chart(),
                    Identity = WriterIdentity.Of(pod, container),
                });
            }
        }
    }
}
