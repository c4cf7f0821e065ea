using System.Text.Json.Nodes;
using AirflowGuard.Checking;
using AirflowGuard.Engine.Mutations;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Reports;

/// <summary>
/// <c>check --mutate manifests</c>: every input object, as the webhook would leave it, written as it is
/// checked. A ConfigMap that carries a pod_template_file is held until the template's verdict is in,
/// and written with the template patched inside it: that is the pod every task will run.
/// </summary>
internal sealed class MutatedManifests(TextWriter output, Action<string> error)
{
    private ManifestObject? _heldSource;
    private JsonNode? _held;

    /// <summary>Patches that AirflowGuard could not apply (each reported): a bug, which makes the run fail.</summary>
    public int Failures { get; private set; }

    public void Write(ObjectCheck check)
    {
        var (obj, verdict) = (check.Source, check.Verdict);
        if (obj.EmbeddedIn is { } embeddedIn)
        {
            if (_held is not null && verdict?.Decision.Patch is { Count: > 0 } templatePatch)
            {
                PatchTemplate(embeddedIn, templatePatch);
            }
            return;
        }
        Flush();
        JsonNode document;
        try
        {
            document = PatchedObject.Of(obj, verdict?.Decision.Patch ?? []);
        }
        catch (InvalidOperationException ex)
        {
            error($"{obj.Location}: AirflowGuard could not apply its own patch ({ex.Message}); please report it");
            Failures++;
            document = JsonNode.Parse(obj.Json.GetRawText())!;
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
    private void PatchTemplate(EmbeddedTemplate embeddedIn, IReadOnlyList<PatchOperation> patch)
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
            error($"{_heldSource!.Location}: AirflowGuard could not apply its own patch to {embeddedIn} ({ex.Message}); please report it");
            Failures++;
            return;
        }
        using var yaml = new StringWriter();
        YamlWriter.WriteDocuments(documents, yaml);
        var written = yaml.ToString();
        _held["data"]![key] = documents.Count == 1 && written.StartsWith("---\n", StringComparison.Ordinal) ? written[4..] : written;
    }
}
