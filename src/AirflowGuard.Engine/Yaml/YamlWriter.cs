using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Yaml;

/// <summary>
/// Writes JSON as YAML that reads back as the same JSON under the rules <see cref="YamlJson"/> (and
/// Kubernetes) use: strings that would read as numbers, booleans or null are quoted.
/// </summary>
public static class YamlWriter
{
    public static void WriteDocuments(IEnumerable<JsonNode?> documents, TextWriter output)
    {
        foreach (var document in documents)
        {
            var stream = new YamlStream(new YamlDocument(ToYaml(document)));
            using var text = new StringWriter();
            stream.Save(text, assignAnchors: false);
            var yaml = text.ToString().ReplaceLineEndings("\n");
            if (yaml.EndsWith("...\n", StringComparison.Ordinal))
            {
                yaml = yaml[..^4]; // the emitter's document end marker; "---" separates documents instead
            }
            output.WriteLine("---");
            output.Write(yaml.EndsWith('\n') ? yaml : yaml + "\n");
        }
    }

    private static YamlNode ToYaml(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var mapping = new YamlMappingNode();
                foreach (var (key, value) in obj)
                {
                    mapping.Add(Scalar(key), ToYaml(value));
                }
                return mapping;
            case JsonArray array:
                var sequence = new YamlSequenceNode();
                foreach (var item in array)
                {
                    sequence.Add(ToYaml(item));
                }
                return sequence;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return Scalar(value.GetValue<string>());
            case JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                return new YamlScalarNode(value.GetValue<bool>() ? "true" : "false");
            case JsonValue value:
                return new YamlScalarNode(value.ToJsonString());
            default:
                return new YamlScalarNode("null");
        }
    }

    /// <summary>
    /// Multi-line text (a pod_template_file, an airflow.cfg) written as a literal block reads back the
    /// same when no line starts the block with a space or ends in one, and nothing needs escaping.
    /// </summary>
    private static bool ReadsBackAsLiteral(string text)
    {
        if (!text.Contains('\n', StringComparison.Ordinal) || text[0] is ' ' or '\n')
        {
            return false;
        }
        foreach (var line in text.Split('\n'))
        {
            if (line.Length > 0 && (line[^1] is ' ' or '\t'))
            {
                return false;
            }
            foreach (var c in line)
            {
                if (char.IsControl(c) && c != '\t' || c is '\uFEFF' or '\u0085' or '\u2028' or '\u2029')
                {
                    return false;
                }
            }
        }
        return true;
    }

    private static YamlScalarNode Scalar(string text)
    {
        var plainReadsAsString = YamlJson.ToJson(new YamlScalarNode(text) { Style = ScalarStyle.Plain }) is JsonValue v && v.GetValueKind() == JsonValueKind.String &&
            text.Length > 0 && text.Trim() == text && !text.Contains('\n', StringComparison.Ordinal);
        return new YamlScalarNode(text) { Style = plainReadsAsString ? ScalarStyle.Any : ReadsBackAsLiteral(text) ? ScalarStyle.Literal : ScalarStyle.DoubleQuoted };
    }
}
