namespace AirflowGuard.Engine.Kubernetes;

/// <summary>A claim and how the bundle's workloads mount it.</summary>
internal sealed record ClaimUsage(string Namespace, string Claim, PersistentVolumeClaimInfo? Declared, ManifestLocation? DeclaredAt, ClaimUses Uses)
{
    /// <summary>The claim binds a volume that exists already (volumeName, selector or a PV pre-bound to it), which may hold data.</summary>
    public bool BindsExistingVolume { get; init; }

    /// <summary>The claim is bound to a hostPath or local PersistentVolume, which no node attaches: its access modes are not enforced.</summary>
    public bool BoundToHostDirectory { get; init; }
}
