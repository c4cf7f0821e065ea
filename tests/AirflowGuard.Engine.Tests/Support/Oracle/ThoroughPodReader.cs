using System.Text.Json;
using AirflowGuard.Engine.Kubernetes;
using static AirflowGuard.Engine.Kubernetes.JsonRead;

namespace AirflowGuard.Engine.Tests.Support.Oracle;

/// <summary>
/// The test oracle for <see cref="PodReader"/>: the thorough reader AirflowGuard used before it had one pod reader (at
/// 74d5822), which looks each field up in a parsed <see cref="JsonElement"/>. Kept only to check the one reader against
/// an independent reading of the same objects; nothing in src/ uses it.
/// </summary>
internal static class ThoroughPodReader
{
    /// <summary>
    /// Reads <paramref name="template"/> — a Pod, or the <c>template</c> of a workload.
    /// </summary>
    /// <param name="template">The object holding <c>metadata</c> and <c>spec</c>.</param>
    /// <param name="pointer">JSON pointer of <paramref name="template"/> in the submitted object ("" for a bare pod).</param>
    /// <param name="path">JSON path of <paramref name="template"/>, for error messages.</param>
    /// <param name="fallbackNamespace">Namespace to use when the template has none (the workload's).</param>
    public static PodView Read(JsonElement template, string pointer, in JsonPath path, string? fallbackNamespace, InputErrors errors)
    {
        var metadata = ReadMetadata(template, path, errors);
        if (metadata.Namespace is null && fallbackNamespace is not null)
        {
            metadata = metadata with { Namespace = fallbackNamespace };
        }
        var hasAnnotations = template.TryGetProperty("metadata"u8, out var meta) && meta.ValueKind == JsonValueKind.Object &&
                             meta.TryGetProperty("annotations"u8, out var ann) && ann.ValueKind == JsonValueKind.Object;

        var specPointer = pointer + "/spec";
        var specPath = path.Child("spec");
        if (Object(template, "spec"u8, path, errors) is not { } spec)
        {
            errors.Add(specPath, "the pod spec is missing");
            return new PodView { Metadata = metadata, MetadataPointer = pointer + "/metadata", SpecPointer = specPointer, HasAnnotations = hasAnnotations };
        }

        var containers = ReadContainers(spec, isInit: false, specPointer, specPath, errors);
        if (containers.Count == 0 && !errors.Any)
        {
            errors.Add(specPath.Child("containers"), "a pod needs at least one container");
        }

        return new PodView
        {
            Metadata = metadata,
            MetadataPointer = pointer + "/metadata",
            SpecPointer = specPointer,
            HasAnnotations = hasAnnotations,
            Containers = containers,
            InitContainers = ReadContainers(spec, isInit: true, specPointer, specPath, errors),
            Volumes = ReadVolumes(spec, specPointer, specPath, errors),
            HasVolumesArray = spec.TryGetProperty("volumes"u8, out var volumes) && volumes.ValueKind == JsonValueKind.Array,
            Security = ReadPodSecurity(spec, specPath, errors),
            ServiceAccountName = String(spec, "serviceAccountName"u8, specPath, errors) is var named & String(spec, "serviceAccount"u8, specPath, errors) is var deprecated
                ? named ?? deprecated
                : null,
        };
    }

    public static ObjectMetadata ReadMetadata(JsonElement obj, in JsonPath path, InputErrors errors)
    {
        if (Object(obj, "metadata"u8, path, errors) is not { } meta)
        {
            return ObjectMetadata.Empty;
        }
        var metaPath = path.Child("metadata");
        return new ObjectMetadata(
            String(meta, "name"u8, metaPath, errors),
            String(meta, "generateName"u8, metaPath, errors),
            String(meta, "namespace"u8, metaPath, errors),
            StringMap(meta, "labels"u8, metaPath, errors),
            StringMap(meta, "annotations"u8, metaPath, errors));
    }

    private static PodSecurity ReadPodSecurity(JsonElement spec, in JsonPath specPath, InputErrors errors)
    {
        if (Object(spec, "securityContext"u8, specPath, errors) is not { } context)
        {
            return PodSecurity.None;
        }
        var path = specPath.Child("securityContext");
        var groups = new List<long>();
        if (Array(context, "supplementalGroups"u8, path, errors) is { } list)
        {
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out var group))
                {
                    groups.Add(group);
                }
                else
                {
                    errors.Add(path.Child("supplementalGroups").Index(index).ToString(), $"expected an integer, found {Describe(item)}");
                }
                index++;
            }
        }
        var security = new PodSecurity(
            Integer(context, "runAsUser"u8, path, errors),
            Integer(context, "runAsGroup"u8, path, errors),
            Integer(context, "fsGroup"u8, path, errors))
        { SupplementalGroups = groups };
        return security is { RunAsUser: null, RunAsGroup: null, FsGroup: null, SupplementalGroups.Count: 0 } ? PodSecurity.None : security;
    }

    private static List<ContainerView> ReadContainers(JsonElement spec, bool isInit, string specPointer, in JsonPath specPath, InputErrors errors)
    {
        var property = isInit ? "initContainers" : "containers";
        if (Array(spec, isInit ? "initContainers"u8 : "containers"u8, specPath, errors) is not { } array)
        {
            return [];
        }
        var list = new List<ContainerView>(array.GetArrayLength());
        var index = 0;
        var listPath = specPath.Child(property);
        var listPointer = specPointer + "/" + property;
        foreach (var item in array.EnumerateArray())
        {
            var path = listPath.Index(index);
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(path, $"expected a container object, found {Describe(item)}");
                index++;
                continue;
            }
            // one pass over the container's fields instead of a lookup (a scan of them all) per field
            var fields = ContainerFields.Of(item);
            var name = StringValue(fields.Name, "name"u8, path, errors);
            if (string.IsNullOrEmpty(name))
            {
                errors.Add(path.Child("name"), "a container needs a name");
                name = $"#{index}";
            }
            long? runAsUser = null, runAsGroup = null;
            if (ObjectValue(fields.SecurityContext, "securityContext"u8, path, errors) is { } context)
            {
                runAsUser = Integer(context, "runAsUser"u8, path.Child("securityContext"), errors);
                runAsGroup = Integer(context, "runAsGroup"u8, path.Child("securityContext"), errors);
            }
            list.Add(new ContainerView
            {
                Name = name,
                Image = StringValue(fields.Image, "image"u8, path, errors),
                IsInit = isInit,
                Index = index,
                ListPointer = listPointer,
                Command = StringListValue(fields.Command, "command"u8, path, errors, shared: false), // a command line may carry a password
                Args = StringListValue(fields.Args, "args"u8, path, errors, shared: false),
                Env = ReadEnv(fields.Env, path, errors),
                HasEnvArray = fields.Env.ValueKind == JsonValueKind.Array,
                EnvFrom = ReadEnvFrom(fields.EnvFrom, path, errors),
                Mounts = ReadMounts(fields.VolumeMounts, path, errors),
                HasMountsArray = fields.VolumeMounts.ValueKind == JsonValueKind.Array,
                RunAsUser = runAsUser,
                RunAsGroup = runAsGroup,
                Resources = ObjectValue(fields.Resources, "resources"u8, path, errors),
            });
            index++;
        }
        return list;
    }

    /// <summary>The fields of a container the view reads, found in one pass (the last of duplicates, as lookups find).</summary>
    private struct ContainerFields
    {
        public JsonElement Name, Image, SecurityContext, Command, Args, Env, EnvFrom, VolumeMounts, Resources;

        public static ContainerFields Of(JsonElement container)
        {
            var fields = default(ContainerFields);
            foreach (var property in container.EnumerateObject())
            {
                switch (RawName(property))
                {
                    case var n when n.SequenceEqual("name"u8): fields.Name = property.Value; break;
                    case var n when n.SequenceEqual("image"u8): fields.Image = property.Value; break;
                    case var n when n.SequenceEqual("securityContext"u8): fields.SecurityContext = property.Value; break;
                    case var n when n.SequenceEqual("command"u8): fields.Command = property.Value; break;
                    case var n when n.SequenceEqual("args"u8): fields.Args = property.Value; break;
                    case var n when n.SequenceEqual("env"u8): fields.Env = property.Value; break;
                    case var n when n.SequenceEqual("envFrom"u8): fields.EnvFrom = property.Value; break;
                    case var n when n.SequenceEqual("volumeMounts"u8): fields.VolumeMounts = property.Value; break;
                    case var n when n.SequenceEqual("resources"u8): fields.Resources = property.Value; break;
                }
            }
            return fields;
        }
    }

    private static List<EnvVarView> ReadEnv(JsonElement env, in JsonPath containerPath, InputErrors errors)
    {
        if (ArrayValue(env, "env"u8, containerPath, errors) is not { } array)
        {
            return [];
        }
        var list = new List<EnvVarView>(array.GetArrayLength());
        var index = 0;
        var envPath = containerPath.Child("env");
        foreach (var item in array.EnumerateArray())
        {
            var path = envPath.Index(index);
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(path, $"expected an env var object, found {Describe(item)}");
                index++;
                continue;
            }
            JsonElement nameValue = default, value = default, valueFrom = default;
            foreach (var property in item.EnumerateObject())
            {
                var raw = RawName(property);
                if (raw.SequenceEqual("name"u8))
                {
                    nameValue = property.Value;
                }
                else if (raw.SequenceEqual("value"u8))
                {
                    value = property.Value;
                }
                else if (raw.SequenceEqual("valueFrom"u8))
                {
                    valueFrom = property.Value;
                }
            }
            var name = StringValue(nameValue, "name"u8, path, errors);
            if (string.IsNullOrEmpty(name))
            {
                errors.Add(path.Child("name"), "an env var needs a name");
                index++;
                continue;
            }
            list.Add(ReadEnvValue(value, valueFrom, name, index, path, errors));
            index++;
        }
        return list;
    }

    private static EnvVarView ReadEnvValue(JsonElement value, JsonElement valueFrom, string name, int index, in JsonPath path, InputErrors errors)
    {
        if (ObjectValue(valueFrom, "valueFrom"u8, path, errors) is not { } from)
        {
            return new EnvVarView(name, index, EnvValueSource.Literal, StringValue(value, "value"u8, path, errors, shared: false) ?? "", null, null);
        }
        var fromPath = path.Child("valueFrom");
        if (Object(from, "secretKeyRef"u8, fromPath, errors) is { } secret)
        {
            var refPath = fromPath.Child("secretKeyRef");
            return new EnvVarView(name, index, EnvValueSource.SecretKey, null, String(secret, "name"u8, refPath, errors), String(secret, "key"u8, refPath, errors));
        }
        if (Object(from, "configMapKeyRef"u8, fromPath, errors) is { } configMap)
        {
            var refPath = fromPath.Child("configMapKeyRef");
            return new EnvVarView(name, index, EnvValueSource.ConfigMapKey, null, String(configMap, "name"u8, refPath, errors), String(configMap, "key"u8, refPath, errors));
        }
        if (from.TryGetProperty("fieldRef"u8, out _))
        {
            return new EnvVarView(name, index, EnvValueSource.Field, null, null, null);
        }
        return new EnvVarView(name, index, EnvValueSource.ResourceField, null, null, null);
    }

    private static List<EnvFromView> ReadEnvFrom(JsonElement envFrom, in JsonPath containerPath, InputErrors errors)
    {
        if (ArrayValue(envFrom, "envFrom"u8, containerPath, errors) is not { } array)
        {
            return [];
        }
        var list = new List<EnvFromView>();
        var index = 0;
        var envFromPath = containerPath.Child("envFrom");
        foreach (var item in array.EnumerateArray())
        {
            var path = envFromPath.Index(index++);
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(path, $"expected an envFrom object, found {Describe(item)}");
                continue;
            }
            var prefix = String(item, "prefix"u8, path, errors);
            if (Object(item, "configMapRef"u8, path, errors) is { } cm && String(cm, "name"u8, path.Child("configMapRef"), errors) is { } cmName)
            {
                list.Add(new EnvFromView(EnvFromKind.ConfigMap, cmName, prefix));
            }
            else if (Object(item, "secretRef"u8, path, errors) is { } secret && String(secret, "name"u8, path.Child("secretRef"), errors) is { } secretName)
            {
                list.Add(new EnvFromView(EnvFromKind.Secret, secretName, prefix));
            }
        }
        return list;
    }

    private static List<MountView> ReadMounts(JsonElement mounts, in JsonPath containerPath, InputErrors errors)
    {
        if (ArrayValue(mounts, "volumeMounts"u8, containerPath, errors) is not { } array)
        {
            return [];
        }
        var list = new List<MountView>(array.GetArrayLength());
        var index = 0;
        var mountsPath = containerPath.Child("volumeMounts");
        foreach (var item in array.EnumerateArray())
        {
            var path = mountsPath.Index(index);
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(path, $"expected a volume mount object, found {Describe(item)}");
                index++;
                continue;
            }
            JsonElement nameValue = default, mountPathValue = default, subPathValue = default, subPathExprValue = default, readOnlyValue = default;
            foreach (var property in item.EnumerateObject())
            {
                switch (RawName(property))
                {
                    case var n when n.SequenceEqual("name"u8): nameValue = property.Value; break;
                    case var n when n.SequenceEqual("mountPath"u8): mountPathValue = property.Value; break;
                    case var n when n.SequenceEqual("subPath"u8): subPathValue = property.Value; break;
                    case var n when n.SequenceEqual("subPathExpr"u8): subPathExprValue = property.Value; break;
                    case var n when n.SequenceEqual("readOnly"u8): readOnlyValue = property.Value; break;
                }
            }
            var name = StringValue(nameValue, "name"u8, path, errors);
            var mountPath = StringValue(mountPathValue, "mountPath"u8, path, errors);
            if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(mountPath))
            {
                errors.Add(path, "a volume mount needs a name and a mountPath");
                index++;
                continue;
            }
            var subPath = StringValue(subPathValue, "subPath"u8, path, errors) ?? StringValue(subPathExprValue, "subPathExpr"u8, path, errors);
            list.Add(new MountView(name, mountPath, string.IsNullOrEmpty(subPath) ? null : subPath, BoolValue(readOnlyValue, "readOnly"u8, path, errors), index));
            index++;
        }
        return list;
    }

    private static List<VolumeView> ReadVolumes(JsonElement spec, string specPointer, in JsonPath specPath, InputErrors errors) =>
        ReadVolumeList(Field(spec, "volumes"u8), specPointer, specPath, errors);

    /// <summary>The pod's volumes from the value of <c>spec.volumes</c> (<c>default</c> when absent).</summary>
    internal static List<VolumeView> ReadVolumeList(JsonElement volumes, string specPointer, in JsonPath specPath, InputErrors errors)
    {
        if (ArrayValue(volumes, "volumes"u8, specPath, errors) is not { } array)
        {
            return [];
        }
        var list = new List<VolumeView>(array.GetArrayLength());
        var index = 0;
        var volumesPath = specPath.Child("volumes");
        foreach (var item in array.EnumerateArray())
        {
            var path = volumesPath.Index(index);
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(path, $"expected a volume object, found {Describe(item)}");
                index++;
                continue;
            }
            var name = String(item, "name"u8, path, errors);
            if (string.IsNullOrEmpty(name))
            {
                errors.Add(path.Child("name"), "a volume needs a name");
                index++;
                continue;
            }
            list.Add(new VolumeView(name, index, ThoroughVolumeSourceReader.Read(item, path, errors))
            {
                Pointer = JsonPointer.Append(specPointer + "/volumes", index),
            });
            index++;
        }
        return list;
    }

    /// <summary>Kinds whose pods AirflowGuard checks, with the JSON pointer of their pod template.</summary>
    private static readonly Dictionary<string, string> TemplatePointers = new(StringComparer.Ordinal)
    {
        ["Pod"] = "",
        ["Deployment"] = "/spec/template",
        ["StatefulSet"] = "/spec/template",
        ["DaemonSet"] = "/spec/template",
        ["ReplicaSet"] = "/spec/template",
        ["ReplicationController"] = "/spec/template",
        ["Job"] = "/spec/template",
        ["CronJob"] = "/spec/jobTemplate/spec/template",
        ["PodTemplate"] = "/template",
    };

    /// <summary>
    /// The pod an object runs: a bare Pod, or the template of a workload. Returns null (with an error)
    /// when the object has no readable template.
    /// </summary>
    /// <param name="path">JSON path of <paramref name="obj"/> for errors, e.g. "request.object".</param>
    /// <param name="kindIfMissing">The kind of an object that names none: items of an API server list carry no kind.</param>
    public static PodView? ReadPod(JsonElement obj, in JsonPath path, InputErrors errors, string? kindIfMissing = null)
    {
        var kind = KubeObjectReader.Kind(obj) ?? kindIfMissing;
        if (kind is null || !TemplatePointers.TryGetValue(kind, out var pointer))
        {
            errors.Add(path.Child("kind"), kind is null ? "the object has no kind" : $"kind {kind} does not run pods");
            return null;
        }
        var meta = ReadMetadata(obj, path, errors);
        var template = obj;
        var templatePath = path;
        foreach (var segment in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            templatePath = templatePath.Child(segment);
            if (!template.TryGetProperty(segment, out var next) || next.ValueKind != JsonValueKind.Object)
            {
                errors.Add(templatePath, $"a {kind} needs {pointer.Replace('/', '.').TrimStart('.')}");
                return null;
            }
            template = next;
        }
        var pod = Read(template, pointer, templatePath, meta.Namespace, errors);
        if (kind == "StatefulSet")
        {
            pod = pod with { Volumes = [.. pod.Volumes, .. ClaimTemplateVolumes(obj, meta.Name ?? "", pod, path, errors)] };
        }
        return kind == "Pod" ? pod with { SourceKind = kind } : pod with
        {
            SourceKind = kind,
            SourceName = meta.Name ?? meta.GenerateName,
            Replicas = ReadReplicas(obj, kind, path, errors),
        };
    }

    /// <summary>
    /// A StatefulSet's volumeClaimTemplates, as the volumes its pods mount: each replica gets its
    /// own claim "{template}-{statefulset}-{ordinal}" from the template's StorageClass.
    /// </summary>
    private static IEnumerable<VolumeView> ClaimTemplateVolumes(JsonElement obj, string statefulSet, PodView pod, JsonPath path, InputErrors errors)
    {
        if (!obj.TryGetProperty("spec"u8, out var spec) || spec.ValueKind != JsonValueKind.Object || !spec.TryGetProperty("volumeClaimTemplates"u8, out var templates) || templates.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }
        var index = 0;
        foreach (var template in templates.EnumerateArray())
        {
            var templatePath = path.Child("spec").Child("volumeClaimTemplates").Index(index);
            if (template.ValueKind != JsonValueKind.Object)
            {
                // null is an absent item; any other value is an error, as the one reader reports it
                if (template.ValueKind != JsonValueKind.Null)
                {
                    errors.Add(templatePath.ToString(), "expected an object");
                }
                index++;
                continue;
            }
            // a null metadata is absent, as Kubernetes reads it; a metadata of another type is an error
            var name = Object(template, "metadata"u8, templatePath, errors) is { } metadata ? String(metadata, "name"u8, templatePath.Child("metadata"), errors) : null;
            if (name is null || pod.FindVolume(name) is not null || Object(template, "spec"u8, templatePath, errors) is not { } claimSpec)
            {
                index++;
                continue;
            }
            var specPath = templatePath.Child("spec");
            // indexes continue the pod's own volumes: they number the volumes the engine caches by
            yield return new VolumeView(name, pod.Volumes.Count + index, new VolumeSource(VolumeSourceKind.ClaimTemplate, $"{name}-{statefulSet}-<ordinal>")
            {
                ClaimTemplate = new ClaimTemplate(String(claimSpec, "storageClassName"u8, specPath, errors), ThoroughVolumeSourceReader.ReadAccessModes(claimSpec, specPath, errors)),
            })
            {
                Pointer = $"/spec/volumeClaimTemplates/{index}",
            };
            index++;
        }
    }

    private static int ReadReplicas(JsonElement obj, string kind, in JsonPath path, InputErrors errors)
    {
        if (kind == "DaemonSet")
        {
            return 2; // one per node: at least two writers on any real cluster
        }
        if (!obj.TryGetProperty("spec"u8, out var spec) || spec.ValueKind != JsonValueKind.Object)
        {
            return 1;
        }
        var field = kind == "Job" ? "parallelism"u8 : "replicas"u8;
        var replicas = Integer(spec, field, path.Child("spec"), errors);
        return replicas is null ? 1 : (int)Math.Clamp(replicas.Value, 0, 10_000);
    }
}
