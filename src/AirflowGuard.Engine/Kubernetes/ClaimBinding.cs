namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// Which PersistentVolume a claim binds to, the way Kubernetes' PV controller chooses when the claim
/// names none (<c>spec.volumeName</c> is followed directly by the caller): a volume pre-bound to the
/// claim by its <c>claimRef</c> first; otherwise the smallest available volume of the claim's
/// StorageClass that offers every access mode the claim asks for, is at least as large as its request
/// and carries the labels its <c>spec.selector</c> asks for. A claim with a selector is never
/// provisioned dynamically.
/// </summary>
public static class ClaimBinding
{
    /// <param name="claim">The claim.</param>
    /// <param name="volumes">Every PersistentVolume in view.</param>
    /// <param name="defaultClass">The name of the default StorageClass, when known: what a claim without a class gets.</param>
    public static PersistentVolumeInfo? Find(PersistentVolumeClaimInfo claim, IEnumerable<PersistentVolumeInfo> volumes, string? defaultClass)
    {
        PersistentVolumeInfo? best = null;
        decimal? bestSize = null;
        decimal? requested = null;
        var requestRead = false; // read when a volume is first compared: most claims meet no volume of their class
        foreach (var volume in volumes)
        {
            if (volume.ClaimName is not null)
            {
                if (volume.ClaimName == claim.Name && (volume.ClaimNamespace ?? claim.Namespace) == claim.Namespace)
                {
                    return volume; // pre-bound by claimRef
                }
                continue; // bound, or reserved for another claim
            }
            if (!ClassMatches(claim, volume, defaultClass) || (volume.AccessModes & claim.AccessModes) != claim.AccessModes ||
                (claim.Selector is not null && !claim.Selector.Matches(volume.Labels)))
            {
                continue;
            }
            if (!requestRead)
            {
                requested = Quantity.Parse(claim.Request);
                requestRead = true;
            }
            var size = Quantity.Parse(volume.Capacity);
            if (requested is not null && size is not null && size < requested)
            {
                continue;
            }
            if (best is null || (size is not null && (bestSize is null || size < bestSize)) ||
                (size == bestSize && string.CompareOrdinal(volume.Name, best.Name) < 0))
            {
                best = volume;
                bestSize = size;
            }
        }
        return best;
    }

    private static bool ClassMatches(PersistentVolumeClaimInfo claim, PersistentVolumeInfo volume, string? defaultClass)
    {
        var volumeClass = volume.StorageClassName ?? "";
        if (claim.StorageClassName is { } requested)
        {
            return volumeClass == requested;
        }
        // no class on the claim: the default class's when there is one (the admission plugin sets it), else none
        return volumeClass == "" || (defaultClass is not null && volumeClass == defaultClass);
    }
}
