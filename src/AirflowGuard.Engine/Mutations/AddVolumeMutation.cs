using System.Text.Json.Nodes;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Mutations;

/// <summary>
/// Adds a shared volume (a data or logs claim) and mounts it into the target containers, the way
/// <c>workers.extraVolumes</c> / <c>extraVolumeMounts</c> would (seed 001). A pod that already
/// mounts the same claim under another name is mounted from that volume instead of getting a
/// second copy; a path already taken by another volume is left alone and reported.
/// </summary>
public sealed class AddVolumeMutation : Mutation
{
    public override string Kind => "addVolume";

    public required string VolumeName { get; init; }

    /// <summary>The volume as written in the policy (a Kubernetes volume object, name included).</summary>
    public required JsonObject Volume { get; init; }

    /// <summary>The claim the volume refers to, used to recognise the same claim under another name.</summary>
    public string? ClaimName { get; init; }

    public required string MountPath { get; init; }
    public string? SubPath { get; init; }
    public bool ReadOnly { get; init; }
    public ContainerTarget Target { get; init; } = ContainerTarget.AirflowOnly;

    internal override void Apply(EvaluationContext context, PodEdits edits, MutationReport report)
    {
        var volumeName = ExistingVolumeName(context.Pod) ?? VolumeName;
        var mounted = false;
        foreach (var container in Target.Select(context))
        {
            var atPath = FindMountAt(container, MountPath);
            if (atPath is not null)
            {
                if (atPath.Name != volumeName)
                {
                    report.Skipped($"{container.DisplayName} already mounts volume {atPath.Name} at {MountPath}",
                        JsonPathText.FromPointer($"{container.Pointer}/volumeMounts/{atPath.Index}"));
                }
                continue;
            }
            var mount = new JsonObject { ["name"] = volumeName, ["mountPath"] = MountPath };
            if (SubPath is not null)
            {
                mount["subPath"] = SubPath;
            }
            if (ReadOnly)
            {
                mount["readOnly"] = true;
            }
            edits.AddMount(container, MountPath, mount);
            mounted = true;
        }
        if (mounted && context.Pod.FindVolume(volumeName) is null)
        {
            edits.AddVolume(volumeName, (JsonObject)Volume.DeepClone());
        }
    }

    private string? ExistingVolumeName(PodView pod)
    {
        if (pod.FindVolume(VolumeName) is not null)
        {
            return VolumeName;
        }
        if (ClaimName is null)
        {
            return null;
        }
        foreach (var volume in pod.Volumes)
        {
            if (volume.Source.Kind == VolumeSourceKind.PersistentVolumeClaim && volume.Source.Reference == ClaimName)
            {
                return volume.Name;
            }
        }
        return null;
    }

    private static MountView? FindMountAt(ContainerView container, string mountPath)
    {
        foreach (var mount in container.Mounts)
        {
            if (mount.MountPath == mountPath)
            {
                return mount;
            }
        }
        return null;
    }
}
