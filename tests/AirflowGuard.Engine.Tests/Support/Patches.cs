using System.Text.Json;
using System.Text.Json.Nodes;
using AirflowGuard.Engine.Mutations;
using Microsoft.AspNetCore.JsonPatch.SystemTextJson;

namespace AirflowGuard.Engine.Tests.Support;

/// <summary>Applies engine patches with an independent RFC 6902 implementation.</summary>
public static class Patches
{
    public static JsonNode Apply(JsonElement original, IReadOnlyList<PatchOperation> patch)
    {
        var target = JsonNode.Parse(original.GetRawText())!;
        var document = JsonSerializer.Deserialize<JsonPatchDocument>(PatchDocument.ToJson(patch))!;
        document.ApplyTo(target);
        return target;
    }

    public static JsonElement ToElement(JsonNode node)
    {
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }
}
