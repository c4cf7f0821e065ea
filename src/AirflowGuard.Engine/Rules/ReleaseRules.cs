using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// A rule only a whole release shows: it looks at how all the workloads of a bundle of manifests
/// use a claim. `check` runs it; the webhook, which sees one object at a time, cannot.
/// </summary>
public abstract class ReleaseRule : Rule
{
    /// <summary>Names for a message: every one up to six, then the first five and how many more (a release can run 50,000 task pods).</summary>
    protected static string NameList(IReadOnlyList<string> names) =>
        names.Count <= 6
            ? string.Join(", ", names)
            : $"{string.Join(", ", names.Take(5))} and {names.Count - 5:N0} more";

    public static readonly IReadOnlyCollection<string> Placeholders = ["claim", "namespace", "workloads", "writers", "accessModes", "mountPath"];

    internal override void Check(EvaluationContext context, RuleReport report)
    {
        // nothing to see in one pod
    }

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
        var dagUses = usage.Uses.Where(IsDagMount).ToList();
        if (usage.Declared is null || usage.BindsExistingVolume ||
            dagUses.Select(u => u.Workload).Distinct(StringComparer.Ordinal).Count() < 2 || usage.Uses.Any(u => u.Writes))
        {
            return null;
        }
        return new ReleaseValues
        {
            Claim = usage.Claim,
            Namespace = usage.Namespace,
            Workloads = NameList(dagUses.Select(u => u.Workload).Distinct(StringComparer.Ordinal).ToList()),
            MountPath = dagUses[0].MountPath,
        };
    }

    private static bool IsDagMount(ClaimUse use) =>
        Airflow.Glob.AnyMatch(DagsFolderRule.DefaultDagVolumes, use.Volume) || // named like a DAG volume, as the DAGs-folder rule reads it
        use.MountPath.Split('/').Any(segment => segment.Equals("dags", StringComparison.OrdinalIgnoreCase));
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
        var writers = usage.Uses.Where(u => u.Writes).Select(u => u.Workload).Distinct(StringComparer.Ordinal).ToList();
        return writers.Count < 2 ? null : new ReleaseValues
        {
            Claim = usage.Claim,
            Namespace = usage.Namespace,
            Writers = NameList(writers),
            AccessModes = claim.AccessModes.ToString(),
        };
    }
}
