using System.Text.Json;
using static AirflowGuard.Engine.Kubernetes.JsonTokens;
using static AirflowGuard.Engine.Kubernetes.PodReader;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// Reads the source of a pod volume or of a PersistentVolume's spec, in one pass over its fields. When an object names
/// more than one source, the one Kubernetes would validate first counts: a claim, then emptyDir, hostPath, local,
/// configMap, secret, projected, downwardAPI, nfs, csi, ephemeral, then any other source (by its field name).
/// </summary>
internal static class VolumeSourceReader
{
    private static readonly string[] NonSourceFields = ["name", "accessModes", "capacity", "claimRef", "mountOptions", "nodeAffinity",
        "persistentVolumeReclaimPolicy", "storageClassName", "volumeMode", "volumeAttributesClassName"];

    /// <summary>The source of the object at <paramref name="obj"/> (a PersistentVolume's spec).</summary>
    public static VolumeSource Read(JsonElement obj, in JsonPath path, InputErrors errors)
    {
        var reader = new JsonCursor(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(obj));
        reader.Read();
        return Read(ref reader, path, errors, out _);
    }

    /// <summary>The source of the object the reader is on (a pod volume, with its <paramref name="name"/>), leaving the reader at its end.</summary>
    public static VolumeSource Read(ref JsonCursor reader, in JsonPath path, InputErrors errors, out string? name)
    {
        name = null;
        VolumeSource? best = null;
        var bestRank = int.MaxValue;
        string? other = null;
        while (NextField(ref reader, out var field))
        {
            VolumeSource? source = null;
            var rank = int.MaxValue;
            switch (field)
            {
                case var f when f.SequenceEqual("name"u8):
                    name = Text(ref reader, shared: true, path, "name", errors);
                    continue;
                case var f when f.SequenceEqual("persistentVolumeClaim"u8):
                    (source, rank) = (Claim(ref reader, path.Child("persistentVolumeClaim"), errors), 0);
                    break;
                case var f when f.SequenceEqual("emptyDir"u8):
                    (source, rank) = (EmptyDir(ref reader, path.Child("emptyDir"), errors), 1);
                    break;
                case var f when f.SequenceEqual("hostPath"u8):
                    (source, rank) = (HostPath(ref reader, path.Child("hostPath"), errors), 2);
                    break;
                case var f when f.SequenceEqual("local"u8):
                    (source, rank) = (HostPath(ref reader, path.Child("local"), errors), 3);
                    break;
                case var f when f.SequenceEqual("configMap"u8):
                    (source, rank) = (Keys(ref reader, VolumeSourceKind.ConfigMap, "name"u8, path.Child("configMap"), errors), 4);
                    break;
                case var f when f.SequenceEqual("secret"u8):
                    (source, rank) = (Keys(ref reader, VolumeSourceKind.Secret, "secretName"u8, path.Child("secret"), errors), 5);
                    break;
                case var f when f.SequenceEqual("projected"u8):
                    (source, rank) = (Projected(ref reader, path.Child("projected"), errors), 6);
                    break;
                case var f when f.SequenceEqual("downwardAPI"u8):
                    reader.Skip();
                    (source, rank) = (new VolumeSource(VolumeSourceKind.DownwardApi), 7);
                    break;
                case var f when f.SequenceEqual("nfs"u8):
                    (source, rank) = (Nfs(ref reader, path.Child("nfs"), errors), 8);
                    break;
                case var f when f.SequenceEqual("csi"u8):
                    (source, rank) = (Csi(ref reader, path.Child("csi"), errors), 9);
                    break;
                case var f when f.SequenceEqual("ephemeral"u8):
                    (source, rank) = (Ephemeral(ref reader, path.Child("ephemeral"), errors), 10);
                    break;
                default:
                    if (other is null && reader.TokenType == JsonTokenType.StartObject)
                    {
                        var fieldName = System.Text.Encoding.UTF8.GetString(field);
                        other = Array.IndexOf(NonSourceFields, fieldName) < 0 ? fieldName : null;
                    }
                    reader.Skip();
                    continue;
            }
            if (source is not null && rank <= bestRank) // a field given twice: the last counts, as in a JSON lookup
            {
                (best, bestRank) = (source, rank);
            }
        }
        return best ?? new VolumeSource(VolumeSourceKind.Other) { OtherType = other ?? "unknown" };
    }

    private static VolumeSource? Claim(ref JsonCursor reader, in JsonPath path, InputErrors errors)
    {
        if (!IsObject(ref reader, path, errors))
        {
            return null;
        }
        string? claim = null;
        var readOnly = false;
        while (NextField(ref reader, out var field))
        {
            if (field.SequenceEqual("claimName"u8))
            {
                claim = Text(ref reader, shared: true, path, "claimName", errors);
            }
            else if (field.SequenceEqual("readOnly"u8))
            {
                readOnly = Bool(ref reader, path, "readOnly", errors);
            }
            else
            {
                reader.Skip();
            }
        }
        if (string.IsNullOrEmpty(claim))
        {
            errors.Add(path.Child("claimName"), "a persistentVolumeClaim volume needs a claimName");
        }
        return new VolumeSource(VolumeSourceKind.PersistentVolumeClaim, claim) { ReadOnly = readOnly };
    }

    private static VolumeSource? HostPath(ref JsonCursor reader, in JsonPath path, InputErrors errors)
    {
        if (!IsObject(ref reader, path, errors))
        {
            return null;
        }
        string? hostPath = null;
        while (NextField(ref reader, out var field))
        {
            if (field.SequenceEqual("path"u8))
            {
                hostPath = Text(ref reader, shared: true, path, "path", errors);
            }
            else
            {
                reader.Skip();
            }
        }
        return new VolumeSource(VolumeSourceKind.HostPath, hostPath);
    }

    /// <summary>A configMap or secret volume: its name (under <paramref name="nameField"/>) and the keys it projects.</summary>
    private static VolumeSource? Keys(ref JsonCursor reader, VolumeSourceKind kind, ReadOnlySpan<byte> nameField, in JsonPath path, InputErrors errors)
    {
        if (!IsObject(ref reader, path, errors))
        {
            return null;
        }
        var (name, items) = NameAndItems(ref reader, nameField, path, errors);
        return new VolumeSource(kind, name) { Items = items };
    }

    private static (string? Name, List<ProjectedKey> Items) NameAndItems(ref JsonCursor reader, ReadOnlySpan<byte> nameField, in JsonPath path, InputErrors errors)
    {
        string? name = null;
        List<ProjectedKey> items = [];
        while (NextField(ref reader, out var field))
        {
            if (field.SequenceEqual(nameField))
            {
                name = Text(ref reader, shared: true, path, nameField.SequenceEqual("name"u8) ? "name" : "secretName", errors);
            }
            else if (field.SequenceEqual("items"u8))
            {
                items = Items(ref reader, path.Child("items"), errors);
            }
            else
            {
                reader.Skip();
            }
        }
        return (name, items);
    }

    /// <summary>The keys a configMap, secret or projected source projects, each to its path in the volume.</summary>
    private static List<ProjectedKey> Items(ref JsonCursor reader, in JsonPath path, InputErrors errors)
    {
        if (!IsList(ref reader, path, errors))
        {
            return [];
        }
        var list = new List<ProjectedKey>();
        var index = 0;
        while (NextItem(ref reader))
        {
            var itemPath = path.Index(index++);
            if (!IsObject(ref reader, itemPath, errors))
            {
                continue;
            }
            string? key = null, keyPath = null;
            while (NextField(ref reader, out var field))
            {
                if (field.SequenceEqual("key"u8))
                {
                    key = Text(ref reader, shared: true, itemPath, "key", errors);
                }
                else if (field.SequenceEqual("path"u8))
                {
                    keyPath = Text(ref reader, shared: true, itemPath, "path", errors);
                }
                else
                {
                    reader.Skip();
                }
            }
            if (key is not null && keyPath is not null)
            {
                list.Add(new ProjectedKey(key, keyPath));
            }
        }
        return list;
    }

    /// <summary>A projected volume: the ConfigMaps and Secrets it draws on (a ConfigMap source before a Secret one).</summary>
    private static VolumeSource? Projected(ref JsonCursor reader, in JsonPath path, InputErrors errors)
    {
        if (!IsObject(ref reader, path, errors))
        {
            return null;
        }
        var sources = new List<ProjectedSource>();
        while (NextField(ref reader, out var field))
        {
            if (!field.SequenceEqual("sources"u8) || !IsList(ref reader, path.Child("sources"), errors))
            {
                if (!field.SequenceEqual("sources"u8))
                {
                    reader.Skip();
                }
                continue;
            }
            var index = 0;
            while (NextItem(ref reader))
            {
                var sourcePath = path.Child("sources").Index(index++);
                if (!IsObject(ref reader, sourcePath, errors))
                {
                    continue;
                }
                ProjectedSource? configMap = null, secret = null;
                while (NextField(ref reader, out var kind))
                {
                    if (kind.SequenceEqual("configMap"u8) || kind.SequenceEqual("secret"u8))
                    {
                        var isConfigMap = kind.SequenceEqual("configMap"u8);
                        var at = sourcePath.Child(isConfigMap ? "configMap" : "secret");
                        if (IsObject(ref reader, at, errors) && NameAndItems(ref reader, "name"u8, at, errors) is ({ } name, var items))
                        {
                            var projected = new ProjectedSource(isConfigMap ? EnvFromKind.ConfigMap : EnvFromKind.Secret, name, items);
                            (isConfigMap ? ref configMap : ref secret) = projected;
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                if (configMap is not null)
                {
                    sources.Add(configMap);
                }
                if (secret is not null)
                {
                    sources.Add(secret);
                }
            }
        }
        return new VolumeSource(VolumeSourceKind.Projected) { ProjectedSources = sources };
    }

    private static VolumeSource? Nfs(ref JsonCursor reader, in JsonPath path, InputErrors errors)
    {
        if (!IsObject(ref reader, path, errors))
        {
            return null;
        }
        string? server = null, exportPath = null;
        var readOnly = false;
        while (NextField(ref reader, out var field))
        {
            if (field.SequenceEqual("server"u8))
            {
                server = Text(ref reader, shared: true, path, "server", errors);
            }
            else if (field.SequenceEqual("path"u8))
            {
                exportPath = Text(ref reader, shared: true, path, "path", errors);
            }
            else if (field.SequenceEqual("readOnly"u8))
            {
                readOnly = Bool(ref reader, path, "readOnly", errors);
            }
            else
            {
                reader.Skip();
            }
        }
        return new VolumeSource(VolumeSourceKind.Nfs, $"{server}:{exportPath}") { ReadOnly = readOnly };
    }

    /// <summary>An emptyDir, with its <c>sizeLimit</c> and <c>medium</c> as written (in <see cref="VolumeSource.Attributes"/>), which bound what it holds.</summary>
    private static VolumeSource EmptyDir(ref JsonCursor reader, in JsonPath path, InputErrors errors)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip(); // present, whatever its value
            return new VolumeSource(VolumeSourceKind.EmptyDir);
        }
        Dictionary<string, string>? attributes = null;
        while (NextField(ref reader, out var field))
        {
            if (field.SequenceEqual("sizeLimit"u8) && reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
            {
                // a quantity is a string ("1Gi") or a bare number of bytes
                (attributes ??= new(StringComparer.Ordinal))["sizeLimit"] = reader.TokenType == JsonTokenType.Number
                    ? System.Text.Encoding.UTF8.GetString(reader.ValueSpan)
                    : reader.GetString()!;
            }
            else if (field.SequenceEqual("medium"u8) && Text(ref reader, shared: true, path, "medium", errors) is { Length: > 0 } medium)
            {
                (attributes ??= new(StringComparer.Ordinal))["medium"] = medium;
            }
            else
            {
                reader.Skip();
            }
        }
        return new VolumeSource(VolumeSourceKind.EmptyDir) { Attributes = attributes ?? ObjectMetadata.NoEntries };
    }

    private static VolumeSource? Csi(ref JsonCursor reader, in JsonPath path, InputErrors errors)
    {
        if (!IsObject(ref reader, path, errors))
        {
            return null;
        }
        string? handle = null, driver = null;
        var attributes = ObjectMetadata.NoEntries;
        var readOnly = false;
        while (NextField(ref reader, out var field))
        {
            if (field.SequenceEqual("volumeHandle"u8))
            {
                handle = Text(ref reader, shared: true, path, "volumeHandle", errors);
            }
            else if (field.SequenceEqual("driver"u8))
            {
                driver = Text(ref reader, shared: true, path, "driver", errors);
            }
            else if (field.SequenceEqual("volumeAttributes"u8))
            {
                attributes = StringMap(ref reader, path, "volumeAttributes", errors);
            }
            else if (field.SequenceEqual("readOnly"u8))
            {
                readOnly = Bool(ref reader, path, "readOnly", errors);
            }
            else
            {
                reader.Skip();
            }
        }
        return new VolumeSource(VolumeSourceKind.Csi, handle) { Driver = driver, Attributes = attributes, ReadOnly = readOnly };
    }

    /// <summary>A generic ephemeral volume: the StorageClass and access modes of its claim template.</summary>
    private static VolumeSource? Ephemeral(ref JsonCursor reader, in JsonPath path, InputErrors errors)
    {
        if (!IsObject(ref reader, path, errors))
        {
            return null;
        }
        ClaimTemplate? template = null;
        while (NextField(ref reader, out var field))
        {
            if (field.SequenceEqual("volumeClaimTemplate"u8) && IsObject(ref reader, path.Child("volumeClaimTemplate"), errors))
            {
                while (NextField(ref reader, out var templateField))
                {
                    if (templateField.SequenceEqual("spec"u8) && IsObject(ref reader, path.Child("volumeClaimTemplate").Child("spec"), errors))
                    {
                        template = ReadClaimSpec(ref reader, path.Child("volumeClaimTemplate").Child("spec"), errors);
                    }
                    else if (!templateField.SequenceEqual("spec"u8))
                    {
                        reader.Skip();
                    }
                }
            }
            else if (!field.SequenceEqual("volumeClaimTemplate"u8))
            {
                reader.Skip();
            }
        }
        return new VolumeSource(VolumeSourceKind.Ephemeral) { ClaimTemplate = template };
    }

    /// <summary>The access modes a claim (or PersistentVolume) spec asks for.</summary>
    public static AccessModes ReadAccessModes(JsonElement spec, in JsonPath path, InputErrors errors)
    {
        var modes = AccessModes.None;
        foreach (var text in JsonRead.StringList(spec, "accessModes"u8, path, errors))
        {
            modes |= AccessModesText.Parse(text);
        }
        return modes;
    }
}
