using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Yaml;

/// <summary>One Kubernetes object from a manifest file, as JSON, with where it was written.</summary>
public sealed record ManifestObject(JsonElement Json, string File, int Line, int DocumentIndex)
{
    public string? Kind => Kubernetes.KubeObjectReader.Kind(Json);

    public string Location => $"{File}:{Line}";
}

/// <summary>A problem reading a manifest file, located by file:line:column.</summary>
public sealed record ManifestError(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>Reads multi-document YAML or JSON manifests (helm template output, kubectl List objects).</summary>
public static class ManifestBundle
{
    public static (IReadOnlyList<ManifestObject> Objects, IReadOnlyList<ManifestError> Errors) Read(string file, string text)
    {
        var objects = new List<ManifestObject>();
        var errors = new List<ManifestError>();
        var stream = YamlText.Load(text, out var syntaxError);
        if (stream is null)
        {
            errors.Add(new ManifestError(file, syntaxError!.Value.Line, syntaxError.Value.Column, syntaxError.Value.Message));
            return (objects, errors);
        }
        var index = 0;
        foreach (var document in stream.Documents)
        {
            var root = document.RootNode;
            if (root is YamlScalarNode { Value: null or "" })
            {
                continue;
            }
            if (root is not YamlMappingNode)
            {
                errors.Add(new ManifestError(file, (int)root.Start.Line, (int)root.Start.Column, $"a manifest document must be an object, found {YamlNodeReader.Describe(root)}"));
                continue;
            }
            var json = ToElement(root);
            if (Kubernetes.KubeObjectReader.Kind(json) == "List" && root is YamlMappingNode list &&
                list.Children.TryGetValue(new YamlScalarNode("items"), out var items) && items is YamlSequenceNode sequence)
            {
                foreach (var item in sequence.Children)
                {
                    objects.Add(new ManifestObject(ToElement(item), file, (int)item.Start.Line, index++));
                }
                continue;
            }
            objects.Add(new ManifestObject(json, file, (int)root.Start.Line, index++));
        }
        return (objects, errors);
    }

    private static JsonElement ToElement(YamlNode node)
    {
        var json = YamlJson.ToJson(node)?.ToJsonString() ?? "null";
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
