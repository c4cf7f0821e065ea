using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// A rule only a whole release shows: it looks at how all the workloads of a bundle of manifests
/// use a claim. `check` runs it; the webhook, which sees one object at a time, cannot.
/// </summary>
public abstract class ReleaseRule : Rule
{
    public static readonly IReadOnlyCollection<string> Placeholders = ["claim", "namespace", "workloads", "writers", "accessModes", "mountPath"];

    /// <summary>The finding for <paramref name="usage"/>, or null when the claim is used well.</summary>
    public abstract ReleaseValues? Check(ClaimUsage usage);
}

/// <summary>The placeholders of a release-wide finding.</summary>
public sealed class ReleaseValues : IMessageValues
{
    public required string Claim { get; init; }
    public required string Namespace { get; init; }
    public string Workloads { get; init; } = "";
    public string Writers { get; init; } = "";
    public string AccessModes { get; init; } = "";
    public string MountPath { get; init; } = "";

    public string? Get(string name) => name switch
    {
        "claim" => Claim,
        "namespace" => Namespace,
        "workloads" => Workloads,
        "writers" => Writers,
        "accessModes" => AccessModes,
        "mountPath" => MountPath,
        _ => null,
    };
}

/// <summary>
/// A claim the release creates empty (declared in it and provisioned dynamically) that several
/// workloads mount where DAGs are read, and none of them writes: nothing will ever put DAGs in it.
/// A claim the release does not declare (an existingClaim), or one bound to a volume that exists
/// already (a static NAS volume filled from outside, seed 002), is left alone, as is one workload
/// reading a claim.
/// </summary>
public sealed class DagClaimWriterRule : ReleaseRule
{
    public override string Kind => "dagClaimWriter";

    public override ReleaseValues? Check(ClaimUsage usage)
    {
        if (usage.Declared is null || usage.BindsExistingVolume || usage.Uses.DagWorkloads.Count < 2 || usage.Uses.Writers.Count > 0)
        {
            return null;
        }
        return new ReleaseValues
        {
            Claim = usage.Claim,
            Namespace = usage.Namespace,
            Workloads = usage.Uses.DagWorkloads.ToString(),
            MountPath = usage.Uses.DagMountPath ?? "",
        };
    }
}

/// <summary>A ReadWriteOnce claim written by more than one workload: it attaches to one node at a time.</summary>
public sealed class ReadWriteOnceAcrossWorkloadsRule : ReleaseRule
{
    public override string Kind => "readWriteOnceAcrossWorkloads";

    public override ReleaseValues? Check(ClaimUsage usage)
    {
        if (usage.Declared is not { } claim || (claim.AccessModes & (AccessModes.ReadWriteOnce | AccessModes.ReadWriteOncePod)) == 0 ||
            (claim.AccessModes & AccessModes.ReadWriteMany) != 0)
        {
            return null;
        }
        var writers = usage.Uses.Writers;
        return writers.Count < 2 ? null : new ReleaseValues
        {
            Claim = usage.Claim,
            Namespace = usage.Namespace,
            Writers = writers.ToString(),
            AccessModes = claim.AccessModes.ToString(),
        };
    }
}
