using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Charts;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Storage;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// One git-sync writer per persistent volume. git-sync needs its --root to itself: two writers on
/// one shared volume race on .git/index.lock and `git clean` (seed 003). A git-sync container that
/// writes into a persistent volume is allowed only in the components the policy names as the writer,
/// only with one replica, and only when no other workload is known to sync into the same claim.
/// </summary>
internal sealed class GitSyncWriterRule : PodRule
{
    internal static RuleKind Definition { get; } = new("gitSyncSingleWriter", "git-sync writing a shared persistent volume from more than the single writer")
    {
        ApiServerGap = "it counts git-sync writers of one claim across the release's pods, other objects",
        Placeholders = ["volume", "claim", "backing", "container", "component", "writers", "pod", "mountPath"],
        DefaultMessage = "git-sync in container {container} writes into persistent volume {volume} ({backing}), and {writers}; " +
            "two git-sync writers on one volume race on .git/index.lock and restart-loop",
        DefaultFix = "let one workload (the dag-processor, or the scheduler without one) sync into the claim and mount it read-only everywhere else, " +
            "or give each pod its own emptyDir for git-sync",
        BodySchema = """
            {
              "oneOf": [
                {
                  "type": "null"
                },
                {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "writers": {
                      "$ref": "#/definitions/components"
                    }
                  }
                }
              ]
            }
            """,
        Read = Read,
    };

    public override string Kind => Definition.Key;

    /// <summary>Components allowed to be the single writer (e.g. dag-processor); empty allows none.</summary>
    public IReadOnlySet<AirflowComponent> Writers { get; init; } = new HashSet<AirflowComponent>();

    internal override void Check(EvaluationContext context, RuleReport report)
    {
        var seen = default(FewNames);
        foreach (var container in context.Pod.AllContainers)
        {
            if (context.RoleOf(container) != ContainerRole.GitSync)
            {
                continue;
            }
            foreach (var mount in container.Mounts.AsReadOnlySpan())
            {
                if (mount.ReadOnly || context.Pod.FindVolume(mount.Name) is not { } volume || volume.Source.ReadOnly ||
                    seen.Contains(volume.Name))
                {
                    continue;
                }
                var backing = context.BackingOf(volume);
                if (!IsPersistent(volume, backing))
                {
                    continue;
                }
                seen.Add(volume.Name);
                CheckWriter(context, report, container, mount, volume, backing);
            }
        }
    }

    private void CheckWriter(EvaluationContext context, RuleReport report, ContainerView container, MountView mount, VolumeView volume, VolumeBacking backing)
    {
        string? others = null;
        if (!Writers.Contains(context.Component))
        {
            others = Writers.Count == 0 ? "no component is named as the single writer" : $"only {string.Join(", ", Writers.Select(w => w.ToName()))} may write";
        }
        else if (context.Pod.Replicas > 1)
        {
            others = $"{context.Pod.Replicas} replicas of {context.Pod.DisplayName} each run git-sync";
        }
        else if (volume.Source.Kind == VolumeSourceKind.PersistentVolumeClaim &&
                 context.Cluster.GitSyncWritersOf(context.Namespace, volume.Source.Reference ?? "", context.WorkloadIdentity) is { Count: > 0 } writers)
        {
            others = "also written by " + string.Join(", ", writers);
        }
        if (others is null)
        {
            return;
        }
        report.Violation(new MessageValues
        {
            Volume = volume.Name,
            Claim = backing.Claim ?? volume.Source.Reference,
            Backing = backing.Description,
            Container = container.Name,
            Component = context.Component.ToName(),
            Writers = others,
            Pod = context.Pod.DisplayName,
            MountPath = mount.MountPath,
        }, JsonPlace.Of(container, "volumeMounts", mount.Index), remedy: new GitSyncIntoEachPodRemedy(volume.Name));
    }

    private static bool IsPersistent(VolumeView volume, VolumeBacking backing) =>
        backing.Class.IsPersistent() ||
        (backing.Class == BackingClass.Unknown && volume.Source.Kind is VolumeSourceKind.PersistentVolumeClaim or VolumeSourceKind.Csi);

    private static GitSyncWriterRule? Read(KindBody body)
    {
        IReadOnlySet<AirflowComponent> writers = new HashSet<AirflowComponent>();
        if (!body.IsEmpty)
        {
            var map = body.Map("writers");
            if (map is null)
            {
                return null;
            }
            writers = PolicyReader.ReadComponents(body.Reader, map, "writers");
        }
        return new GitSyncWriterRule
        {
            Name = body.Name,
            Location = body.Location,
            Writers = writers,
            Message = body.Message(),
            Fix = body.Fix(),
        };
    }
}
