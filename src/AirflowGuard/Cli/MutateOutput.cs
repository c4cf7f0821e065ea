using System.Text.Json;
using System.Text.Json.Nodes;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Mutations;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Cli;

/// <summary><c>check --mutate patches</c>: the JSON Patch of every object that gets one.</summary>
internal static class MutateOutput
{
    public static void WritePatches(CheckResults results, TextWriter output)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var obj in results.Objects.Where(o => o.Patch.Count > 0))
            {
                json.WriteStartObject();
                json.WriteString("file", obj.File);
                json.WriteNumber("line", obj.Line);
                json.WriteString("object", obj.Name);
                json.WritePropertyName("patch");
                PatchDocument.Write(json, obj.Patch);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}

/// <summary><c>check --mutate manifests</c>: every input object, as the webhook would leave it, written as it is checked.</summary>
internal sealed class MutatedManifests(TextWriter output, TextWriter error)
{
    public void Write(ManifestObject obj, ObjectVerdict? verdict, ref int failures)
    {
        if (obj.EmbeddedIn is not null)
        {
            return; // part of its ConfigMap, written with it
        }
        var document = JsonNode.Parse(obj.Json.GetRawText())!;
        if (verdict?.Decision.Patch is { Count: > 0 } patch)
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
        YamlWriter.WriteDocuments([document], output);
    }
}
