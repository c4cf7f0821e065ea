using System.Text.Json;
using AirflowGuard.Checking;

namespace AirflowGuard.Reports;

/// <summary>
/// <c>check --output sarif</c>: SARIF 2.1.0, one result per finding, located at the file and line
/// of the object, so code scanning annotates the pull request.
/// </summary>
internal static class SarifReport
{
    public static void Write(CheckReport results, Stream output, string version)
    {
        var rules = results.Rows.SelectMany(o => o.Visible).Select(f => $"{f.Policy}/{f.Rule}").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var ruleIndex = rules.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        var baseDirectory = Environment.CurrentDirectory;
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        json.WriteString("version", "2.1.0");
        json.WriteStartArray("runs");
        json.WriteStartObject();
        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "AirflowGuard");
        json.WriteString("informationUri", "https://github.com/airflowguard/airflowguard");
        json.WriteString("version", version);
        json.WriteStartArray("rules");
        foreach (var id in rules)
        {
            var example = results.Rows.SelectMany(o => o.Visible).First(f => $"{f.Policy}/{f.Rule}" == id);
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteString("name", example.Rule);
            json.WriteStartObject("shortDescription");
            json.WriteString("text", $"AirflowGuard policy {example.Policy}, rule {example.Rule}");
            json.WriteEndObject();
            json.WriteStartObject("defaultConfiguration");
            json.WriteString("level", CheckedObject.Level(example));
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartArray("results");
        foreach (var obj in results.Rows)
        {
            foreach (var finding in obj.Visible)
            {
                var id = $"{finding.Policy}/{finding.Rule}";
                json.WriteStartObject();
                json.WriteString("ruleId", id);
                json.WriteNumber("ruleIndex", ruleIndex[id]);
                json.WriteString("level", CheckedObject.Level(finding));
                json.WriteStartObject("message");
                json.WriteString("text", $"{obj.Name}: {finding.Message}" + (finding.Fix is null ? "" : $". Fix: {finding.Fix}") +
                    (finding.Values is { Repairs: true } values ? $". Values: {values.Describe()}" : ""));
                json.WriteEndObject();
                if (finding.Values is { } valuesFix)
                {
                    // SARIF's property bag: the chart's values keys that repair the finding, as the JSON report writes them
                    json.WriteStartObject("properties");
                    json.WritePropertyName("values");
                    JsonReport.WriteValues(json, valuesFix);
                    json.WriteEndObject();
                }
                json.WriteStartArray("locations");
                json.WriteStartObject();
                json.WriteStartObject("physicalLocation");
                json.WriteStartObject("artifactLocation");
                json.WriteString("uri", Uri(obj.File, baseDirectory));
                json.WriteEndObject();
                json.WriteStartObject("region");
                json.WriteNumber("startLine", Math.Max(1, obj.Line));
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteStartArray("logicalLocations");
                json.WriteStartObject();
                json.WriteString("fullyQualifiedName", finding.Path is null ? obj.Name : $"{obj.Name}/{finding.Path}");
                json.WriteString("kind", "object");
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
            }
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>A relative URI with forward slashes, as code scanning matches it against the repository.</summary>
    private static string Uri(string file, string baseDirectory)
    {
        if (file == "<stdin>")
        {
            return "stdin";
        }
        var relative = Path.IsPathRooted(file) ? Path.GetRelativePath(baseDirectory, file) : file;
        return string.Join('/', relative.Split(Path.DirectorySeparatorChar).Select(System.Uri.EscapeDataString));
    }
}
