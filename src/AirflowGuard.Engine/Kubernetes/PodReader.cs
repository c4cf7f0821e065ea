using System.Text.Json;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// The one reader of pods: a bare Pod, or the pod template of a Deployment, StatefulSet, DaemonSet, ReplicaSet,
/// ReplicationController, Job, CronJob (<c>spec.jobTemplate.spec.template</c>) or PodTemplate, read into a
/// <see cref="PodView"/> straight from its UTF-8 JSON in one forward pass with a <see cref="JsonCursor"/> — no
/// <see cref="JsonDocument"/>, no lookup that scans an object's siblings. Every wrong value is reported with its JSON
/// path (<c>request.object.spec.containers[1].env[0].value</c>) and reading goes on, so that one pass names every
/// problem. Property names written with escapes are read as their text; a repeated field counts once, the last, as a
/// JSON lookup would. The webhook reads reviews with it in the same pass (<c>AdmissionReviewReader</c>), and
/// <c>check</c> reads the objects it spooled.
/// </summary>
public static partial class PodReader
{
    /// <summary>Kinds whose pods AirflowGuard checks, with the fields from the object to its pod template.</summary>
    private static readonly Dictionary<string, string[]> Layouts = new(StringComparer.Ordinal)
    {
        ["Pod"] = [],
        ["Deployment"] = ["spec", "template"],
        ["StatefulSet"] = ["spec", "template"],
        ["DaemonSet"] = ["spec", "template"],
        ["ReplicaSet"] = ["spec", "template"],
        ["ReplicationController"] = ["spec", "template"],
        ["Job"] = ["spec", "template"],
        ["CronJob"] = ["spec", "jobTemplate", "spec", "template"],
        ["PodTemplate"] = ["template"],
    };

    /// <summary>Whether objects of <paramref name="kind"/> run pods AirflowGuard checks.</summary>
    public static bool CarriesPods(string? kind) => kind is not null && Layouts.ContainsKey(kind);

    /// <summary>
    /// Reads <paramref name="utf8"/>, one JSON object (a manifest's object, a review's <c>object</c>), as the pod it
    /// runs. Null, with the reason in <paramref name="errors"/>, when it runs none (no kind, a kind without pods, no
    /// template); otherwise the view, with every wrong value in <paramref name="errors"/>.
    /// </summary>
    /// <param name="kindIfMissing">The kind of an object that names none (the items of an API server list, a review's <c>request.kind</c>).</param>
    /// <param name="path">The object's JSON path for errors ("request.object", or "" for a manifest).</param>
    public static PodView? Read(ReadOnlyMemory<byte> utf8, string? kindIfMissing, in JsonPath path, InputErrors errors) =>
        Read(utf8, kindIfMissing, path, errors, out _);

    /// <summary>Reads <paramref name="obj"/>, already parsed, as the pod it runs (from its bytes, by the same reader).</summary>
    public static PodView? Read(JsonElement obj, string? kindIfMissing, in JsonPath path, InputErrors errors) =>
        Read(new JsonSource(obj).Text, kindIfMissing, path, errors, out _);

    /// <inheritdoc cref="Read(ReadOnlyMemory{byte}, string?, in JsonPath, InputErrors)"/>
    /// <param name="header">The object's apiVersion, kind and own metadata (a workload's, not its template's), as written.</param>
    public static PodView? Read(ReadOnlyMemory<byte> utf8, string? kindIfMissing, in JsonPath path, InputErrors errors, out ObjectHeader header)
    {
        var reader = new JsonCursor(utf8.Span, 1024);
        reader.Read();
        return Read(ref reader, utf8, kindIfMissing, path, errors, out header);
    }

    /// <summary>
    /// Reads the object the reader is on (its <see cref="JsonTokenType.StartObject"/>), leaving the reader on the
    /// object's closing brace; see <see cref="Read(ReadOnlyMemory{byte}, string?, in JsonPath, InputErrors)"/>.
    /// </summary>
    /// <param name="utf8">The bytes the reader reads, from their start: the parts read later (resources) are kept as a slice of them.</param>
    public static PodView? Read(ref JsonCursor reader, ReadOnlyMemory<byte> utf8, string? kindIfMissing, in JsonPath path, InputErrors errors, out ObjectHeader header)
    {
        string? apiVersion = null;
        header = new ObjectHeader(null, null, ObjectMetadata.Empty);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            errors.Add(path.ToString() is { Length: > 0 } at ? at : "(document)", $"expected an object, found {JsonTokens.Describe(ref reader)}");
            reader.Skip();
            return null;
        }
        var state = new ObjectState(utf8, path, errors);
        while (JsonTokens.NextField(ref reader, out var name))
        {
            if (name.SequenceEqual("kind"u8))
            {
                state.Kind = reader.TokenType == JsonTokenType.String ? TextPool.Of(ref reader) : null;
                reader.Skip();
            }
            else if (name.SequenceEqual("apiVersion"u8))
            {
                apiVersion = reader.TokenType == JsonTokenType.String ? TextPool.Of(ref reader) : null;
                reader.Skip();
            }
            else if (name.SequenceEqual("metadata"u8))
            {
                state.Metadata = ReadMetadata(ref reader, path.Child("metadata"), errors, out state.HasAnnotations);
            }
            else if (name.SequenceEqual("spec"u8) || name.SequenceEqual("template"u8))
            {
                var field = name.SequenceEqual("spec"u8) ? "spec" : "template";
                if (state.Kind is not null || state.Known)
                {
                    state.Known = true;
                    ReadLayoutField(ref reader, field, ref state);
                }
                else
                {
                    // the kind comes later (or never): read this once it is known
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    (state.Deferred ??= []).Add((field, start..(int)reader.BytesConsumed));
                }
            }
            else
            {
                reader.Skip();
            }
        }
        header = new ObjectHeader(apiVersion, state.Kind, state.Metadata ?? ObjectMetadata.Empty);
        state.Kind ??= kindIfMissing;
        foreach (var (field, range) in state.Deferred ?? [])
        {
            var later = new JsonCursor(utf8.Span[range], 1024);
            later.Read();
            state.Offset = range.Start.Value;
            ReadLayoutField(ref later, field, ref state);
        }
        return state.Finish();
    }

    /// <summary>What reading an object gathers until its end; its fields are read in whatever order they come.</summary>
    private struct ObjectState(ReadOnlyMemory<byte> utf8, JsonPath path, InputErrors errors)
    {
        public readonly ReadOnlyMemory<byte> Utf8 = utf8;
        public readonly JsonPath Path = path;
        public readonly InputErrors Errors = errors;
        public string? Kind;
        public bool Known;
        public ObjectMetadata? Metadata;
        public bool HasAnnotations;
        public List<(string Field, Range Range)>? Deferred;

        /// <summary>Where the bytes a deferred reader reads start in <see cref="Utf8"/>.</summary>
        public int Offset;

        // the pod template, when found: its metadata, spec, and whether each level of the layout was there
        public ObjectMetadata? TemplateMetadata;
        public bool TemplateHasAnnotations;
        public bool TemplateSeen;
        public Spec? Spec;
        public bool SpecSeen;
        public string? MissingAt;
        public long? Replicas;
        public List<(string Name, ClaimTemplate Template, int Index)>? ClaimTemplates;

        public readonly string[]? Layout => Kind is not null && Layouts.TryGetValue(Kind, out var layout) ? layout : null;

        public PodView? Finish()
        {
            if (Kind is null || Layout is not { } layout)
            {
                Errors.Add(Path.Child("kind"), Kind is null ? "the object has no kind" : $"kind {Kind} does not run pods");
                return null;
            }
            var metadata = Metadata ?? ObjectMetadata.Empty;
            var pointer = layout.Length == 0 ? "" : "/" + string.Join('/', layout);
            if (layout.Length > 0 && !TemplateSeen)
            {
                Errors.Add(MissingAt ?? Path.Child(layout[0]).ToString(), $"a {Kind} needs {string.Join('.', layout)}");
                return null;
            }
            var podMetadata = layout.Length == 0 ? metadata : TemplateMetadata ?? ObjectMetadata.Empty;
            if (podMetadata.Namespace is null && metadata.Namespace is not null)
            {
                podMetadata = podMetadata with { Namespace = metadata.Namespace };
            }
            var specPath = TemplatePath(layout).Child("spec");
            var spec = Spec;
            if (spec is null)
            {
                Errors.Add(specPath, "the pod spec is missing");
            }
            else if (spec.Containers.Count == 0 && !spec.ContainersWrong)
            {
                Errors.Add(specPath.Child("containers"), "a pod needs at least one container");
            }
            var volumes = spec?.Volumes ?? [];
            if (ClaimTemplates is { Count: > 0 } templates && Kind == "StatefulSet")
            {
                volumes = [.. volumes, .. ClaimTemplateVolumes(templates, metadata.Name ?? "", volumes)];
            }
            var view = new PodView
            {
                Metadata = podMetadata,
                MetadataPointer = pointer + "/metadata",
                SpecPointer = pointer + "/spec",
                HasAnnotations = layout.Length == 0 ? HasAnnotations : TemplateHasAnnotations,
                Containers = spec?.Containers ?? [],
                InitContainers = spec?.InitContainers ?? [],
                Volumes = volumes,
                HasVolumesArray = spec?.HasVolumesArray ?? false,
                Security = spec?.Security ?? PodSecurity.None,
                ServiceAccountName = spec?.ServiceAccount,
                SourceKind = Kind,
            };
            return Kind == "Pod" ? view : view with
            {
                SourceName = metadata.Name ?? metadata.GenerateName,
                Replicas = Kind == "DaemonSet" ? 2 : Replicas is { } replicas ? (int)Math.Clamp(replicas, 0, 10_000) : 1,
            };
        }

        public readonly JsonPath TemplatePath(string[] layout)
        {
            var path = Path;
            foreach (var segment in layout)
            {
                path = path.Child(segment);
            }
            return path;
        }
    }

    /// <summary>
    /// A StatefulSet's volumeClaimTemplates, as the volumes its pods mount: each replica gets its own claim
    /// "{template}-{statefulset}-{ordinal}" from the template's StorageClass. A template named like one of the pod's
    /// own volumes is the pod's volume; indexes continue the pod's own volumes (they number the volumes the engine caches by).
    /// </summary>
    private static IEnumerable<VolumeView> ClaimTemplateVolumes(List<(string Name, ClaimTemplate Template, int Index)> templates, string statefulSet, IReadOnlyList<VolumeView> own)
    {
        foreach (var (name, template, index) in templates)
        {
            if (own.Any(v => v.Name == name))
            {
                continue;
            }
            yield return new VolumeView(name, own.Count + index, new VolumeSource(VolumeSourceKind.ClaimTemplate, $"{name}-{statefulSet}-<ordinal>") { ClaimTemplate = template })
            {
                Pointer = $"/spec/volumeClaimTemplates/{index}",
            };
        }
    }

    /// <summary>
    /// A field of the object on the way to its pod template (<c>spec</c>, <c>template</c>), read as the kind's layout
    /// says; for a bare Pod, <c>spec</c> is the pod spec.
    /// </summary>
    private static void ReadLayoutField(ref JsonCursor reader, string field, ref ObjectState state)
    {
        if (state.Layout is not { } layout)
        {
            reader.Skip(); // a kind without pods: said once, at the end
            return;
        }
        if (layout.Length == 0)
        {
            if (field == "spec")
            {
                state.SpecSeen = true;
                state.Spec = ReadSpec(ref reader, ref state, "/spec", state.Path.Child("spec"));
            }
            else
            {
                reader.Skip();
            }
            return;
        }
        if (layout[0] != field)
        {
            reader.Skip();
            return;
        }
        ReadLevel(ref reader, ref state, layout, 1, state.Path.Child(field));
    }

    /// <summary>
    /// The object at <c>layout[..level]</c>: on the way to the template, the next field of the layout (and a
    /// workload's replicas and claim templates); at the end of it, the pod template's metadata and spec.
    /// </summary>
    private static void ReadLevel(ref JsonCursor reader, ref ObjectState state, string[] layout, int level, in JsonPath path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            state.MissingAt ??= path.ToString();
            reader.Skip();
            return;
        }
        var atTemplate = level == layout.Length;
        if (atTemplate)
        {
            state.TemplateSeen = true;
        }
        var workloadSpec = level == 1 && layout[0] == "spec";
        var sawNext = false;
        while (JsonTokens.NextField(ref reader, out var name))
        {
            if (atTemplate && name.SequenceEqual("metadata"u8))
            {
                state.TemplateMetadata = ReadMetadata(ref reader, path.Child("metadata"), state.Errors, out state.TemplateHasAnnotations);
            }
            else if (atTemplate && name.SequenceEqual("spec"u8))
            {
                state.SpecSeen = true;
                state.Spec = ReadSpec(ref reader, ref state, "/" + string.Join('/', layout) + "/spec", path.Child("spec"));
            }
            else if (!atTemplate && Is(name, layout[level]))
            {
                sawNext = true;
                ReadLevel(ref reader, ref state, layout, level + 1, path.Child(layout[level]));
            }
            else if (workloadSpec && (name.SequenceEqual(state.Kind == "Job" ? "parallelism"u8 : "replicas"u8)))
            {
                state.Replicas = Integer(ref reader, path, state.Kind == "Job" ? "parallelism" : "replicas", state.Errors);
            }
            else if (workloadSpec && state.Kind == "StatefulSet" && name.SequenceEqual("volumeClaimTemplates"u8))
            {
                state.ClaimTemplates = ReadClaimTemplates(ref reader, path.Child("volumeClaimTemplates"), state.Errors);
            }
            else
            {
                reader.Skip();
            }
        }
        if (!atTemplate && !sawNext)
        {
            state.MissingAt ??= path.Child(layout[level]).ToString();
        }
    }

    private static bool Is(ReadOnlySpan<byte> name, string field) => name.Length == field.Length && System.Text.Ascii.Equals(name, field);

    /// <summary>A StatefulSet's volumeClaimTemplates: each one's name, StorageClass and access modes.</summary>
    private static List<(string, ClaimTemplate, int)>? ReadClaimTemplates(ref JsonCursor reader, in JsonPath path, InputErrors errors)
    {
        if (!IsList(ref reader, path, errors))
        {
            return null;
        }
        var list = new List<(string, ClaimTemplate, int)>();
        var index = 0;
        while (JsonTokens.NextItem(ref reader))
        {
            var itemPath = path.Index(index);
            if (!IsObject(ref reader, itemPath, errors))
            {
                index++;
                continue;
            }
            string? name = null;
            ClaimTemplate? template = null;
            while (JsonTokens.NextField(ref reader, out var field))
            {
                if (field.SequenceEqual("metadata"u8))
                {
                    if (!IsObject(ref reader, itemPath.Child("metadata"), errors))
                    {
                        continue;
                    }
                    while (JsonTokens.NextField(ref reader, out var metadataField))
                    {
                        if (metadataField.SequenceEqual("name"u8))
                        {
                            name = Text(ref reader, shared: true, itemPath.Child("metadata"), "name", errors);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else if (field.SequenceEqual("spec"u8))
                {
                    template = IsObject(ref reader, itemPath.Child("spec"), errors) ? ReadClaimSpec(ref reader, itemPath.Child("spec"), errors) : null;
                }
                else
                {
                    reader.Skip();
                }
            }
            if (name is not null && template is not null)
            {
                list.Add((name, template, index));
            }
            index++;
        }
        return list;
    }

    /// <summary>A claim template's spec (the reader on its start): its StorageClass and access modes.</summary>
    internal static ClaimTemplate ReadClaimSpec(ref JsonCursor reader, in JsonPath path, InputErrors errors)
    {
        string? storageClass = null;
        var modes = AccessModes.None;
        while (JsonTokens.NextField(ref reader, out var field))
        {
            if (field.SequenceEqual("storageClassName"u8))
            {
                storageClass = Text(ref reader, shared: true, path, "storageClassName", errors);
            }
            else if (field.SequenceEqual("accessModes"u8))
            {
                foreach (var text in StringList(ref reader, shared: true, path, "accessModes", errors))
                {
                    modes |= AccessModesText.Parse(text);
                }
            }
            else
            {
                reader.Skip();
            }
        }
        return new ClaimTemplate(storageClass, modes);
    }
}
