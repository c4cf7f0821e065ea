using System.Text.Json.Nodes;
using AirflowGuard.Engine.Mutations;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Reports;

/// <summary>An object as the webhook would leave it: its JSON with the engine's patch applied (for --mutate, test's patchedResource, the playground's diff).</summary>
internal static class PatchedObject
{
    /// <summary>The object as a document to change, with <paramref name="patch"/> applied.</summary>
    /// <exception cref="InvalidOperationException">The patch does not apply (a bug in AirflowGuard: say so).</exception>
    public static JsonNode Of(ManifestObject source, IReadOnlyList<PatchOperation> patch)
    {
        var document = JsonNode.Parse(source.Json.GetRawText())!;
        if (patch.Count > 0)
        {
            PatchApplier.Apply(document, patch);
        }
        return document;
    }
}
