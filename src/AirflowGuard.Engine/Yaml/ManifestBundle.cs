using System.Text.Json;
using AirflowGuard.Engine.Kubernetes;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Yaml;

/// <summary>
/// One Kubernetes object from a manifest file, as JSON, with where it was written. The JSON may still be bytes
/// (<see cref="JsonSource.FromUtf8"/>), parsed when first read: <c>check</c> reads bare Pods from the bytes in one
/// pass (<see cref="TryReadBarePod"/>) and never parses them.
/// </summary>
public sealed record ManifestObject(JsonSource Source, string File, int Line, int DocumentIndex)
{
    private readonly (bool Known, string? Value) _kind;

    public ManifestObject(JsonElement json, string file, int line, int documentIndex)
        : this(new JsonSource(json), file, line, documentIndex)
    {
    }

    /// <summary>The object (parsed on first use when it came as bytes).</summary>
    public JsonElement Json => Source.Element;

    /// <summary>The kind, as <see cref="Kubernetes.KubeObjectReader.Kind"/> reads it, noted by a reader that saw it go by, so <see cref="Kind"/> needs no parse.</summary>
    public string? NotedKind
    {
        get => _kind.Value;
        init => _kind = (true, value);
    }

    public string? Kind => _kind.Known ? _kind.Value : Kubernetes.KubeObjectReader.Kind(Json);

    /// <summary>apiVersion, metadata.namespace and metadata.name (each when a string), noted by a reader that saw them go by.</summary>
    public NotedIdentity? Noted { get; init; }

    /// <summary>
    /// A bare Pod read in one pass from the object's bytes, with its apiVersion (when a string); null when that
    /// does not apply (another kind, JSON already parsed, anything unusual or wrong): then read <see cref="Json"/>
    /// with <see cref="KubeObjectReader"/>, which gives the same view and says what is wrong.
    /// </summary>
    public PodView? TryReadBarePod(out string? apiVersion)
    {
        apiVersion = null;
        return _kind is (true, "Pod") && Source.Utf8 is { } utf8 ? PodStreamReader.TryReadDocument(utf8, out apiVersion) : null;
    }

    public string Location => $"{File}:{Line}";

    /// <summary>For an object embedded in another (a pod_template_file in a ConfigMap): where.</summary>
    public EmbeddedTemplate? EmbeddedIn { get; init; }
}

/// <summary>What reports name an object by, read with it: each field as a JSON lookup of a string gives it, or null.</summary>
public sealed record NotedIdentity(string? ApiVersion, string? Namespace, string? Name);

/// <summary>Where an embedded pod template lives: the data key of a ConfigMap.</summary>
public sealed record EmbeddedTemplate(string Key, string ConfigMap)
{
    public override string ToString() => $"{Key} in ConfigMap {ConfigMap}";
}

/// <summary>A problem reading a manifest file, located by file:line:column.</summary>
public sealed record ManifestError(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>Reads multi-document YAML or JSON manifests (helm template output, kubectl List objects).</summary>
public static class ManifestBundle
{
    /// <summary>Reads a whole file at once (see <see cref="ManifestReader"/> to read one document at a time).</summary>
    public static (IReadOnlyList<ManifestObject> Objects, IReadOnlyList<ManifestError> Errors) Read(string file, string text)
    {
        var objects = new List<ManifestObject>();
        var errors = new List<ManifestError>();
        foreach (var (obj, error) in ManifestReader.Read(new StringReader(text), file))
        {
            if (obj is not null)
            {
                objects.Add(obj);
            }
            if (error is not null)
            {
                errors.Add(error);
            }
        }
        return (objects, errors);
    }

    /// <summary>The objects of one document read into YAML nodes: a List's items, a ConfigMap's embedded pod templates.</summary>
    internal static void ReadDocument(YamlNode root, string file, ref int index, List<ManifestObject> objects, List<ManifestError> errors)
    {
        if (root is YamlScalarNode { Value: null or "" })
        {
            return;
        }
        if (root is not YamlMappingNode)
        {
            errors.Add(new ManifestError(file, (int)root.Start.Line, (int)root.Start.Column, $"a manifest document must be an object, found {YamlNodeReader.Describe(root)}"));
            return;
        }
        var json = ToElement(root);
        if (Kubernetes.KubeObjectReader.Kind(json) == "List" && root is YamlMappingNode list &&
            list.Children.TryGetValue(new YamlScalarNode("items"), out var items) && items is YamlSequenceNode sequence)
        {
            foreach (var item in sequence.Children)
            {
                objects.Add(new ManifestObject(ToElement(item), file, (int)item.Start.Line, index++));
            }
            return;
        }
        objects.Add(new ManifestObject(json, file, (int)root.Start.Line, index++));
        if (Kubernetes.KubeObjectReader.Kind(json) == "ConfigMap")
        {
            foreach (var embedded in PodTemplateFiles((YamlMappingNode)root, json, file, errors))
            {
                objects.Add(embedded with { DocumentIndex = index++ });
            }
        }
    }

    /// <summary>
    /// The KubernetesExecutor pod template that Airflow charts keep in a ConfigMap
    /// (<c>pod_template_file.yaml</c>): parsed from the embedded YAML and labelled as the executor
    /// labels the task pods it creates from it, so it is checked as a task pod.
    /// </summary>
    private static IEnumerable<ManifestObject> PodTemplateFiles(YamlMappingNode configMap, JsonElement json, string file, List<ManifestError> errors)
    {
        if (!configMap.Children.TryGetValue(new YamlScalarNode("data"), out var data) || data is not YamlMappingNode entries)
        {
            yield break;
        }
        var name = json.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("name", out var n) ? n.GetString() : null;
        var @namespace = metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("namespace", out var ns) ? ns.GetString() : null;
        foreach (var (keyNode, valueNode) in entries.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } || valueNode is not YamlScalarNode { Value: { } text } ||
                !(key.EndsWith(".yaml", StringComparison.Ordinal) || key.EndsWith(".yml", StringComparison.Ordinal)) ||
                !key.Contains("pod_template", StringComparison.Ordinal) && !key.Contains("pod-template", StringComparison.Ordinal))
            {
                continue;
            }
            // a block scalar's text starts on the line after its indicator
            var firstLine = (int)valueNode.Start.Line + (valueNode is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Literal or YamlDotNet.Core.ScalarStyle.Folded } ? 1 : 0);
            var (inner, innerErrors) = Read(file, text);
            foreach (var error in innerErrors)
            {
                errors.Add(error with { Line = error.Line + firstLine - 1, Message = $"in {key} of ConfigMap {name}: {error.Message}" });
            }
            foreach (var pod in inner.Where(o => o.Kind == "Pod"))
            {
                var labelled = System.Text.Json.Nodes.JsonNode.Parse(pod.Json.GetRawText())!.AsObject();
                var meta = (labelled["metadata"] ??= new System.Text.Json.Nodes.JsonObject()).AsObject();
                var labels = (meta["labels"] ??= new System.Text.Json.Nodes.JsonObject()).AsObject();
                labels["kubernetes_executor"] = "True";
                if (meta["namespace"] is null && @namespace is not null)
                {
                    meta["namespace"] = @namespace; // the executor creates task pods in its own namespace
                }
                using var document = JsonDocument.Parse(labelled.ToJsonString());
                yield return new ManifestObject(document.RootElement.Clone(), file, pod.Line + firstLine - 1, 0)
                {
                    EmbeddedIn = new EmbeddedTemplate(key, name ?? ""),
                };
            }
        }
    }

    private static JsonElement ToElement(YamlNode node)
    {
        var json = YamlJson.ToJson(node)?.ToJsonString() ?? "null";
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
