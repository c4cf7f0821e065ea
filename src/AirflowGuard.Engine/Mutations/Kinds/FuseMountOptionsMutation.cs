using System.Text.Json.Nodes;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Storage;
using AirflowGuard.Engine.Yaml;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Mutations;

/// <summary>
/// Injects uid / gid / umask (and allow_other) into object-storage FUSE mounts, in each driver's
/// own syntax (seed 000: ossfs needs <c>-o uid=… -o gid=… -o umask=002</c> for non-root images).
/// Applies to inline CSI volumes in pods and to PersistentVolume objects. Options the volume
/// already sets are never changed: the owner's explicit choice wins.
/// </summary>
internal sealed class FuseMountOptionsMutation : Mutation, IPersistentVolumeMutation
{
    internal static MutationKind Definition { get; } = new("fuseMountOptions", "injects uid, gid and umask into object-storage FUSE mounts, in each driver's syntax")
    {
        BodySchema = """
            {
              "type": "object",
              "additionalProperties": false,
              "minProperties": 1,
              "properties": {
                "uid": {
                  "$ref": "#/definitions/idSource"
                },
                "gid": {
                  "$ref": "#/definitions/idSource"
                },
                "umask": {
                  "type": "string",
                  "pattern": "^[0-7]{3,4}$"
                },
                "allowOther": {
                  "type": "boolean"
                }
              }
            }
            """,
        Read = Read,
    };

    public override string Kind => Definition.Key;

    public IdSource? Uid { get; init; }
    public IdSource? Gid { get; init; }

    /// <summary>Octal umask such as "002"; drivers without a umask option get file and dir modes instead.</summary>
    public string? Umask { get; init; }
    public bool AllowOther { get; init; }

    internal override void Apply(EvaluationContext context, PodEdits edits, MutationReport report)
    {
        foreach (var volume in context.Pod.Volumes.AsReadOnlySpan())
        {
            if (volume.Source.Kind != VolumeSourceKind.Csi || context.Drivers.Find(volume.Source.Driver) is not { } driver ||
                driver.ClassFor(volume.Source.Attributes) != BackingClass.ObjectStorageFuse)
            {
                continue;
            }
            var path = JsonPathText.FromPointer(volume.Pointer);
            if (driver.MountOptions?.Inline is not { Attribute: { } attribute } place)
            {
                report.Skipped($"volume {volume.Name}: the catalogue knows no inline mount-option syntax for {driver.Title}", path);
                continue;
            }
            var uid = Resolve(Uid, context, "uid", report, path);
            var gid = Resolve(Gid, context, "gid", report, path);
            var wanted = Render(driver.MountOptions, uid, gid);
            var (key, current) = FindAttribute(volume.Source.Attributes, attribute);
            var missing = Missing(wanted, MountOptionText.Split(place.Style, current ?? ""));
            if (missing.Count == 0)
            {
                continue;
            }
            var value = MountOptionText.Append(place.Style, current ?? "", missing);
            if (volume.Source.Attributes.Count == 0)
            {
                edits.Set(PatchOperation.Add(volume.Pointer + "/csi/volumeAttributes", new JsonObject { [attribute] = value }));
            }
            else
            {
                var pointer = JsonPointer.Append(volume.Pointer + "/csi/volumeAttributes", key ?? attribute);
                edits.Set(current is null ? PatchOperation.Add(pointer, value) : PatchOperation.Replace(pointer, value));
            }
        }
    }

    /// <summary>The operations that bring a PersistentVolume's options up to the policy; empty when already there.</summary>
    void IPersistentVolumeMutation.ApplyToPersistentVolume(PersistentVolumeInfo volume, DriverCatalog drivers, List<PatchOperation> operations, MutationReport report)
    {
        if (volume.Source.Kind != VolumeSourceKind.Csi || drivers.Find(volume.Source.Driver) is not { } driver ||
            driver.ClassFor(volume.Source.Attributes) != BackingClass.ObjectStorageFuse)
        {
            return;
        }
        if (driver.MountOptions?.PersistentVolume is not { } place)
        {
            report.Skipped($"PersistentVolume {volume.Name}: the catalogue knows no mount-option syntax for {driver.Title}", "spec.csi");
            return;
        }
        var wanted = Render(driver.MountOptions, Uid?.Fixed ?? Uid?.Default, Gid?.Fixed ?? Gid?.Default);
        if (place.Style == OptionStyle.List)
        {
            var missing = Missing(wanted, volume.MountOptions);
            if (missing.Count == 0)
            {
                return;
            }
            if (!volume.HasMountOptionsArray)
            {
                operations.Add(PatchOperation.Add("/spec/mountOptions", new JsonArray([.. missing.Select(m => (JsonNode)JsonValue.Create(m))])));
                return;
            }
            foreach (var option in missing)
            {
                operations.Add(PatchOperation.Add("/spec/mountOptions/-", JsonValue.Create(option)));
            }
            return;
        }
        var (key, current) = FindAttribute(volume.Source.Attributes, place.Attribute!);
        var missingInString = Missing(wanted, MountOptionText.Split(place.Style, current ?? ""));
        if (missingInString.Count == 0)
        {
            return;
        }
        var value = MountOptionText.Append(place.Style, current ?? "", missingInString);
        if (volume.Source.Attributes.Count == 0)
        {
            operations.Add(PatchOperation.Add("/spec/csi/volumeAttributes", new JsonObject { [place.Attribute!] = value }));
            return;
        }
        var pointer = JsonPointer.Append("/spec/csi/volumeAttributes", key ?? place.Attribute!);
        operations.Add(current is null ? PatchOperation.Add(pointer, value) : PatchOperation.Replace(pointer, value));
    }

    private List<string> Render(MountOptionSyntax syntax, long? uid, long? gid)
    {
        var options = new List<string>(5);
        void Add(string name, string placeholder, string? value)
        {
            if (value is not null && syntax.Templates.TryGetValue(name, out var template))
            {
                options.Add(template.Replace(placeholder, value, StringComparison.Ordinal));
            }
        }
        Add("uid", "{uid}", uid?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("gid", "{gid}", gid?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Umask is not null)
        {
            if (syntax.Templates.ContainsKey("umask"))
            {
                Add("umask", "{umask}", Umask);
            }
            else
            {
                var (fileMode, dirMode) = MountOptionText.ModesFor(Umask);
                Add("fileMode", "{fileMode}", fileMode);
                Add("dirMode", "{dirMode}", dirMode);
            }
        }
        if (AllowOther)
        {
            Add("allowOther", "{allowOther}", "");
        }
        return options;
    }

    private static List<string> Missing(List<string> wanted, IReadOnlyList<string> existing)
    {
        var keys = new HashSet<string>(existing.Select(MountOptionText.KeyOf), StringComparer.Ordinal);
        return wanted.FindAll(option => !keys.Contains(MountOptionText.KeyOf(option)));
    }

    /// <summary>volumeAttributes keys are case-insensitive for some drivers (OSS): find the key as written.</summary>
    private static (string? Key, string? Value) FindAttribute(IReadOnlyDictionary<string, string> attributes, string attribute)
    {
        foreach (var (key, value) in attributes)
        {
            if (string.Equals(key, attribute, StringComparison.OrdinalIgnoreCase))
            {
                return (key, value);
            }
        }
        return (null, null);
    }

    private static long? Resolve(IdSource? source, EvaluationContext context, string what, MutationReport report, string path)
    {
        if (source is null)
        {
            return null;
        }
        if (source.Fixed is { } value)
        {
            return value;
        }
        var fromPod = source.FromPod switch
        {
            IdField.RunAsUser => FirstAirflow(context)?.RunAsUser ?? context.Pod.Security.RunAsUser,
            IdField.RunAsGroup => FirstAirflow(context)?.RunAsGroup ?? context.Pod.Security.RunAsGroup,
            IdField.FsGroup => context.Pod.Security.FsGroup,
            _ => null,
        };
        if (fromPod is null && source.Default is null)
        {
            report.Skipped($"{what}: the pod sets no {source.FromPod} and the policy gives no default", path);
        }
        return fromPod ?? source.Default;
    }

    private static ContainerView? FirstAirflow(EvaluationContext context) => (context.AirflowContainers is [var first, ..] ? first : null);

    private static FuseMountOptionsMutation? Read(KindBody body)
    {
        var reader = body.Reader;
        var map = body.Map("uid", "gid", "umask", "allowOther");
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
            Location = body.Location,
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
}
