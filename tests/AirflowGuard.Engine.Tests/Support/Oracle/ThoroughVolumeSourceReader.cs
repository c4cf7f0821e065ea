using System.Text.Json;
using AirflowGuard.Engine.Kubernetes;
using static AirflowGuard.Engine.Kubernetes.JsonRead;

namespace AirflowGuard.Engine.Tests.Support.Oracle;

/// <summary>The oracle's volume source reader (see <see cref="ThoroughPodReader"/>).</summary>
internal static class ThoroughVolumeSourceReader
{
    private static readonly string[] NonSourceFields = ["name", "accessModes", "capacity", "claimRef", "mountOptions", "nodeAffinity",
        "persistentVolumeReclaimPolicy", "storageClassName", "volumeMode", "volumeAttributesClassName"];

    public static VolumeSource Read(JsonElement volume, in JsonPath path, InputErrors errors)
    {
        if (Object(volume, "persistentVolumeClaim"u8, path, errors) is { } pvc)
        {
            var claim = String(pvc, "claimName"u8, path.Child("persistentVolumeClaim"), errors);
            if (string.IsNullOrEmpty(claim))
            {
                errors.Add(path.Child("persistentVolumeClaim").Child("claimName"), "a persistentVolumeClaim volume needs a claimName");
            }
            return new VolumeSource(VolumeSourceKind.PersistentVolumeClaim, claim) { ReadOnly = Bool(pvc, "readOnly"u8, path.Child("persistentVolumeClaim"), errors) };
        }
        if (volume.TryGetProperty("emptyDir"u8, out var emptyDir))
        {
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            if (emptyDir.ValueKind == JsonValueKind.Object)
            {
                if (emptyDir.TryGetProperty("sizeLimit"u8, out var size) && size.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                {
                    attributes["sizeLimit"] = size.ValueKind == JsonValueKind.String ? size.GetString()! : size.GetRawText();
                }
                if (String(emptyDir, "medium"u8, path.Child("emptyDir"), errors) is { Length: > 0 } medium)
                {
                    attributes["medium"] = medium;
                }
            }
            return new VolumeSource(VolumeSourceKind.EmptyDir) { Attributes = attributes.Count == 0 ? ObjectMetadata.NoEntries : attributes };
        }
        if (Object(volume, "hostPath"u8, path, errors) is { } hostPath)
        {
            return new VolumeSource(VolumeSourceKind.HostPath, String(hostPath, "path"u8, path.Child("hostPath"), errors));
        }
        if (Object(volume, "local"u8, path, errors) is { } local)
        {
            return new VolumeSource(VolumeSourceKind.HostPath, String(local, "path"u8, path.Child("local"), errors));
        }
        if (Object(volume, "configMap"u8, path, errors) is { } configMap)
        {
            var cmPath = path.Child("configMap");
            return new VolumeSource(VolumeSourceKind.ConfigMap, String(configMap, "name"u8, cmPath, errors)) { Items = ReadItems(configMap, cmPath, errors) };
        }
        if (Object(volume, "secret"u8, path, errors) is { } secret)
        {
            var secretPath = path.Child("secret");
            return new VolumeSource(VolumeSourceKind.Secret, String(secret, "secretName"u8, secretPath, errors)) { Items = ReadItems(secret, secretPath, errors) };
        }
        if (Object(volume, "projected"u8, path, errors) is { } projected)
        {
            return new VolumeSource(VolumeSourceKind.Projected) { ProjectedSources = ReadProjected(projected, path.Child("projected"), errors) };
        }
        if (volume.TryGetProperty("downwardAPI"u8, out _))
        {
            return new VolumeSource(VolumeSourceKind.DownwardApi);
        }
        if (Object(volume, "nfs"u8, path, errors) is { } nfs)
        {
            var nfsPath = path.Child("nfs");
            return new VolumeSource(VolumeSourceKind.Nfs, $"{String(nfs, "server"u8, nfsPath, errors)}:{String(nfs, "path"u8, nfsPath, errors)}")
            {
                ReadOnly = Bool(nfs, "readOnly"u8, nfsPath, errors),
            };
        }
        if (Object(volume, "csi"u8, path, errors) is { } csi)
        {
            var csiPath = path.Child("csi");
            return new VolumeSource(VolumeSourceKind.Csi, String(csi, "volumeHandle"u8, csiPath, errors))
            {
                Driver = String(csi, "driver"u8, csiPath, errors),
                Attributes = StringMap(csi, "volumeAttributes"u8, csiPath, errors),
                ReadOnly = Bool(csi, "readOnly"u8, csiPath, errors),
            };
        }
        if (Object(volume, "ephemeral"u8, path, errors) is { } ephemeral)
        {
            return new VolumeSource(VolumeSourceKind.Ephemeral) { ClaimTemplate = ReadClaimTemplate(ephemeral, path.Child("ephemeral"), errors) };
        }
        foreach (var property in volume.EnumerateObject())
        {
            if (System.Array.IndexOf(NonSourceFields, property.Name) < 0 && property.Value.ValueKind == JsonValueKind.Object)
            {
                return new VolumeSource(VolumeSourceKind.Other) { OtherType = property.Name };
            }
        }
        return new VolumeSource(VolumeSourceKind.Other) { OtherType = "unknown" };
    }

    private static ClaimTemplate? ReadClaimTemplate(JsonElement ephemeral, in JsonPath path, InputErrors errors)
    {
        if (Object(ephemeral, "volumeClaimTemplate"u8, path, errors) is not { } template ||
            Object(template, "spec"u8, path.Child("volumeClaimTemplate"), errors) is not { } spec)
        {
            return null;
        }
        var specPath = path.Child("volumeClaimTemplate").Child("spec");
        return new ClaimTemplate(String(spec, "storageClassName"u8, specPath, errors), ReadAccessModes(spec, specPath, errors));
    }

    public static AccessModes ReadAccessModes(JsonElement spec, in JsonPath path, InputErrors errors)
    {
        var modes = AccessModes.None;
        foreach (var text in StringList(spec, "accessModes"u8, path, errors))
        {
            modes |= AccessModesText.Parse(text);
        }
        return modes;
    }

    private static List<ProjectedKey> ReadItems(JsonElement source, in JsonPath path, InputErrors errors)
    {
        if (Array(source, "items"u8, path, errors) is not { } items)
        {
            return [];
        }
        var list = new List<ProjectedKey>();
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var itemPath = path.Child("items").Index(index++);
            if (item.ValueKind == JsonValueKind.Object &&
                String(item, "key"u8, itemPath, errors) is { } key && String(item, "path"u8, itemPath, errors) is { } keyPath)
            {
                list.Add(new ProjectedKey(key, keyPath));
            }
        }
        return list;
    }

    private static List<ProjectedSource> ReadProjected(JsonElement projected, in JsonPath path, InputErrors errors)
    {
        if (Array(projected, "sources"u8, path, errors) is not { } sources)
        {
            return [];
        }
        var list = new List<ProjectedSource>();
        var index = 0;
        foreach (var source in sources.EnumerateArray())
        {
            var sourcePath = path.Child("sources").Index(index++);
            if (source.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            if (Object(source, "configMap"u8, sourcePath, errors) is { } cm && String(cm, "name"u8, sourcePath.Child("configMap"), errors) is { } cmName)
            {
                list.Add(new ProjectedSource(EnvFromKind.ConfigMap, cmName, ReadItems(cm, sourcePath.Child("configMap"), errors)));
            }
            if (Object(source, "secret"u8, sourcePath, errors) is { } secret && String(secret, "name"u8, sourcePath.Child("secret"), errors) is { } secretName)
            {
                list.Add(new ProjectedSource(EnvFromKind.Secret, secretName, ReadItems(secret, sourcePath.Child("secret"), errors)));
            }
        }
        return list;
    }
}
