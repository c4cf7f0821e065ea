using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Yaml;

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
        var json = YamlJson.ToElement(root);
        if (Kubernetes.KubeObjectReader.Kind(json) == "List" && root is YamlMappingNode list &&
            list.Children.TryGetValue(new YamlScalarNode("items"), out var items) && items is YamlSequenceNode sequence)
        {
            foreach (var item in sequence.Children)
            {
                objects.Add(new ManifestObject(YamlJson.ToElement(item), file, (int)item.Start.Line, index++));
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
        Dictionary<string, string>? labelsOfConfigMap = null;
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
                    EmbeddedIn = new EmbeddedTemplate(key, name ?? "") { ConfigMapLabels = labelsOfConfigMap ??= Labels(metadata) },
                };
            }
        }
    }

    private static Dictionary<string, string> Labels(JsonElement metadata)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("labels", out var node) && node.ValueKind == JsonValueKind.Object)
        {
            foreach (var label in node.EnumerateObject())
            {
                if (label.Value.ValueKind == JsonValueKind.String)
                {
                    labels[label.Name] = label.Value.GetString()!;
                }
            }
        }
        return labels;
    }
}
