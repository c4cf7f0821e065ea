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

/// <summary>
/// <c>check --mutate manifests</c>: every input object, as the webhook would leave it, written as it is
/// checked. A ConfigMap that carries a pod_template_file is held until the template's verdict is in,
/// and written with the template patched inside it: that is the pod every task will run.
/// </summary>
internal sealed class MutatedManifests(TextWriter output, TextWriter error)
{
    private ManifestObject? _heldSource;
    private JsonNode? _held;

    public void Write(ManifestObject obj, ObjectVerdict? verdict, ref int failures)
    {
        if (obj.EmbeddedIn is { } embeddedIn)
        {
            if (_held is not null && verdict?.Decision.Patch is { Count: > 0 } templatePatch)
            {
                PatchTemplate(embeddedIn, templatePatch, ref failures);
            }
            return;
        }
        Flush();
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
        if (obj.Kind == "ConfigMap")
        {
            _heldSource = obj; // its pod templates, if any, come next
            _held = document;
            return;
        }
        YamlWriter.WriteDocuments([document], output);
    }

    /// <summary>Writes the ConfigMap held back for its pod templates.</summary>
    public void Flush()
    {
        if (_held is not null)
        {
            YamlWriter.WriteDocuments([_held], output);
        }
        _held = null;
        _heldSource = null;
    }

    /// <summary>Applies the template's patch to the Pod inside the held ConfigMap's data key and writes the key back.</summary>
    private void PatchTemplate(EmbeddedTemplate embeddedIn, IReadOnlyList<PatchOperation> patch, ref int failures)
    {
        var key = embeddedIn.Key;
        if (_held!["data"]?[key]?.GetValue<string>() is not { } text)
        {
            return;
        }
        var (objects, problems) = ManifestBundle.Read(key, text);
        if (problems.Count > 0)
        {
            return; // reported when the template was read
        }
        var documents = objects.Where(o => o.EmbeddedIn is null).Select(o => JsonNode.Parse(o.Json.GetRawText())).ToList();
        var pod = documents.FindIndex(d => d?["kind"]?.GetValue<string>() == "Pod");
        try
        {
            // the patch was made against the template as the executor labels it; it touches the spec, which is as written
            PatchApplier.Apply(documents[pod]!, patch);
        }
        catch (InvalidOperationException ex)
        {
            error.WriteLine($"{_heldSource!.Location}: AirflowGuard could not apply its own patch to {embeddedIn} ({ex.Message}); please report it");
            failures++;
            return;
        }
        using var yaml = new StringWriter();
        YamlWriter.WriteDocuments(documents, yaml);
        var written = yaml.ToString();
        _held["data"]![key] = documents.Count == 1 && written.StartsWith("---\n", StringComparison.Ordinal) ? written[4..] : written;
    }
}
