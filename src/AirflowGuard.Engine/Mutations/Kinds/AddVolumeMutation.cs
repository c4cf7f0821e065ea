using System.Text.Json.Nodes;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Mutations;

/// <summary>
/// Adds a shared volume (a data or logs claim) and mounts it into the target containers, the way
/// <c>workers.extraVolumes</c> / <c>extraVolumeMounts</c> would (seed 001). A pod that already
/// mounts the same claim under another name is mounted from that volume instead of getting a
/// second copy; a path already taken by another volume is left alone and reported.
/// </summary>
internal sealed class AddVolumeMutation : Mutation
{
    internal static MutationKind Definition { get; } = new("addVolume", "adds a shared volume and mounts it into the target containers")
    {
        BodySchema = """
            {
              "type": "object",
              "additionalProperties": false,
              "required": [
                "volume",
                "mount"
              ],
              "not": {
                "required": [
                  "target",
                  "containers"
                ]
              },
              "properties": {
                "volume": {
                  "type": "object",
                  "required": [
                    "name"
                  ],
                  "properties": {
                    "name": {
                      "type": "string",
                      "minLength": 1
                    }
                  }
                },
                "mount": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "mountPath"
                  ],
                  "properties": {
                    "mountPath": {
                      "type": "string",
                      "pattern": "^/"
                    },
                    "subPath": {
                      "type": "string"
                    },
                    "readOnly": {
                      "type": "boolean"
                    }
                  }
                },
                "target": {
                  "$ref": "#/definitions/containerTarget/target"
                },
                "containers": {
                  "$ref": "#/definitions/stringList"
                },
                "includeInitContainers": {
                  "type": "boolean"
                }
              }
            }
            """,
        Read = Read,
    };

    public override string Kind => Definition.Key;

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
                        container.PathOf("volumeMounts", atPath.Index));
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

    private static AddVolumeMutation? Read(KindBody body)
    {
        var reader = body.Reader;
        var map = body.Map("volume", "mount", "target", "containers", "includeInitContainers");
        if (map is null)
        {
            return null;
        }
        if (map.Get("volume") is not YamlMappingNode volumeNode)
        {
            reader.Error(map.Get("volume") ?? map.Node, "addVolume needs volume: a Kubernetes volume with a name and a source");
            return null;
        }
        var volumeMap = new MapNode(reader, volumeNode, "volume");
        var volumeName = volumeMap.String("name", required: true);
        if (volumeNode.Children.Count < 2)
        {
            reader.Error(volumeNode, "the volume needs a source, e.g. persistentVolumeClaim: {claimName: shared-data}");
        }
        string? claim = null;
        if (volumeMap.Get("persistentVolumeClaim") is { } pvcNode)
        {
            claim = reader.Map(pvcNode, "persistentVolumeClaim", "claimName", "readOnly")?.String("claimName", required: true);
        }
        var mount = reader.Map(map.Get("mount"), "mount", "mountPath", "subPath", "readOnly");
        if (mount is null)
        {
            reader.Error(map.Node, "addVolume needs mount: {mountPath: …}");
            return null;
        }
        var mountPath = mount.String("mountPath", required: true);
        if (mountPath is not null && !mountPath.StartsWith('/'))
        {
            reader.Error(mount.Get("mountPath")!, $"mountPath must be absolute, found \"{mountPath}\"");
        }
        if (volumeName is null || mountPath is null)
        {
            return null;
        }
        return new AddVolumeMutation
        {
            Location = body.Location,
            VolumeName = volumeName,
            Volume = (JsonObject)YamlJson.ToJson(volumeNode)!,
            ClaimName = claim,
            MountPath = PathText.Normalize(mountPath),
            SubPath = mount.String("subPath"),
            ReadOnly = mount.Bool("readOnly") ?? false,
            Target = ContainerTarget.Read(reader, map),
        };
    }
}
