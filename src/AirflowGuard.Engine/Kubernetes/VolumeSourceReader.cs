using System.Text.Json;
using static AirflowGuard.Engine.Kubernetes.JsonRead;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>Reads the source of a pod volume or a PersistentVolume spec.</summary>
internal static class VolumeSourceReader
{
    private static readonly string[] NonSourceFields = ["name", "accessModes", "capacity", "claimRef", "mountOptions", "nodeAffinity",
        "persistentVolumeReclaimPolicy", "storageClassName", "volumeMode", "volumeAttributesClassName"];

    public static VolumeSource Read(JsonElement volume, string path, InputErrors errors)
    {
        if (Object(volume, "persistentVolumeClaim", path, errors) is { } pvc)
        {
            var claim = String(pvc, "claimName", Child(path, "persistentVolumeClaim"), errors);
            if (string.IsNullOrEmpty(claim))
            {
                errors.Add(Child(Child(path, "persistentVolumeClaim"), "claimName"), "a persistentVolumeClaim volume needs a claimName");
            }
            return new VolumeSource(VolumeSourceKind.PersistentVolumeClaim, claim) { ReadOnly = Bool(pvc, "readOnly", Child(path, "persistentVolumeClaim"), errors) };
        }
        if (volume.TryGetProperty("emptyDir", out _))
        {
            return new VolumeSource(VolumeSourceKind.EmptyDir);
        }
        if (Object(volume, "hostPath", path, errors) is { } hostPath)
        {
            return new VolumeSource(VolumeSourceKind.HostPath, String(hostPath, "path", Child(path, "hostPath"), errors));
        }
        if (Object(volume, "local", path, errors) is { } local)
        {
            return new VolumeSource(VolumeSourceKind.HostPath, String(local, "path", Child(path, "local"), errors));
        }
        if (Object(volume, "configMap", path, errors) is { } configMap)
        {
            var cmPath = Child(path, "configMap");
            return new VolumeSource(VolumeSourceKind.ConfigMap, String(configMap, "name", cmPath, errors)) { Items = ReadItems(configMap, cmPath, errors) };
        }
        if (Object(volume, "secret", path, errors) is { } secret)
        {
            var secretPath = Child(path, "secret");
            return new VolumeSource(VolumeSourceKind.Secret, String(secret, "secretName", secretPath, errors)) { Items = ReadItems(secret, secretPath, errors) };
        }
        if (Object(volume, "projected", path, errors) is { } projected)
        {
            return new VolumeSource(VolumeSourceKind.Projected) { ProjectedSources = ReadProjected(projected, Child(path, "projected"), errors) };
        }
        if (volume.TryGetProperty("downwardAPI", out _))
        {
            return new VolumeSource(VolumeSourceKind.DownwardApi);
        }
        if (Object(volume, "nfs", path, errors) is { } nfs)
        {
            var nfsPath = Child(path, "nfs");
            return new VolumeSource(VolumeSourceKind.Nfs, $"{String(nfs, "server", nfsPath, errors)}:{String(nfs, "path", nfsPath, errors)}")
            {
                ReadOnly = Bool(nfs, "readOnly", nfsPath, errors),
            };
        }
        if (Object(volume, "csi", path, errors) is { } csi)
        {
            var csiPath = Child(path, "csi");
            return new VolumeSource(VolumeSourceKind.Csi, String(csi, "volumeHandle", csiPath, errors))
            {
                Driver = String(csi, "driver", csiPath, errors),
                Attributes = StringMap(csi, "volumeAttributes", csiPath, errors),
                ReadOnly = Bool(csi, "readOnly", csiPath, errors),
            };
        }
        if (Object(volume, "ephemeral", path, errors) is { } ephemeral)
        {
            return new VolumeSource(VolumeSourceKind.Ephemeral) { ClaimTemplate = ReadClaimTemplate(ephemeral, Child(path, "ephemeral"), errors) };
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

    private static ClaimTemplate? ReadClaimTemplate(JsonElement ephemeral, string path, InputErrors errors)
    {
        if (Object(ephemeral, "volumeClaimTemplate", path, errors) is not { } template ||
            Object(template, "spec", Child(path, "volumeClaimTemplate"), errors) is not { } spec)
        {
            return null;
        }
        var specPath = Child(Child(path, "volumeClaimTemplate"), "spec");
        return new ClaimTemplate(String(spec, "storageClassName", specPath, errors), ReadAccessModes(spec, specPath, errors));
    }

    public static AccessModes ReadAccessModes(JsonElement spec, string path, InputErrors errors)
    {
        var modes = AccessModes.None;
        foreach (var text in StringList(spec, "accessModes", path, errors))
        {
            modes |= AccessModesText.Parse(text);
        }
        return modes;
    }

    private static List<ProjectedKey> ReadItems(JsonElement source, string path, InputErrors errors)
    {
        if (Array(source, "items", path, errors) is not { } items)
        {
            return [];
        }
        var list = new List<ProjectedKey>();
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var itemPath = Index(Child(path, "items"), index++);
            if (item.ValueKind == JsonValueKind.Object &&
                String(item, "key", itemPath, errors) is { } key && String(item, "path", itemPath, errors) is { } keyPath)
            {
                list.Add(new ProjectedKey(key, keyPath));
            }
        }
        return list;
    }

    private static List<ProjectedSource> ReadProjected(JsonElement projected, string path, InputErrors errors)
    {
        if (Array(projected, "sources", path, errors) is not { } sources)
        {
            return [];
        }
        var list = new List<ProjectedSource>();
        var index = 0;
        foreach (var source in sources.EnumerateArray())
        {
            var sourcePath = Index(Child(path, "sources"), index++);
            if (source.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            if (Object(source, "configMap", sourcePath, errors) is { } cm && String(cm, "name", Child(sourcePath, "configMap"), errors) is { } cmName)
            {
                list.Add(new ProjectedSource(EnvFromKind.ConfigMap, cmName, ReadItems(cm, Child(sourcePath, "configMap"), errors)));
            }
            if (Object(source, "secret", sourcePath, errors) is { } secret && String(secret, "name", Child(sourcePath, "secret"), errors) is { } secretName)
            {
                list.Add(new ProjectedSource(EnvFromKind.Secret, secretName, ReadItems(secret, Child(sourcePath, "secret"), errors)));
            }
        }
        return list;
    }
}
