using AirflowGuard.Engine.Charts;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Engine.Rules;

/// <summary>A ReadWriteOnce claim written by more than one workload: it attaches to one node at a time.</summary>
internal sealed class ReadWriteOnceAcrossWorkloadsRule : ReleaseRule
{
    internal static RuleKind Definition { get; } = new("readWriteOnceAcrossWorkloads", "(release-wide) a ReadWriteOnce claim written by several workloads")
    {
        ApiServerGap = "a release-wide rule: it compares the workloads that write one claim, and needs the claim's access modes",
        Placeholders = Placeholders,
        DefaultMessage = "claim {claim} is {accessModes} but {writers} all write it; it attaches to one node at a time, so pods of the other workloads cannot start elsewhere",
        DefaultFix = ReadWriteOnceRule.SharedFix,
        BodySchema = """
            {
              "$ref": "#/definitions/emptyCheck"
            }
            """,
        Read = body => body.IsEmptyCheck() ? new ReadWriteOnceAcrossWorkloadsRule { Name = body.Name, Location = body.Location, Message = body.Message(), Fix = body.Fix() } : null,
    };

    public override string Kind => Definition.Key;

    internal override Remedy? RemedyFor(ClaimUsage usage) => usage.Uses.WriterVolume is { } volume ? new SharedClaimRemedy(volume, usage.Claim) : null;

    internal override ReleaseValues? Check(ClaimUsage usage)
    {
        if (usage.Declared is not { } claim || (claim.AccessModes & (AccessModes.ReadWriteOnce | AccessModes.ReadWriteOncePod)) == 0 ||
            (claim.AccessModes & AccessModes.ReadWriteMany) != 0 || usage.BoundToHostDirectory) // nothing attaches a host directory
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
