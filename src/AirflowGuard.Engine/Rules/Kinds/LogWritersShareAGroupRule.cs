using AirflowGuard.Engine.Charts;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// A ReadWriteMany logs claim (NFS, EFS, Azure Files: file systems where the kubelet changes no ownership for
/// <c>fsGroup</c>) written by workloads that run as different users with no group in common: a task pod cannot write the
/// log folders the scheduler made, or the other way round (airflow-helm/charts #708, #712). Airflow creates its log
/// folders group-writable, so writers that share a user, or each belong to the other's primary group, are fine. A writer
/// whose user cannot be told (a custom image with no securityContext) leaves the claim alone.
/// </summary>
internal sealed class LogWritersShareAGroupRule : ReleaseRule
{
    internal static RuleKind Definition { get; } = new("logWritersShareAGroup", "(release-wide) a shared logs claim written by users with no group in common")
    {
        ApiServerGap = "a release-wide rule: it compares the users of every pod that writes a shared logs claim",
        Placeholders = Placeholders,
        DefaultMessage = "claim {claim} is a ReadWriteMany logs volume written by {identities}: they run as different users with no group in common, so one cannot write the log folders another made",
        DefaultFix = "run every writer of the logs claim as the same user, or give them a common group (the same runAsGroup, or the other's group in supplementalGroups or fsGroup)",
        BodySchema = """
            {
              "$ref": "#/definitions/emptyCheck"
            }
            """,
        Read = body => body.IsEmptyCheck() ? new LogWritersShareAGroupRule { Name = body.Name, Location = body.Location, Message = body.Message(), Fix = body.Fix() } : null,
    };

    public override string Kind => Definition.Key;

    internal override Remedy? RemedyFor(ClaimUsage usage) =>
        usage.Uses.LogWriters.Where(w => w.Identity is not null).GroupBy(w => w.Identity!.Group).MaxBy(g => g.Count()) is { } most
            ? new SharedGroupRemedy(most.Key)
            : null;

    internal override ReleaseValues? Check(ClaimUsage usage)
    {
        var writers = usage.Uses.LogWriters;
        if (usage.Declared is not { } claim || (claim.AccessModes & AccessModes.ReadWriteMany) == 0 || writers.Count < 2 ||
            writers.Any(w => w.Identity is null))
        {
            return null;
        }
        for (var i = 0; i < writers.Count; i++)
        {
            for (var j = i + 1; j < writers.Count; j++)
            {
                if (!writers[i].Identity!.SharesFilesWith(writers[j].Identity!))
                {
                    return new ReleaseValues
                    {
                        Claim = usage.Claim,
                        Namespace = usage.Namespace,
                        Writers = string.Join(", ", writers.Select(w => w.Workload).Distinct()),
                        AccessModes = claim.AccessModes.ToString(),
                        Identities = $"{writers[i].Workload} as {writers[i].Identity!.Describe()} and {writers[j].Workload} as {writers[j].Identity!.Describe()}",
                    };
                }
            }
        }
        return null;
    }
}
