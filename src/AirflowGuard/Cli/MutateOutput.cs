using System.Text.Json;
using System.Text.Json.Nodes;
using AirflowGuard.Engine.Mutations;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Cli;

/// <summary><c>check --mutate</c>: the manifests as the webhook would leave them, or the patches alone.</summary>
internal static class MutateOutput
{
    /// <returns>The number of objects whose patch could not be applied (a bug; reported on <paramref name="error"/>).</returns>
    public static int Write(IReadOnlyList<ManifestObject> objects, CheckResults results, string what, TextWriter output, TextWriter error)
    {
        var patches = results.Objects.Where(o => o.Verdict.Decision.Patch.Count > 0).ToDictionary(o => o.Source, o => o.Verdict.Decision.Patch);
        if (what == "patches")
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartArray();
                foreach (var obj in results.Objects.Where(o => patches.ContainsKey(o.Source)))
                {
                    json.WriteStartObject();
                    json.WriteString("file", obj.Source.File);
                    json.WriteNumber("line", obj.Source.Line);
                    json.WriteString("object", obj.Name);
                    json.WritePropertyName("patch");
                    PatchDocument.Write(json, patches[obj.Source]);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            return 0;
        }

        var failures = 0;
        var documents = new List<JsonNode?>();
        foreach (var obj in objects.Where(o => o.EmbeddedIn is null))
        {
            var document = JsonNode.Parse(obj.Json.GetRawText())!;
            if (patches.TryGetValue(obj, out var patch))
            {
                try
                {
                    PatchApplier.Apply(document, patch);
                }
                catch (InvalidOperationException ex)
                {
                    error.WriteLine($"{obj.Location}: AirflowGuard could not apply its own patch ({ex.Message}); please report it");
                    failures++;
                }
            }
            documents.Add(document);
        }
        YamlWriter.WriteDocuments(documents, output);
        return failures;
    }
}
