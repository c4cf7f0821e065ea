using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// A ReadWriteOnce claim written by pods that may run on different nodes: KubernetesExecutor
/// task pods (one per task, anywhere in the cluster) or a workload with several replicas. The
/// second pod on another node hangs in ContainerCreating with a Multi-Attach error (seed 001).
/// </summary>
public sealed class ReadWriteOnceRule : PodRule
{
    public static readonly IReadOnlyCollection<string> Placeholders =
        ["volume", "claim", "container", "mountPath", "component", "accessModes", "pod", "backing"];

    public override string Kind => "readWriteOnceWrites";

    internal override void Check(EvaluationContext context, RuleReport report)
    {
        var manyPods = context.Component == AirflowComponent.Task || context.Pod.Replicas > 1;
        if (!manyPods)
        {
            return;
        }
        HashSet<string>? seen = null;
        var containers = context.AirflowContainers;
        for (var c = 0; c < containers.Count; c++)
        {
            var container = containers[c];
            foreach (var mount in container.Mounts.AsReadOnlySpan())
            {
                if (mount.ReadOnly || context.Pod.FindVolume(mount.Name) is not { Source.Kind: VolumeSourceKind.PersistentVolumeClaim } volume ||
                    volume.Source.ReadOnly || seen?.Contains(volume.Name) == true)
                {
                    continue;
                }
                (seen ??= new HashSet<string>(StringComparer.Ordinal)).Add(volume.Name);
                var backing = context.BackingOf(volume);
                var path = JsonPathText.FromPointer($"{container.Pointer}/volumeMounts/{mount.Index}");
                if (backing.AccessModes == AccessModes.None)
                {
                    report.Unresolved($"the access modes of claim {volume.Source.Reference} are unknown: {backing.UnknownReason ?? "the claim gives none"}", path);
                    continue;
                }
                if (!backing.AccessModes.IsSingleNodeWrite())
                {
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
                }, path);
            }
        }
    }
}
