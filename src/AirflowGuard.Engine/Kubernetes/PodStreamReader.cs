using System.Text.Json;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// Reads a bare Pod into a <see cref="PodView"/> straight from its UTF-8 JSON, in one forward pass with a
/// <see cref="Utf8JsonReader"/>: no <see cref="JsonDocument"/> is built and no field is looked up by
/// scanning its siblings. It is the webhook's fast path, so it is strict: it gives up (returns null) on
/// anything a valid pod as the API server writes it does not have — a field of the wrong type, a
/// repeated field, an escaped field name, a container without a name, an error of any kind. The caller
/// then reads the object with <see cref="KubeObjectReader"/>, which reports what is wrong and where;
/// both readers give the same view of the same pod (tests compare them on every fixture).
/// </summary>
public static class PodStreamReader
{
    private const string SpecPointer = "/spec";

    /// <summary>
    /// Reads the pod the reader is on (its <see cref="JsonTokenType.StartObject"/>), leaving the reader on the
    /// pod's closing brace. Returns null, with the reader anywhere, when the fast path does not apply.
    /// </summary>
    /// <param name="utf8">The bytes the reader reads (from their start), kept for parts parsed later on demand.</param>
    /// <param name="path">The pod's JSON path ("request.object"), for the volume reader's errors (which make it give up).</param>
    public static PodView? TryRead(ref Utf8JsonReader reader, ReadOnlyMemory<byte> utf8, in JsonPath path) => TryRead(ref reader, utf8, path, out _);

    /// <summary>
    /// Reads <paramref name="utf8"/>, a whole JSON document that should be a bare Pod (a spooled manifest object); null
    /// when the fast path does not apply, including anything after the pod or JSON that is not valid.
    /// </summary>
    public static PodView? TryReadDocument(ReadOnlyMemory<byte> utf8, out string? apiVersion)
    {
        apiVersion = null;
        try
        {
            var reader = new Utf8JsonReader(utf8.Span);
            if (!reader.Read())
            {
                return null;
            }
            var pod = TryRead(ref reader, utf8, new JsonPath(""), out apiVersion);
            return pod is not null && !reader.Read() ? pod : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <inheritdoc cref="TryRead(ref Utf8JsonReader, ReadOnlyMemory{byte}, in JsonPath)"/>
    /// <param name="apiVersion">The pod's apiVersion when it is a string, as a JSON element's lookup would give it.</param>
    public static PodView? TryRead(ref Utf8JsonReader reader, ReadOnlyMemory<byte> utf8, in JsonPath path, out string? apiVersion)
    {
        apiVersion = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        string? kind = null;
        ObjectMetadata? metadata = null;
        var hasAnnotations = false;
        Spec? spec = null;
        var seen = 0;
        while (NextProperty(ref reader, out var done))
        {
            if (done)
            {
                break;
            }
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("kind"u8))
            {
                if (!First(ref seen, 1) || reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("Pod"u8))
                {
                    return null;
                }
                kind = "Pod";
            }
            else if (name.SequenceEqual("apiVersion"u8))
            {
                if (!First(ref seen, 8))
                {
                    return null; // twice: which one counts is the thorough reader's business
                }
                apiVersion = reader.TokenType == JsonTokenType.String ? TextPool.Of(ref reader) : null;
                reader.Skip();
            }
            else if (name.SequenceEqual("metadata"u8))
            {
                if (!First(ref seen, 2) || (metadata = ReadMetadata(ref reader, out hasAnnotations)) is null)
                {
                    return null;
                }
            }
            else if (name.SequenceEqual("spec"u8))
            {
                if (!First(ref seen, 4) || (spec = ReadSpec(ref reader, utf8, path)) is null)
                {
                    return null;
                }
            }
            else
            {
                reader.Skip();
            }
        }
        if (kind is null || spec is null || spec.Containers.Count == 0)
        {
            return null;
        }
        return new PodView
        {
            Metadata = metadata ?? ObjectMetadata.Empty,
            MetadataPointer = "/metadata",
            SpecPointer = SpecPointer,
            HasAnnotations = hasAnnotations,
            Containers = spec.Containers,
            InitContainers = spec.InitContainers,
            Volumes = spec.Volumes,
            HasVolumesArray = spec.HasVolumesArray,
            Security = spec.Security,
            SourceKind = "Pod",
        };
    }

    private sealed class Spec
    {
        public List<ContainerView> Containers = [];
        public List<ContainerView> InitContainers = [];
        public List<VolumeView> Volumes = [];
        public bool HasVolumesArray;
        public PodSecurity Security = PodSecurity.None;
    }

    /// <summary>
    /// Moves to the next property name of the object the reader is in; <paramref name="done"/> at its end.
    /// False (give up) for an escaped name, which the view would have to unescape to compare.
    /// </summary>
    public static bool NextProperty(ref Utf8JsonReader reader, out bool done)
    {
        reader.Read();
        done = reader.TokenType == JsonTokenType.EndObject;
        return done || (reader.TokenType == JsonTokenType.PropertyName && !reader.ValueIsEscaped);
    }

    /// <summary>Marks field <paramref name="bit"/> seen; false when it was already (a repeated field).</summary>
    public static bool First(ref int seen, int bit)
    {
        if ((seen & bit) != 0)
        {
            return false;
        }
        seen |= bit;
        return true;
    }

    private static bool IsNull(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null;

    /// <summary>A string value (pooled when <paramref name="shared"/>); false when the value is not a string.</summary>
    private static bool Text(ref Utf8JsonReader reader, bool shared, out string? text)
    {
        text = null;
        if (IsNull(ref reader))
        {
            return true;
        }
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }
        text = shared ? TextPool.Of(ref reader) : reader.GetString();
        return true;
    }

    private static bool Integer(ref Utf8JsonReader reader, out long? value)
    {
        value = null;
        if (IsNull(ref reader))
        {
            return true;
        }
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var number))
        {
            return false;
        }
        value = number;
        return true;
    }

    private static ObjectMetadata? ReadMetadata(ref Utf8JsonReader reader, out bool hasAnnotations)
    {
        hasAnnotations = false;
        if (IsNull(ref reader))
        {
            return ObjectMetadata.Empty;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        string? name = null, generateName = null, @namespace = null;
        var labels = ObjectMetadata.NoEntries;
        var annotations = ObjectMetadata.NoEntries;
        var seen = 0;
        while (NextProperty(ref reader, out var done))
        {
            if (done)
            {
                return new ObjectMetadata(name, generateName, @namespace, labels, annotations);
            }
            var field = reader.ValueSpan;
            reader.Read();
            var ok = field switch
            {
                _ when field.SequenceEqual("name"u8) => First(ref seen, 1) && Text(ref reader, shared: true, out name),
                _ when field.SequenceEqual("generateName"u8) => First(ref seen, 2) && Text(ref reader, shared: true, out generateName),
                _ when field.SequenceEqual("namespace"u8) => First(ref seen, 4) && Text(ref reader, shared: true, out @namespace),
                _ when field.SequenceEqual("labels"u8) => First(ref seen, 8) && StringMap(ref reader, out labels),
                _ when field.SequenceEqual("annotations"u8) => First(ref seen, 16) && Annotations(ref reader, out annotations, out hasAnnotations),
                _ => reader.TrySkip(),
            };
            if (!ok)
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>The annotations, and whether the pod has an annotations object at all (a patch then adds to it).</summary>
    private static bool Annotations(ref Utf8JsonReader reader, out IReadOnlyDictionary<string, string> map, out bool present)
    {
        present = reader.TokenType == JsonTokenType.StartObject;
        return StringMap(ref reader, out map);
    }

    private static bool StringMap(ref Utf8JsonReader reader, out IReadOnlyDictionary<string, string> map)
    {
        map = ObjectMetadata.NoEntries;
        if (IsNull(ref reader))
        {
            return true;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                map = result;
                return true;
            }
            var key = TextPool.Of(ref reader);
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                return false;
            }
            result[key] = TextPool.Of(ref reader);
        }
    }

    private static Spec? ReadSpec(ref Utf8JsonReader reader, ReadOnlyMemory<byte> utf8, in JsonPath path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        var spec = new Spec();
        var seen = 0;
        while (NextProperty(ref reader, out var done))
        {
            if (done)
            {
                return spec;
            }
            var field = reader.ValueSpan;
            reader.Read();
            bool ok;
            if (field.SequenceEqual("containers"u8))
            {
                ok = First(ref seen, 1) && ReadContainers(ref reader, utf8, isInit: false, spec.Containers);
            }
            else if (field.SequenceEqual("initContainers"u8))
            {
                ok = First(ref seen, 2) && ReadContainers(ref reader, utf8, isInit: true, spec.InitContainers);
            }
            else if (field.SequenceEqual("volumes"u8))
            {
                ok = First(ref seen, 4) && ReadVolumes(ref reader, spec, path);
            }
            else if (field.SequenceEqual("securityContext"u8))
            {
                ok = First(ref seen, 8) && ReadPodSecurity(ref reader, spec);
            }
            else
            {
                ok = reader.TrySkip();
            }
            if (!ok)
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>
    /// The pod's volumes. The common sources (claims, emptyDir, hostPath, ConfigMaps, Secrets, projected,
    /// downward API, NFS, CSI) are read in the pass; a volume of another source, or written unusually, is
    /// parsed on its own and read by the same reader as the thorough path.
    /// </summary>
    private static bool ReadVolumes(ref Utf8JsonReader reader, Spec spec, in JsonPath path)
    {
        if (IsNull(ref reader))
        {
            return true;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }
        var list = new List<VolumeView>();
        while (true)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                spec.Volumes = list;
                spec.HasVolumesArray = true;
                return true;
            }
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            var index = list.Count;
            var attempt = reader; // a copy: where to start again if this volume has to be parsed on its own
            if (ReadVolume(ref attempt, out var name, out var source) && !string.IsNullOrEmpty(name))
            {
                reader = attempt;
            }
            else
            {
                var errors = new InputErrors();
                var element = JsonElement.ParseValue(ref reader);
                var volumePath = path.Child("spec").Child("volumes").Index(index);
                name = JsonRead.String(element, "name"u8, volumePath, errors);
                source = VolumeSourceReader.Read(element, volumePath, errors);
                if (errors.Any || string.IsNullOrEmpty(name))
                {
                    return false;
                }
            }
            list.Add(new VolumeView(name, index, source!)); // its pointer, /spec/volumes/{index}, made when asked for
        }
    }

    /// <summary>A volume with its name and exactly one source of the common kinds; false otherwise.</summary>
    private static bool ReadVolume(ref Utf8JsonReader reader, out string? name, out VolumeSource? source)
    {
        name = null;
        source = null;
        var seenName = false;
        while (NextProperty(ref reader, out var done))
        {
            if (done)
            {
                return source is not null;
            }
            var field = reader.ValueSpan;
            reader.Read();
            if (field.SequenceEqual("name"u8))
            {
                if (seenName || !Text(ref reader, shared: true, out name))
                {
                    return false;
                }
                seenName = true;
                continue;
            }
            if (source is not null || IsNull(ref reader))
            {
                return false; // a second source, or a null one: the thorough reader decides
            }
            source = field switch
            {
                _ when field.SequenceEqual("persistentVolumeClaim"u8) => ClaimSource(ref reader),
                _ when field.SequenceEqual("emptyDir"u8) => reader.TrySkip() ? new VolumeSource(VolumeSourceKind.EmptyDir) : null,
                _ when field.SequenceEqual("configMap"u8) => KeysSource(ref reader, VolumeSourceKind.ConfigMap, NameItemsFields),
                _ when field.SequenceEqual("secret"u8) => KeysSource(ref reader, VolumeSourceKind.Secret, SecretNameItemsFields),
                _ when field.SequenceEqual("projected"u8) => ProjectedSource(ref reader),
                _ when field.SequenceEqual("downwardAPI"u8) => reader.TrySkip() ? new VolumeSource(VolumeSourceKind.DownwardApi) : null,
                _ when field.SequenceEqual("hostPath"u8) => HostPathSource(ref reader),
                _ when field.SequenceEqual("nfs"u8) => NfsSource(ref reader),
                _ when field.SequenceEqual("csi"u8) => CsiSource(ref reader),
                _ => null,
            };
            if (source is null)
            {
                return false;
            }
        }
        return false;
    }

    /// <summary>Reads the value of wanted field number <c>field</c> into the state; false to give up.</summary>
    private delegate bool FieldReader<T>(ref Utf8JsonReader reader, int field, ref T state);

    /// <summary>
    /// Reads the fields of the object the reader is on, handing each wanted one (numbered by its place in
    /// <paramref name="fields"/>) to <paramref name="read"/> and skipping the others. False on a repeated
    /// field, an escaped name, or when <paramref name="read"/> refuses a value.
    /// </summary>
    private static bool ReadFields<T>(ref Utf8JsonReader reader, byte[][] fields, FieldReader<T> read, ref T state)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        var seen = 0;
        while (NextProperty(ref reader, out var done))
        {
            if (done)
            {
                return true;
            }
            var field = -1;
            for (var i = 0; i < fields.Length; i++)
            {
                if (reader.ValueSpan.SequenceEqual(fields[i]))
                {
                    field = i;
                    break;
                }
            }
            reader.Read();
            var ok = field < 0 ? reader.TrySkip() : First(ref seen, 1 << field) && read(ref reader, field, ref state);
            if (!ok)
            {
                return false;
            }
        }
        return false;
    }

    // the fields each source's reader wants, numbered by their place
    private static readonly byte[][] ClaimFields = ["claimName"u8.ToArray(), "readOnly"u8.ToArray()];
    private static readonly byte[][] PathFields = ["path"u8.ToArray()];
    private static readonly byte[][] NfsFields = ["server"u8.ToArray(), "path"u8.ToArray(), "readOnly"u8.ToArray()];
    private static readonly byte[][] CsiFields = ["volumeHandle"u8.ToArray(), "driver"u8.ToArray(), "volumeAttributes"u8.ToArray(), "readOnly"u8.ToArray()];
    private static readonly byte[][] NameItemsFields = ["name"u8.ToArray(), "items"u8.ToArray()];
    private static readonly byte[][] SecretNameItemsFields = ["secretName"u8.ToArray(), "items"u8.ToArray()];
    private static readonly byte[][] KeyPathFields = ["key"u8.ToArray(), "path"u8.ToArray()];
    private static readonly byte[][] SourcesFields = ["sources"u8.ToArray()];
    private static readonly byte[][] ProjectionFields = ["configMap"u8.ToArray(), "secret"u8.ToArray()];
    private static readonly byte[][] PodSecurityFields = ["runAsUser"u8.ToArray(), "runAsGroup"u8.ToArray(), "fsGroup"u8.ToArray()];
    private static readonly byte[][] ContainerSecurityFields = ["runAsUser"u8.ToArray(), "runAsGroup"u8.ToArray()];
    private static readonly byte[][] NameFields = ["name"u8.ToArray()];
    private static readonly byte[][] EnvSourceFields = ["secretKeyRef"u8.ToArray(), "configMapKeyRef"u8.ToArray(), "fieldRef"u8.ToArray()];
    private static readonly byte[][] NameKeyFields = ["name"u8.ToArray(), "key"u8.ToArray()];
    private static readonly byte[][] EnvFromFields = ["prefix"u8.ToArray(), "configMapRef"u8.ToArray(), "secretRef"u8.ToArray()];
    private static readonly byte[][] MountFields = ["name"u8.ToArray(), "mountPath"u8.ToArray(), "subPath"u8.ToArray(), "subPathExpr"u8.ToArray(), "readOnly"u8.ToArray()];

    /// <summary>Reads one element of an array (the reader on its first token) into the state; false to give up.</summary>
    private delegate bool ElementReader<T>(ref Utf8JsonReader reader, ref T state);

    /// <summary>
    /// Hands each element of the array the reader is on to <paramref name="read"/>. A JSON null reads as
    /// no array (<paramref name="present"/> false), as the thorough reader reads it. False for anything
    /// but an array or null, or when <paramref name="read"/> refuses an element.
    /// </summary>
    private static bool ReadArray<T>(ref Utf8JsonReader reader, ElementReader<T> read, ref T state, out bool present)
    {
        present = false;
        if (IsNull(ref reader))
        {
            return true;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }
        present = true;
        while (true)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return true;
            }
            if (!read(ref reader, ref state))
            {
                return false;
            }
        }
    }

    private static VolumeSource? ClaimSource(ref Utf8JsonReader reader)
    {
        var state = (Claim: (string?)null, ReadOnly: false);
        if (!ReadFields(ref reader, ClaimFields, static (ref Utf8JsonReader r, int field, ref (string? Claim, bool ReadOnly) s) =>
                field == 0 ? Text(ref r, shared: true, out s.Claim) : Bool(ref r, out s.ReadOnly), ref state) ||
            string.IsNullOrEmpty(state.Claim))
        {
            return null;
        }
        return new VolumeSource(VolumeSourceKind.PersistentVolumeClaim, state.Claim) { ReadOnly = state.ReadOnly };
    }

    private static VolumeSource? HostPathSource(ref Utf8JsonReader reader)
    {
        string? hostPath = null;
        return ReadFields(ref reader, PathFields, static (ref Utf8JsonReader r, int _, ref string? p) => Text(ref r, shared: true, out p), ref hostPath)
            ? new VolumeSource(VolumeSourceKind.HostPath, hostPath)
            : null;
    }

    private static VolumeSource? NfsSource(ref Utf8JsonReader reader)
    {
        var state = (Server: (string?)null, Path: (string?)null, ReadOnly: false);
        return ReadFields(ref reader, NfsFields, static (ref Utf8JsonReader r, int field, ref (string? Server, string? Path, bool ReadOnly) s) => field switch
        {
            0 => Text(ref r, shared: true, out s.Server),
            1 => Text(ref r, shared: true, out s.Path),
            _ => Bool(ref r, out s.ReadOnly),
        }, ref state)
            ? new VolumeSource(VolumeSourceKind.Nfs, $"{state.Server}:{state.Path}") { ReadOnly = state.ReadOnly }
            : null;
    }

    private static VolumeSource? CsiSource(ref Utf8JsonReader reader)
    {
        var state = (Handle: (string?)null, Driver: (string?)null, Attributes: ObjectMetadata.NoEntries, ReadOnly: false);
        return ReadFields(ref reader, CsiFields,
            static (ref Utf8JsonReader r, int field, ref (string? Handle, string? Driver, IReadOnlyDictionary<string, string> Attributes, bool ReadOnly) s) => field switch
            {
                0 => Text(ref r, shared: true, out s.Handle),
                1 => Text(ref r, shared: true, out s.Driver),
                2 => StringMap(ref r, out s.Attributes),
                _ => Bool(ref r, out s.ReadOnly),
            }, ref state)
            ? new VolumeSource(VolumeSourceKind.Csi, state.Handle) { Driver = state.Driver, Attributes = state.Attributes, ReadOnly = state.ReadOnly }
            : null;
    }

    /// <summary>
    /// A configMap or secret volume (named by <c>name</c> or <c>secretName</c>, the first of
    /// <paramref name="fields"/>) or projection (always <c>name</c>): the object's name and the keys it projects.
    /// </summary>
    private static VolumeSource? KeysSource(ref Utf8JsonReader reader, VolumeSourceKind kind, byte[][] fields)
    {
        var state = (Name: (string?)null, Items: (List<ProjectedKey>?)null);
        return ReadFields(ref reader, fields, static (ref Utf8JsonReader r, int field, ref (string? Name, List<ProjectedKey>? Items) s) =>
            field == 0 ? Text(ref r, shared: true, out s.Name) : Items(ref r, out s.Items), ref state)
            ? new VolumeSource(kind, state.Name) { Items = state.Items ?? [] }
            : null;
    }

    /// <summary>The items of a configMap / secret projection: key → path; items without both are left out, as the thorough reader does.</summary>
    private static bool Items(ref Utf8JsonReader reader, out List<ProjectedKey>? items)
    {
        var list = new List<ProjectedKey>();
        var ok = ReadArray(ref reader, static (ref Utf8JsonReader r, ref List<ProjectedKey> l) =>
        {
            var item = (Key: (string?)null, Path: (string?)null);
            if (!ReadFields(ref r, KeyPathFields, static (ref Utf8JsonReader r, int field, ref (string? Key, string? Path) s) =>
                    field == 0 ? Text(ref r, shared: true, out s.Key) : Text(ref r, shared: true, out s.Path), ref item))
            {
                return false;
            }
            if (item.Key is not null && item.Path is not null)
            {
                l.Add(new ProjectedKey(item.Key, item.Path));
            }
            return true;
        }, ref list, out var present);
        items = present ? list : null;
        return ok;
    }

    /// <summary>A projected volume: the ConfigMaps and Secrets among its sources (tokens and downward API carry no data of ours).</summary>
    private static VolumeSource? ProjectedSource(ref Utf8JsonReader reader)
    {
        var sources = new List<ProjectedSource>();
        var ok = ReadFields(ref reader, SourcesFields, static (ref Utf8JsonReader r, int _, ref List<ProjectedSource> list) => ProjectedSources(ref r, list), ref sources);
        return ok ? new VolumeSource(VolumeSourceKind.Projected) { ProjectedSources = sources } : null;
    }

    private static bool ProjectedSources(ref Utf8JsonReader reader, List<ProjectedSource> list) =>
        ReadArray(ref reader, static (ref Utf8JsonReader r, ref List<ProjectedSource> l) =>
        {
            var state = (ConfigMap: (VolumeSource?)null, Secret: (VolumeSource?)null);
            if (!ReadFields(ref r, ProjectionFields, static (ref Utf8JsonReader r, int field, ref (VolumeSource? ConfigMap, VolumeSource? Secret) s) =>
                {
                    if (IsNull(ref r))
                    {
                        return true;
                    }
                    // a projection names its ConfigMap or Secret by "name" alike
                    var source = KeysSource(ref r, field == 0 ? VolumeSourceKind.ConfigMap : VolumeSourceKind.Secret, NameItemsFields);
                    if (field == 0)
                    {
                        s.ConfigMap = source;
                    }
                    else
                    {
                        s.Secret = source;
                    }
                    return source is not null;
                }, ref state))
            {
                return false;
            }
            // as the thorough reader: a ConfigMap source before a Secret one, each only with a name
            if (state.ConfigMap is { Reference: { } cmName } cm)
            {
                l.Add(new ProjectedSource(EnvFromKind.ConfigMap, cmName, cm.Items));
            }
            if (state.Secret is { Reference: { } secretName } secret)
            {
                l.Add(new ProjectedSource(EnvFromKind.Secret, secretName, secret.Items));
            }
            return true;
        }, ref list, out _);

    private static bool ReadPodSecurity(ref Utf8JsonReader reader, Spec spec)
    {
        if (IsNull(ref reader))
        {
            return true;
        }
        var ids = (User: (long?)null, Group: (long?)null, FsGroup: (long?)null);
        if (!ReadFields(ref reader, PodSecurityFields, static (ref Utf8JsonReader r, int field, ref (long? User, long? Group, long? FsGroup) s) => field switch
            {
                0 => Integer(ref r, out s.User),
                1 => Integer(ref r, out s.Group),
                _ => Integer(ref r, out s.FsGroup),
            }, ref ids))
        {
            return false;
        }
        spec.Security = new PodSecurity(ids.User, ids.Group, ids.FsGroup);
        return true;
    }

    private static bool ReadContainers(ref Utf8JsonReader reader, ReadOnlyMemory<byte> utf8, bool isInit, List<ContainerView> list)
    {
        var state = (List: list, Utf8: utf8, IsInit: isInit, Pointer: isInit ? "/spec/initContainers" : "/spec/containers");
        return ReadArray(ref reader, static (ref Utf8JsonReader r, ref (List<ContainerView> List, ReadOnlyMemory<byte> Utf8, bool IsInit, string Pointer) s) =>
        {
            if (ReadContainer(ref r, s.Utf8, s.IsInit, s.List.Count, s.Pointer) is not { } container)
            {
                return false;
            }
            s.List.Add(container);
            return true;
        }, ref state, out _);
    }

    private static ContainerView? ReadContainer(ref Utf8JsonReader reader, ReadOnlyMemory<byte> utf8, bool isInit, int index, string listPointer)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        string? name = null, image = null;
        long? runAsUser = null, runAsGroup = null;
        IReadOnlyList<string> command = [], args = [];
        EnvVarView[]? env = null;
        List<EnvFromView>? envFrom = null;
        MountView[]? mounts = null;
        JsonSource? resources = null;
        var seen = 0;
        while (NextProperty(ref reader, out var done))
        {
            if (done)
            {
                if (string.IsNullOrEmpty(name))
                {
                    return null;
                }
                return new ContainerView
                {
                    Name = name,
                    Image = image,
                    IsInit = isInit,
                    Index = index,
                    ListPointer = listPointer,
                    Command = command,
                    Args = args,
                    Env = env ?? [],
                    HasEnvArray = env is not null,
                    EnvFrom = envFrom ?? [],
                    Mounts = mounts ?? [],
                    HasMountsArray = mounts is not null,
                    RunAsUser = runAsUser,
                    RunAsGroup = runAsGroup,
                    ResourcesSource = resources,
                };
            }
            var field = reader.ValueSpan;
            reader.Read();
            bool ok;
            if (field.SequenceEqual("name"u8))
            {
                ok = First(ref seen, 1) && Text(ref reader, shared: true, out name);
            }
            else if (field.SequenceEqual("image"u8))
            {
                ok = First(ref seen, 2) && Text(ref reader, shared: true, out image);
            }
            else if (field.SequenceEqual("env"u8))
            {
                ok = First(ref seen, 4) && ReadEnv(ref reader, out env);
            }
            else if (field.SequenceEqual("volumeMounts"u8))
            {
                ok = First(ref seen, 8) && ReadMounts(ref reader, out mounts);
            }
            else if (field.SequenceEqual("envFrom"u8))
            {
                ok = First(ref seen, 16) && ReadEnvFrom(ref reader, out envFrom);
            }
            else if (field.SequenceEqual("command"u8))
            {
                ok = First(ref seen, 32) && StringList(ref reader, out command); // never pooled: a command line may carry a password
            }
            else if (field.SequenceEqual("args"u8))
            {
                ok = First(ref seen, 64) && StringList(ref reader, out args);
            }
            else if (field.SequenceEqual("securityContext"u8))
            {
                ok = First(ref seen, 128) && ReadContainerSecurity(ref reader, out runAsUser, out runAsGroup);
            }
            else if (field.SequenceEqual("resources"u8))
            {
                ok = First(ref seen, 256) && Resources(ref reader, utf8, out resources);
            }
            else
            {
                ok = reader.TrySkip();
            }
            if (!ok)
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>The resources object, kept as its bytes: only expression rules read it.</summary>
    private static bool Resources(ref Utf8JsonReader reader, ReadOnlyMemory<byte> utf8, out JsonSource? resources)
    {
        resources = null;
        if (IsNull(ref reader))
        {
            return true;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        resources = JsonSource.FromUtf8(utf8[start..(int)reader.BytesConsumed]);
        return true;
    }

    private static bool StringList(ref Utf8JsonReader reader, out IReadOnlyList<string> list)
    {
        var result = new List<string>();
        var ok = ReadArray(ref reader, static (ref Utf8JsonReader r, ref List<string> l) =>
        {
            if (r.TokenType != JsonTokenType.String)
            {
                return false;
            }
            l.Add(r.GetString()!);
            return true;
        }, ref result, out var present);
        list = present ? result : [];
        return ok;
    }

    private static bool ReadContainerSecurity(ref Utf8JsonReader reader, out long? runAsUser, out long? runAsGroup)
    {
        var ids = (User: (long?)null, Group: (long?)null);
        var ok = IsNull(ref reader) || ReadFields(ref reader, ContainerSecurityFields, static (ref Utf8JsonReader r, int field, ref (long? User, long? Group) s) =>
            field == 0 ? Integer(ref r, out s.User) : Integer(ref r, out s.Group), ref ids);
        (runAsUser, runAsGroup) = ids;
        return ok;
    }

    // lists filled while reading and copied out at their exact size: no growth garbage per container
    [ThreadStatic]
    private static List<EnvVarView>? t_env;

    [ThreadStatic]
    private static List<MountView>? t_mounts;

    private static bool ReadEnv(ref Utf8JsonReader reader, out EnvVarView[]? env)
    {
        var list = t_env ??= new List<EnvVarView>(64);
        list.Clear();
        var ok = ReadArray(ref reader, static (ref Utf8JsonReader r, ref List<EnvVarView> l) =>
        {
            if (ReadEnvVar(ref r, l.Count) is not { } item)
            {
                return false;
            }
            l.Add(item);
            return true;
        }, ref list, out var present);
        env = ok && present ? [.. list] : null;
        list.Clear();
        return ok;
    }

    private static EnvVarView? ReadEnvVar(ref Utf8JsonReader reader, int index)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        string? name = null, value = null;
        var from = default(EnvSource);
        var hasFrom = false;
        var seen = 0;
        while (NextProperty(ref reader, out var done))
        {
            if (done)
            {
                if (string.IsNullOrEmpty(name))
                {
                    return null;
                }
                if (!hasFrom)
                {
                    return new EnvVarView(name, index, EnvValueSource.Literal, value ?? "", null, null);
                }
                return from.Secret is { } secret ? new EnvVarView(name, index, EnvValueSource.SecretKey, null, secret.Name, secret.Key)
                    : from.ConfigMap is { } configMap ? new EnvVarView(name, index, EnvValueSource.ConfigMapKey, null, configMap.Name, configMap.Key)
                    : new EnvVarView(name, index, from.HasFieldRef ? EnvValueSource.Field : EnvValueSource.ResourceField, null, null, null);
            }
            var field = reader.ValueSpan;
            reader.Read();
            bool ok;
            if (field.SequenceEqual("name"u8))
            {
                ok = First(ref seen, 1) && Text(ref reader, shared: true, out name);
            }
            else if (field.SequenceEqual("value"u8))
            {
                ok = First(ref seen, 2) && Text(ref reader, shared: false, out value); // may be a secret: never pooled
            }
            else if (field.SequenceEqual("valueFrom"u8))
            {
                ok = First(ref seen, 4) && ReadEnvSource(ref reader, out from, out hasFrom);
            }
            else
            {
                ok = reader.TrySkip();
            }
            if (!ok)
            {
                return null;
            }
        }
        return null;
    }

    private struct EnvSource
    {
        public (string? Name, string? Key)? Secret, ConfigMap;
        public bool HasFieldRef;
    }

    private static bool ReadEnvSource(ref Utf8JsonReader reader, out EnvSource source, out bool present)
    {
        source = default;
        present = reader.TokenType == JsonTokenType.StartObject;
        return IsNull(ref reader) || ReadFields(ref reader, EnvSourceFields, static (ref Utf8JsonReader r, int field, ref EnvSource s) => field switch
        {
            0 => KeyRef(ref r, out s.Secret),
            1 => KeyRef(ref r, out s.ConfigMap),
            _ => (s.HasFieldRef = true) && r.TrySkip(), // present, whatever its value: the thorough reader asks only that
        }, ref source);
    }

    /// <summary>A secretKeyRef / configMapKeyRef: its name and key; null for a JSON null (as if absent).</summary>
    private static bool KeyRef(ref Utf8JsonReader reader, out (string? Name, string? Key)? reference)
    {
        reference = null;
        if (IsNull(ref reader))
        {
            return true;
        }
        var state = (Name: (string?)null, Key: (string?)null);
        if (!ReadFields(ref reader, NameKeyFields, static (ref Utf8JsonReader r, int field, ref (string? Name, string? Key) s) =>
                field == 0 ? Text(ref r, shared: true, out s.Name) : Text(ref r, shared: true, out s.Key), ref state))
        {
            return false;
        }
        reference = state;
        return true;
    }

    private static bool ReadEnvFrom(ref Utf8JsonReader reader, out List<EnvFromView>? envFrom)
    {
        var list = new List<EnvFromView>();
        var ok = ReadArray(ref reader, static (ref Utf8JsonReader r, ref List<EnvFromView> l) =>
        {
            var refs = (Prefix: (string?)null, ConfigMap: (string?)null, Secret: (string?)null);
            if (!ReadFields(ref r, EnvFromFields, static (ref Utf8JsonReader r, int field, ref (string? Prefix, string? ConfigMap, string? Secret) s) => field switch
                {
                    0 => Text(ref r, shared: true, out s.Prefix),
                    1 => RefName(ref r, out s.ConfigMap),
                    _ => RefName(ref r, out s.Secret),
                }, ref refs))
            {
                return false;
            }
            // as the thorough reader: a ConfigMap reference with a name wins over a Secret one
            if (refs.ConfigMap is not null)
            {
                l.Add(new EnvFromView(EnvFromKind.ConfigMap, refs.ConfigMap, refs.Prefix));
            }
            else if (refs.Secret is not null)
            {
                l.Add(new EnvFromView(EnvFromKind.Secret, refs.Secret, refs.Prefix));
            }
            return true;
        }, ref list, out var present);
        envFrom = present ? list : null;
        return ok;
    }

    /// <summary>The name of a configMapRef / secretRef (null when absent or null).</summary>
    private static bool RefName(ref Utf8JsonReader reader, out string? name)
    {
        name = null;
        return IsNull(ref reader) ||
               ReadFields(ref reader, NameFields, static (ref Utf8JsonReader r, int _, ref string? n) => Text(ref r, shared: true, out n), ref name);
    }

    private static bool ReadMounts(ref Utf8JsonReader reader, out MountView[]? mounts)
    {
        var list = t_mounts ??= new List<MountView>(16);
        list.Clear();
        var ok = ReadArray(ref reader, static (ref Utf8JsonReader r, ref List<MountView> l) =>
        {
            var m = (Name: (string?)null, MountPath: (string?)null, SubPath: (string?)null, SubPathExpr: (string?)null, ReadOnly: false);
            if (!ReadFields(ref r, MountFields, static (ref Utf8JsonReader r, int field, ref (string? Name, string? MountPath, string? SubPath, string? SubPathExpr, bool ReadOnly) s) => field switch
                {
                    0 => Text(ref r, shared: true, out s.Name),
                    1 => Text(ref r, shared: true, out s.MountPath),
                    2 => Text(ref r, shared: true, out s.SubPath),
                    3 => Text(ref r, shared: true, out s.SubPathExpr),
                    _ => Bool(ref r, out s.ReadOnly),
                }, ref m) ||
                string.IsNullOrEmpty(m.Name) || string.IsNullOrEmpty(m.MountPath))
            {
                return false;
            }
            var sub = m.SubPath ?? m.SubPathExpr;
            l.Add(new MountView(m.Name, m.MountPath, string.IsNullOrEmpty(sub) ? null : sub, m.ReadOnly, l.Count));
            return true;
        }, ref list, out var present);
        mounts = ok && present ? [.. list] : null;
        list.Clear();
        return ok;
    }

    private static bool Bool(ref Utf8JsonReader reader, out bool value)
    {
        value = reader.TokenType == JsonTokenType.True;
        return reader.TokenType is JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null;
    }
}
