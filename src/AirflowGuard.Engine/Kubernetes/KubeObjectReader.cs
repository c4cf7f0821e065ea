using System.Text;
using System.Text.Json;
using static AirflowGuard.Engine.Kubernetes.JsonRead;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>Reads the kinds AirflowGuard understands from submitted JSON objects.</summary>
public static class KubeObjectReader
{
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

    public static bool CarriesPods(string? kind) => kind is not null && TemplatePointers.ContainsKey(kind);

    public static string? Kind(JsonElement obj) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty("kind"u8, out var kind) && kind.ValueKind == JsonValueKind.String ? kind.GetString() : null;

    /// <summary>
    /// The pod an object runs: a bare Pod, or the template of a workload. Returns null (with an error)
    /// when the object has no readable template.
    /// </summary>
    /// <param name="path">JSON path of <paramref name="obj"/> for errors, e.g. "request.object".</param>
    /// <param name="kindIfMissing">The kind of an object that names none: items of an API server list carry no kind.</param>
    public static PodView? ReadPod(JsonElement obj, in JsonPath path, InputErrors errors, string? kindIfMissing = null)
    {
        var kind = Kind(obj) ?? kindIfMissing;
        if (kind is null || !TemplatePointers.TryGetValue(kind, out var pointer))
        {
            errors.Add(path.Child("kind"), kind is null ? "the object has no kind" : $"kind {kind} does not run pods");
            return null;
        }
        var meta = PodReader.ReadMetadata(obj, path, errors);
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
        var pod = PodReader.Read(template, pointer, templatePath, meta.Namespace, errors);
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
        if (!obj.TryGetProperty("spec"u8, out var spec) || !spec.TryGetProperty("volumeClaimTemplates"u8, out var templates) || templates.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }
        var index = 0;
        foreach (var template in templates.EnumerateArray())
        {
            var templatePath = path.Child("spec").Child("volumeClaimTemplates").Index(index);
            var name = template.TryGetProperty("metadata"u8, out var metadata) ? String(metadata, "name"u8, templatePath.Child("metadata"), errors) : null;
            if (name is null || pod.FindVolume(name) is not null || Object(template, "spec"u8, templatePath, errors) is not { } claimSpec)
            {
                index++;
                continue;
            }
            var specPath = templatePath.Child("spec");
            // indexes continue the pod's own volumes: they number the volumes the engine caches by
            yield return new VolumeView(name, pod.Volumes.Count + index, new VolumeSource(VolumeSourceKind.ClaimTemplate, $"{name}-{statefulSet}-<ordinal>")
            {
                ClaimTemplate = new ClaimTemplate(String(claimSpec, "storageClassName"u8, specPath, errors), VolumeSourceReader.ReadAccessModes(claimSpec, specPath, errors)),
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

    public static PersistentVolumeClaimInfo ReadClaim(JsonElement obj, in JsonPath path, InputErrors errors)
    {
        var meta = PodReader.ReadMetadata(obj, path, errors);
        var spec = Object(obj, "spec"u8, path, errors) ?? default;
        var specPath = path.Child("spec");
        return spec.ValueKind != JsonValueKind.Object
            ? new PersistentVolumeClaimInfo(meta.Namespace ?? "default", meta.Name ?? "", null, null, AccessModes.None)
            : new PersistentVolumeClaimInfo(
                meta.Namespace ?? "default",
                meta.Name ?? "",
                String(spec, "volumeName"u8, specPath, errors),
                String(spec, "storageClassName"u8, specPath, errors),
                VolumeSourceReader.ReadAccessModes(spec, specPath, errors))
            {
                Selector = KubeLabelSelector.Read(spec, "selector"u8, specPath, errors),
                Request = Object(spec, "resources"u8, specPath, errors) is { } resources ? StorageIn(resources, "requests"u8, specPath.Child("resources"), errors) : null,
            };
    }

    public static PersistentVolumeInfo ReadPersistentVolume(JsonElement obj, in JsonPath path, InputErrors errors)
    {
        var meta = PodReader.ReadMetadata(obj, path, errors);
        var specPath = path.Child("spec");
        if (Object(obj, "spec"u8, path, errors) is not { } spec)
        {
            errors.Add(specPath, "a PersistentVolume needs a spec");
            return new PersistentVolumeInfo(meta.Name ?? "", new VolumeSource(VolumeSourceKind.Other) { OtherType = "unknown" }, AccessModes.None);
        }
        string? claimNamespace = null, claimName = null;
        if (Object(spec, "claimRef"u8, specPath, errors) is { } claimRef)
        {
            claimNamespace = String(claimRef, "namespace"u8, specPath.Child("claimRef"), errors);
            claimName = String(claimRef, "name"u8, specPath.Child("claimRef"), errors);
        }
        return new PersistentVolumeInfo(meta.Name ?? "", VolumeSourceReader.Read(spec, specPath, errors), VolumeSourceReader.ReadAccessModes(spec, specPath, errors))
        {
            MountOptions = StringList(spec, "mountOptions"u8, specPath, errors),
            HasMountOptionsArray = spec.TryGetProperty("mountOptions"u8, out var options) && options.ValueKind == JsonValueKind.Array,
            StorageClassName = String(spec, "storageClassName"u8, specPath, errors),
            ClaimNamespace = claimNamespace,
            ClaimName = claimName,
            Labels = meta.Labels,
            Capacity = StorageIn(spec, "capacity"u8, specPath, errors),
        };
    }

    /// <summary>The "storage" entry of a resource list (requests, capacity), as written; numbers are read as text.</summary>
    private static string? StorageIn(JsonElement parent, ReadOnlySpan<byte> property, in JsonPath path, InputErrors errors)
    {
        if (Object(parent, property, path, errors) is not { } list || !list.TryGetProperty("storage"u8, out var storage))
        {
            return null;
        }
        return storage.ValueKind switch
        {
            JsonValueKind.String => storage.GetString(),
            JsonValueKind.Number => storage.GetRawText(),
            _ => null,
        };
    }

    public static StorageClassInfo ReadStorageClass(JsonElement obj, in JsonPath path, InputErrors errors)
    {
        var meta = PodReader.ReadMetadata(obj, path, errors);
        var isDefault = meta.Annotations.TryGetValue("storageclass.kubernetes.io/is-default-class", out var flag) &&
                        string.Equals(flag, "true", StringComparison.OrdinalIgnoreCase);
        return new StorageClassInfo(meta.Name ?? "", String(obj, "provisioner"u8, path, errors) ?? "", isDefault)
        {
            MountOptions = StringList(obj, "mountOptions"u8, path, errors),
            Parameters = StringMap(obj, "parameters"u8, path, errors),
        };
    }

    /// <summary>A ConfigMap's data, or a Secret's data (base64-decoded) merged with its stringData.</summary>
    /// <param name="kindIfMissing">Secret for the items of a Secret list, which carry no kind (their data is base64).</param>
    public static ConfigData ReadConfigData(JsonElement obj, in JsonPath path, InputErrors errors, string kindIfMissing = "ConfigMap")
    {
        var kind = Kind(obj) ?? kindIfMissing;
        var meta = PodReader.ReadMetadata(obj, path, errors);
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in StringMap(obj, "data"u8, path, errors))
        {
            if (kind == "Secret")
            {
                try
                {
                    data[key] = Encoding.UTF8.GetString(Convert.FromBase64String(value));
                }
                catch (FormatException)
                {
                    errors.Add(path.Child("data").Child(key), "Secret data must be base64");
                }
            }
            else
            {
                data[key] = value;
            }
        }
        foreach (var (key, value) in StringMap(obj, "stringData"u8, path, errors))
        {
            data[key] = value;
        }
        return new ConfigData(kind, meta.Namespace ?? "default", meta.Name ?? "", data);
    }
}
