using System.Text;
using System.Text.Json;
using static AirflowGuard.Engine.Kubernetes.JsonRead;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>Reads the objects pods refer to (claims, volumes, classes, ConfigMaps, Secrets) from JSON; pods are read by <see cref="PodReader"/>.</summary>
public static class KubeObjectReader
{
    /// <summary>Whether objects of <paramref name="kind"/> run pods AirflowGuard checks (read by <see cref="PodReader"/>).</summary>
    public static bool CarriesPods(string? kind) => PodReader.CarriesPods(kind);

    public static string? Kind(JsonElement obj) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty("kind"u8, out var kind) && kind.ValueKind == JsonValueKind.String ? kind.GetString() : null;

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

    public static ServiceAccountInfo ReadServiceAccount(JsonElement obj, in JsonPath path, InputErrors errors)
    {
        var meta = PodReader.ReadMetadata(obj, path, errors);
        return new ServiceAccountInfo(meta.Namespace ?? "default", meta.Name ?? "", meta.Annotations);
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
