using System.Text.Json.Nodes;

namespace AirflowGuard.Engine.Mutations;

/// <summary>One RFC 6902 operation. <see cref="Path"/> is an escaped JSON pointer.</summary>
public sealed record PatchOperation(string Op, string Path, JsonNode? Value)
{
    public static PatchOperation Add(string path, JsonNode value) => new("add", path, value);

    public static PatchOperation Replace(string path, JsonNode value) => new("replace", path, value);
}
