using System.Globalization;
using System.Text.Json;
using System.Xml;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Mutations;

namespace AirflowGuard.Cli;

/// <summary><c>check --output json</c>: every checked object with its findings and patch.</summary>
internal static class JsonReport
{
    public static void Write(CheckResults results, Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartObject("summary");
        json.WriteNumber("checked", results.Objects.Count);
        json.WriteNumber("denied", results.Denied);
        json.WriteNumber("warned", results.Warned);
        json.WriteNumber("repaired", results.Repaired);
        json.WriteNumber("clean", results.Clean);
        json.WriteEndObject();
        json.WriteStartArray("objects");
        foreach (var obj in results.Objects)
        {
            json.WriteStartObject();
            json.WriteString("file", obj.File);
            json.WriteNumber("line", obj.Line);
            json.WriteString("object", obj.Name);
            if (obj.Identity.Kind is { } kind)
            {
                json.WriteString("kind", kind);
                json.WriteString("namespace", obj.Identity.Namespace);
                json.WriteString("name", obj.Identity.Name);
            }
            json.WriteString("component", obj.Component);
            json.WriteBoolean("allowed", !obj.Denied);
            json.WriteStartArray("findings");
            foreach (var finding in obj.Visible)
            {
                json.WriteStartObject();
                json.WriteString("policy", finding.Policy);
                json.WriteString("rule", finding.Rule);
                json.WriteString("level", CheckedObject.Level(finding));
                json.WriteString("kind", finding.Kind == FindingKind.Unresolved ? "unresolved" : "violation");
                json.WriteString("message", finding.Message);
                if (finding.Fix is not null)
                {
                    json.WriteString("fix", finding.Fix);
                }
                if (finding.Path is not null)
                {
                    json.WriteString("path", finding.Path);
                }
                if (finding.Assumed is not null)
                {
                    json.WriteString("assumed", finding.Assumed);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WritePropertyName("patch");
            PatchDocument.Write(json, obj.Patch);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}

/// <summary>
/// <c>check --output sarif</c>: SARIF 2.1.0, one result per finding, located at the file and line
/// of the object, so code scanning annotates the pull request.
/// </summary>
internal static class SarifReport
{
    public static void Write(CheckResults results, Stream output, string version)
    {
        var rules = results.Objects.SelectMany(o => o.Visible).Select(f => $"{f.Policy}/{f.Rule}").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
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
            var example = results.Objects.SelectMany(o => o.Visible).First(f => $"{f.Policy}/{f.Rule}" == id);
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
        foreach (var obj in results.Objects)
        {
            foreach (var finding in obj.Visible)
            {
                var id = $"{finding.Policy}/{finding.Rule}";
                json.WriteStartObject();
                json.WriteString("ruleId", id);
                json.WriteNumber("ruleIndex", ruleIndex[id]);
                json.WriteString("level", CheckedObject.Level(finding));
                json.WriteStartObject("message");
                json.WriteString("text", $"{obj.Name}: {finding.Message}" + (finding.Fix is null ? "" : $". Fix: {finding.Fix}"));
                json.WriteEndObject();
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

/// <summary><c>check --output junit</c>: one test case per checked object, failed when it breaks an enforced rule.</summary>
internal static class JunitReport
{
    public static void Write(CheckResults results, Stream output)
    {
        using var xml = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false) });
        xml.WriteStartDocument();
        xml.WriteStartElement("testsuites");
        xml.WriteStartElement("testsuite");
        xml.WriteAttributeString("name", "airflowguard check");
        xml.WriteAttributeString("tests", results.Objects.Count.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("failures", results.Denied.ToString(CultureInfo.InvariantCulture));
        xml.WriteAttributeString("errors", "0");
        foreach (var obj in results.Objects)
        {
            xml.WriteStartElement("testcase");
            xml.WriteAttributeString("classname", obj.File);
            xml.WriteAttributeString("name", $"{obj.Name} (line {obj.Line})");
            foreach (var finding in obj.Visible.Where(f => f.Denies))
            {
                xml.WriteStartElement("failure");
                xml.WriteAttributeString("type", $"{finding.Policy}/{finding.Rule}");
                xml.WriteAttributeString("message", finding.Message);
                xml.WriteString(finding.Fix is null ? finding.Message : $"{finding.Message}\nfix: {finding.Fix}");
                xml.WriteEndElement();
            }
            var notes = obj.Visible.Where(f => !f.Denies).Select(f => $"{CheckedObject.Level(f)} {f.Policy}/{f.Rule}: {f.Message}").ToList();
            if (notes.Count > 0)
            {
                xml.WriteElementString("system-out", string.Join('\n', notes));
            }
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }
}
