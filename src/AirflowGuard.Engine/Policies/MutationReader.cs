using System.Text.Json.Nodes;
using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Mutations;
using AirflowGuard.Engine.Yaml;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Policies;

/// <summary>Reads the mutations of a policy: each list item has exactly one of setEnv, addVolume, fuseMountOptions.</summary>
internal static class MutationReader
{
    private static readonly string[] Kinds = ["setEnv", "addVolume", "fuseMountOptions"];

    public static List<Mutation> ReadAll(YamlNodeReader reader, IReadOnlyList<YamlNode> nodes)
    {
        var mutations = new List<Mutation>();
        foreach (var node in nodes)
        {
            var map = reader.Map(node, "a mutation", Kinds);
            if (map is null)
            {
                continue;
            }
            var present = Kinds.Where(map.Has).ToList();
            if (present.Count != 1)
            {
                reader.Error(map.Node, $"a mutation needs exactly one of {string.Join(", ", Kinds)}; write one list item per mutation");
                continue;
            }
            var body = map.Get(present[0])!;
            var location = reader.Location(node);
            Mutation? mutation = present[0] switch
            {
                "setEnv" => ReadSetEnv(reader, body, location),
                "addVolume" => ReadAddVolume(reader, body, location),
                _ => ReadFuse(reader, body, location),
            };
            if (mutation is not null)
            {
                mutations.Add(mutation);
            }
        }
        return mutations;
    }

    private static SetEnvMutation? ReadSetEnv(YamlNodeReader reader, YamlNode body, SourceLocation location)
    {
        var map = reader.Map(body, "setEnv", "target", "containers", "includeInitContainers", "overwrite", "values");
        if (map is null)
        {
            return null;
        }
        var values = new List<EnvValueSpec>();
        if (map.Get("values") is not YamlMappingNode valueMap || valueMap.Children.Count == 0)
        {
            reader.Error(map.Get("values") ?? map.Node, "setEnv needs values: a mapping of env var names to values");
            return null;
        }
        foreach (var (key, value) in valueMap.Children)
        {
            var name = ((YamlScalarNode)key).Value ?? "";
            if (!IsEnvName(name))
            {
                reader.Error(key, $"\"{name}\" is not a valid env var name");
                continue;
            }
            if (ReadEnvValue(reader, name, value) is { } spec)
            {
                values.Add(spec);
            }
        }
        return new SetEnvMutation
        {
            Location = location,
            Target = ReadTarget(reader, map),
            Overwrite = map.Bool("overwrite") ?? false,
            Values = values,
        };
    }

    private static EnvValueSpec? ReadEnvValue(YamlNodeReader reader, string name, YamlNode value)
    {
        if (value is YamlScalarNode scalar)
        {
            return new EnvValueSpec(name, EnvValueSource.Literal, scalar.Value ?? "");
        }
        var map = reader.Map(value, $"the value of {name}", "secretKeyRef", "configMapKeyRef");
        if (map is null)
        {
            return null;
        }
        var isSecret = map.Has("secretKeyRef");
        if (isSecret == map.Has("configMapKeyRef"))
        {
            reader.Error(value, $"the value of {name} needs exactly one of secretKeyRef, configMapKeyRef");
            return null;
        }
        var reference = reader.Map(map.Get(isSecret ? "secretKeyRef" : "configMapKeyRef"), isSecret ? "secretKeyRef" : "configMapKeyRef", "name", "key");
        if (reference?.String("name", required: true) is not { } refName || reference.String("key", required: true) is not { } refKey)
        {
            return null;
        }
        return new EnvValueSpec(name, isSecret ? EnvValueSource.SecretKey : EnvValueSource.ConfigMapKey, null, refName, refKey);
    }

    private static ContainerTarget ReadTarget(YamlNodeReader reader, MapNode map)
    {
        var includeInit = map.Bool("includeInitContainers") ?? false;
        var names = map.StringList("containers").Select(n => new Glob(n.Value)).ToList();
        var target = map.String("target");
        if (names.Count > 0)
        {
            if (target is not null)
            {
                reader.Error(map.Get("target")!, "give either target or containers, not both");
            }
            return new ContainerTarget(ContainerTargetKind.Named, names, includeInit);
        }
        switch (target)
        {
            case null or "airflow-containers":
                return new ContainerTarget(ContainerTargetKind.Airflow, [], includeInit);
            case "all-containers":
                return new ContainerTarget(ContainerTargetKind.All, [], includeInit);
            default:
                reader.Error(map.Get("target")!, $"target must be airflow-containers or all-containers (or list containers by name), found \"{target}\"");
                return ContainerTarget.AirflowOnly;
        }
    }

    private static AddVolumeMutation? ReadAddVolume(YamlNodeReader reader, YamlNode body, SourceLocation location)
    {
        var map = reader.Map(body, "addVolume", "volume", "mount", "target", "containers", "includeInitContainers");
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
            Location = location,
            VolumeName = volumeName,
            Volume = (JsonObject)YamlJson.ToJson(volumeNode)!,
            ClaimName = claim,
            MountPath = PathText.Normalize(mountPath),
            SubPath = mount.String("subPath"),
            ReadOnly = mount.Bool("readOnly") ?? false,
            Target = ReadTarget(reader, map),
        };
    }

    private static FuseMountOptionsMutation? ReadFuse(YamlNodeReader reader, YamlNode body, SourceLocation location)
    {
        var map = reader.Map(body, "fuseMountOptions", "uid", "gid", "umask", "allowOther");
        if (map is null)
        {
            return null;
        }
        var umask = map.String("umask");
        if (map.Get("umask") is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } plain && umask is not null)
        {
            reader.Error(plain, $"write the umask quoted, as \"{umask}\": unquoted, YAML reads it as a number");
            umask = null;
        }
        else if (umask is not null && !MountOptionText.IsValidUmask(umask))
        {
            reader.Error(map.Get("umask")!, $"umask must be three or four octal digits such as \"002\", found \"{umask}\"");
            umask = null;
        }
        var mutation = new FuseMountOptionsMutation
        {
            Location = location,
            Uid = ReadId(reader, map, "uid"),
            Gid = ReadId(reader, map, "gid"),
            Umask = umask,
            AllowOther = map.Bool("allowOther") ?? false,
        };
        if (!map.Has("uid") && !map.Has("gid") && !map.Has("umask") && !map.Has("allowOther"))
        {
            reader.Error(map.Node, "fuseMountOptions needs at least one of uid, gid, umask, allowOther");
        }
        return mutation;
    }

    private static IdSource? ReadId(YamlNodeReader reader, MapNode map, string key)
    {
        var node = map.Get(key);
        if (node is null)
        {
            return null;
        }
        if (node is YamlScalarNode)
        {
            return MapNode.ReadInteger(reader, node, key, 0, uint.MaxValue) is { } fixedId ? new IdSource(fixedId) : null;
        }
        var spec = reader.Map(node, key, "fromPod", "default");
        if (spec is null)
        {
            return null;
        }
        var field = spec.String("fromPod", required: true);
        IdField? parsed = field switch
        {
            "runAsUser" => IdField.RunAsUser,
            "runAsGroup" => IdField.RunAsGroup,
            "fsGroup" => IdField.FsGroup,
            _ => null,
        };
        if (field is not null && parsed is null)
        {
            reader.Error(spec.Get("fromPod")!, $"fromPod must be runAsUser, runAsGroup or fsGroup, found \"{field}\"");
        }
        return new IdSource(null, parsed, spec.Integer("default", 0, uint.MaxValue));
    }

    private static bool IsEnvName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
}
