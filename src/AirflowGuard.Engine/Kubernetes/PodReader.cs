using System.Text.Json;
using static AirflowGuard.Engine.Kubernetes.JsonRead;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>Reads a pod template (an object with <c>metadata</c> and <c>spec</c>) into a <see cref="PodView"/>.</summary>
public static class PodReader
{
    /// <summary>
    /// Reads <paramref name="template"/> — a Pod, or the <c>template</c> of a workload.
    /// </summary>
    /// <param name="template">The object holding <c>metadata</c> and <c>spec</c>.</param>
    /// <param name="pointer">JSON pointer of <paramref name="template"/> in the submitted object ("" for a bare pod).</param>
    /// <param name="path">JSON path of <paramref name="template"/>, for error messages.</param>
    /// <param name="fallbackNamespace">Namespace to use when the template has none (the workload's).</param>
    public static PodView Read(JsonElement template, string pointer, string path, string? fallbackNamespace, InputErrors errors)
    {
        var metadata = ReadMetadata(template, path, errors);
        if (metadata.Namespace is null && fallbackNamespace is not null)
        {
            metadata = metadata with { Namespace = fallbackNamespace };
        }
        var hasAnnotations = template.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object &&
                             meta.TryGetProperty("annotations", out var ann) && ann.ValueKind == JsonValueKind.Object;

        var specPointer = pointer + "/spec";
        var specPath = Child(path, "spec");
        if (Object(template, "spec", path, errors) is not { } spec)
        {
            errors.Add(specPath, "the pod spec is missing");
            return new PodView { Metadata = metadata, MetadataPointer = pointer + "/metadata", SpecPointer = specPointer, HasAnnotations = hasAnnotations };
        }

        var containers = ReadContainers(spec, "containers", isInit: false, specPointer, specPath, errors);
        if (containers.Count == 0 && !errors.Any)
        {
            errors.Add(Child(specPath, "containers"), "a pod needs at least one container");
        }

        return new PodView
        {
            Metadata = metadata,
            MetadataPointer = pointer + "/metadata",
            SpecPointer = specPointer,
            HasAnnotations = hasAnnotations,
            Containers = containers,
            InitContainers = ReadContainers(spec, "initContainers", isInit: true, specPointer, specPath, errors),
            Volumes = ReadVolumes(spec, specPointer, specPath, errors),
            HasVolumesArray = spec.TryGetProperty("volumes", out var volumes) && volumes.ValueKind == JsonValueKind.Array,
            Security = ReadPodSecurity(spec, specPath, errors),
        };
    }

    public static ObjectMetadata ReadMetadata(JsonElement obj, string path, InputErrors errors)
    {
        if (Object(obj, "metadata", path, errors) is not { } meta)
        {
            return ObjectMetadata.Empty;
        }
        var metaPath = Child(path, "metadata");
        return new ObjectMetadata(
            String(meta, "name", metaPath, errors),
            String(meta, "generateName", metaPath, errors),
            String(meta, "namespace", metaPath, errors),
            StringMap(meta, "labels", metaPath, errors),
            StringMap(meta, "annotations", metaPath, errors));
    }

    private static PodSecurity ReadPodSecurity(JsonElement spec, string specPath, InputErrors errors)
    {
        if (Object(spec, "securityContext", specPath, errors) is not { } context)
        {
            return PodSecurity.None;
        }
        var path = Child(specPath, "securityContext");
        return new PodSecurity(
            Integer(context, "runAsUser", path, errors),
            Integer(context, "runAsGroup", path, errors),
            Integer(context, "fsGroup", path, errors));
    }

    private static List<ContainerView> ReadContainers(JsonElement spec, string property, bool isInit, string specPointer, string specPath, InputErrors errors)
    {
        if (Array(spec, property, specPath, errors) is not { } array)
        {
            return [];
        }
        var list = new List<ContainerView>(array.GetArrayLength());
        var index = 0;
        var listPath = Child(specPath, property);
        foreach (var item in array.EnumerateArray())
        {
            var path = Index(listPath, index);
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(path, $"expected a container object, found {Describe(item)}");
                index++;
                continue;
            }
            var name = String(item, "name", path, errors);
            if (string.IsNullOrEmpty(name))
            {
                errors.Add(Child(path, "name"), "a container needs a name");
                name = $"#{index}";
            }
            long? runAsUser = null, runAsGroup = null;
            if (Object(item, "securityContext", path, errors) is { } context)
            {
                runAsUser = Integer(context, "runAsUser", Child(path, "securityContext"), errors);
                runAsGroup = Integer(context, "runAsGroup", Child(path, "securityContext"), errors);
            }
            list.Add(new ContainerView
            {
                Name = name,
                Image = String(item, "image", path, errors),
                IsInit = isInit,
                Index = index,
                Pointer = JsonPointer.Append(specPointer + "/" + property, index),
                Command = StringList(item, "command", path, errors),
                Args = StringList(item, "args", path, errors),
                Env = ReadEnv(item, path, errors),
                HasEnvArray = item.TryGetProperty("env", out var env) && env.ValueKind == JsonValueKind.Array,
                EnvFrom = ReadEnvFrom(item, path, errors),
                Mounts = ReadMounts(item, path, errors),
                HasMountsArray = item.TryGetProperty("volumeMounts", out var mounts) && mounts.ValueKind == JsonValueKind.Array,
                RunAsUser = runAsUser,
                RunAsGroup = runAsGroup,
                Resources = Object(item, "resources", path, errors),
            });
            index++;
        }
        return list;
    }

    private static List<EnvVarView> ReadEnv(JsonElement container, string containerPath, InputErrors errors)
    {
        if (Array(container, "env", containerPath, errors) is not { } array)
        {
            return [];
        }
        var list = new List<EnvVarView>(array.GetArrayLength());
        var index = 0;
        var envPath = Child(containerPath, "env");
        foreach (var item in array.EnumerateArray())
        {
            var path = Index(envPath, index);
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(path, $"expected an env var object, found {Describe(item)}");
                index++;
                continue;
            }
            var name = String(item, "name", path, errors);
            if (string.IsNullOrEmpty(name))
            {
                errors.Add(Child(path, "name"), "an env var needs a name");
                index++;
                continue;
            }
            list.Add(ReadEnvValue(item, name, index, path, errors));
            index++;
        }
        return list;
    }

    private static EnvVarView ReadEnvValue(JsonElement item, string name, int index, string path, InputErrors errors)
    {
        if (Object(item, "valueFrom", path, errors) is not { } from)
        {
            return new EnvVarView(name, index, EnvValueSource.Literal, String(item, "value", path, errors) ?? "", null, null);
        }
        var fromPath = Child(path, "valueFrom");
        if (Object(from, "secretKeyRef", fromPath, errors) is { } secret)
        {
            var refPath = Child(fromPath, "secretKeyRef");
            return new EnvVarView(name, index, EnvValueSource.SecretKey, null, String(secret, "name", refPath, errors), String(secret, "key", refPath, errors));
        }
        if (Object(from, "configMapKeyRef", fromPath, errors) is { } configMap)
        {
            var refPath = Child(fromPath, "configMapKeyRef");
            return new EnvVarView(name, index, EnvValueSource.ConfigMapKey, null, String(configMap, "name", refPath, errors), String(configMap, "key", refPath, errors));
        }
        if (from.TryGetProperty("fieldRef", out _))
        {
            return new EnvVarView(name, index, EnvValueSource.Field, null, null, null);
        }
        return new EnvVarView(name, index, EnvValueSource.ResourceField, null, null, null);
    }

    private static List<EnvFromView> ReadEnvFrom(JsonElement container, string containerPath, InputErrors errors)
    {
        if (Array(container, "envFrom", containerPath, errors) is not { } array)
        {
            return [];
        }
        var list = new List<EnvFromView>();
        var index = 0;
        var envFromPath = Child(containerPath, "envFrom");
        foreach (var item in array.EnumerateArray())
        {
            var path = Index(envFromPath, index++);
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(path, $"expected an envFrom object, found {Describe(item)}");
                continue;
            }
            var prefix = String(item, "prefix", path, errors);
            if (Object(item, "configMapRef", path, errors) is { } cm && String(cm, "name", Child(path, "configMapRef"), errors) is { } cmName)
            {
                list.Add(new EnvFromView(EnvFromKind.ConfigMap, cmName, prefix));
            }
            else if (Object(item, "secretRef", path, errors) is { } secret && String(secret, "name", Child(path, "secretRef"), errors) is { } secretName)
            {
                list.Add(new EnvFromView(EnvFromKind.Secret, secretName, prefix));
            }
        }
        return list;
    }

    private static List<MountView> ReadMounts(JsonElement container, string containerPath, InputErrors errors)
    {
        if (Array(container, "volumeMounts", containerPath, errors) is not { } array)
        {
            return [];
        }
        var list = new List<MountView>(array.GetArrayLength());
        var index = 0;
        var mountsPath = Child(containerPath, "volumeMounts");
        foreach (var item in array.EnumerateArray())
        {
            var path = Index(mountsPath, index);
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(path, $"expected a volume mount object, found {Describe(item)}");
                index++;
                continue;
            }
            var name = String(item, "name", path, errors);
            var mountPath = String(item, "mountPath", path, errors);
            if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(mountPath))
            {
                errors.Add(path, "a volume mount needs a name and a mountPath");
                index++;
                continue;
            }
            var subPath = String(item, "subPath", path, errors) ?? String(item, "subPathExpr", path, errors);
            list.Add(new MountView(name, PathText.Normalize(mountPath), string.IsNullOrEmpty(subPath) ? null : subPath, Bool(item, "readOnly", path, errors), index));
            index++;
        }
        return list;
    }

    private static List<VolumeView> ReadVolumes(JsonElement spec, string specPointer, string specPath, InputErrors errors)
    {
        if (Array(spec, "volumes", specPath, errors) is not { } array)
        {
            return [];
        }
        var list = new List<VolumeView>(array.GetArrayLength());
        var index = 0;
        var volumesPath = Child(specPath, "volumes");
        foreach (var item in array.EnumerateArray())
        {
            var path = Index(volumesPath, index);
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(path, $"expected a volume object, found {Describe(item)}");
                index++;
                continue;
            }
            var name = String(item, "name", path, errors);
            if (string.IsNullOrEmpty(name))
            {
                errors.Add(Child(path, "name"), "a volume needs a name");
                index++;
                continue;
            }
            list.Add(new VolumeView(name, index, VolumeSourceReader.Read(item, path, errors))
            {
                Pointer = JsonPointer.Append(specPointer + "/volumes", index),
            });
            index++;
        }
        return list;
    }
}
