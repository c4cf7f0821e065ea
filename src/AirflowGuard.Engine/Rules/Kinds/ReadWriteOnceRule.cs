using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Charts;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Storage;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// A ReadWriteOnce claim written by pods that may run on different nodes: KubernetesExecutor
/// task pods (one per task, anywhere in the cluster) or a workload with several replicas. The
/// second pod on another node hangs in ContainerCreating with a Multi-Attach error (seed 001).
/// </summary>
internal sealed class ReadWriteOnceRule : PodRule
{
    internal static RuleKind Definition { get; } = new("readWriteOnceWrites", "a ReadWriteOnce claim written by pods that may land on several nodes")
    {
        ApiServerGap = "it needs the claim's access modes, from its PersistentVolumeClaim and PersistentVolume, other objects",
        Placeholders = ["volume", "claim", "container", "mountPath", "component", "accessModes", "pod", "backing"],
        DefaultMessage = "claim {claim} is {accessModes}, but {pod} ({component}) writes it at {mountPath} from pods that may run on different nodes",
        DefaultFix = SharedFix,
        BodySchema = """
            {
              "$ref": "#/definitions/emptyCheck"
            }
            """,
        Read = Read,
    };

    public override string Kind => Definition.Key;

    internal override void Check(EvaluationContext context, RuleReport report)
    {
        var manyPods = context.Component == AirflowComponent.Task || context.Pod.Replicas > 1;
        if (!manyPods)
        {
            return;
        }
        var seen = default(FewNames);
        var containers = context.AirflowContainers;
        for (var c = 0; c < containers.Count; c++)
        {
            var container = containers[c];
            foreach (var mount in container.Mounts.AsReadOnlySpan())
            {
                if (mount.ReadOnly || context.Pod.FindVolume(mount.Name) is not { Source.Kind: VolumeSourceKind.PersistentVolumeClaim } volume ||
                    volume.Source.ReadOnly || seen.Contains(volume.Name))
                {
                    continue;
                }
                seen.Add(volume.Name);
                var backing = context.BackingOf(volume);
                var path = JsonPlace.Of(container, "volumeMounts", mount.Index);
                if (backing.AccessModes == AccessModes.None)
                {
                    report.Unresolved($"the access modes of claim {volume.Source.Reference} are unknown: {backing.UnknownReason ?? "the claim gives none"}", path);
                    continue;
                }
                if (!backing.AccessModes.IsSingleNodeWrite() || backing.Class == BackingClass.HostPath)
                {
                    // a hostPath or local volume is never attached: its access modes are not enforced, and pods on
                    // other nodes start on their own node's directory (what no-host-path-* denies), not a Multi-Attach hang
                    continue;
                }
                report.Violation(new MessageValues
                {
                    Volume = volume.Name,
                    Claim = volume.Source.Reference,
                    Container = container.Name,
                    MountPath = mount.MountPath,
                    Component = context.Component.ToName(),
                    AccessModes = backing.AccessModes.Describe(),
                    Pod = context.Pod.DisplayName,
                    Backing = backing.Description,
                }, path, remedy: new SharedClaimRemedy(volume.Name, volume.Source.Reference));
            }
        }
    }

    /// <summary>The fix for a claim several nodes write, whichever rule finds it.</summary>
    internal const string SharedFix = "use a ReadWriteMany claim (NFS, EFS, Azure Files, Filestore) for data shared between pods, or remote logging for logs";

    private static ReadWriteOnceRule? Read(KindBody body) => body.IsEmptyCheck()
        ? new ReadWriteOnceRule { Name = body.Name, Location = body.Location, Message = body.Message(), Fix = body.Fix() }
        : null;
}
