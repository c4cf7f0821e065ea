using AirflowGuard.Engine.Charts;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// A claim the release creates empty (declared in it and provisioned dynamically) that several
/// workloads mount where DAGs are read, and none of them writes: nothing will ever put DAGs in it.
/// A claim the release does not declare (an existingClaim), or one bound to a volume that exists
/// already (a static NAS volume filled from outside, seed 002), is left alone, as is one workload
/// reading a claim.
/// </summary>
internal sealed class DagClaimWriterRule : ReleaseRule
{
    internal static RuleKind Definition { get; } = new("dagClaimWriter", "(release-wide) a new DAG claim nothing writes")
    {
        ApiServerGap = "a release-wide rule: it looks for a writer among the release's other workloads, objects a ValidatingAdmissionPolicy does not see",
        Placeholders = Placeholders,
        DefaultMessage = "claim {claim} is mounted for DAGs by {workloads}, all read-only, and no workload in this release writes it: nothing here will ever put DAGs in it",
        DefaultFix = "let one workload sync DAGs into it (git-sync in the dag-processor or scheduler, read-write), or ignore this if something outside the release fills the volume",
        BodySchema = """
            {
              "$ref": "#/definitions/emptyCheck"
            }
            """,
        Read = body => body.IsEmptyCheck() ? new DagClaimWriterRule { Name = body.Name, Location = body.Location, Message = body.Message(), Fix = body.Fix() } : null,
    };

    public override string Kind => Definition.Key;

    internal override bool NeedsWholeRelease => true;

    internal override Remedy? RemedyFor(ClaimUsage usage) => usage.Uses.DagVolume is { } volume ? new UnwrittenDagClaimRemedy(volume) : null;

    internal override ReleaseValues? Check(ClaimUsage usage)
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
