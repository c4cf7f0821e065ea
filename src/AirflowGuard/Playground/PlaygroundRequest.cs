using System.Text.Json;

namespace AirflowGuard.Playground;

/// <summary>What the page sends: the three editors' texts and the namespace for objects that name none.</summary>
internal sealed record PlaygroundRequest(string Manifests, string Policies, string Cluster, string Namespace)
{
    /// <summary>Reads the request body (a JSON object of strings) without reflection; null and a reason when it is not one.</summary>
    public static PlaygroundRequest? Read(ReadOnlyMemory<byte> body, out string? problem)
    {
        problem = null;
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = "the body must be a JSON object with manifests, policies and cluster";
                return null;
            }
            string Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
            var @namespace = Text("namespace");
            return new PlaygroundRequest(Text("manifests"), Text("policies"), Text("cluster"), @namespace.Length == 0 ? "default" : @namespace);
        }
        catch (JsonException ex)
        {
            problem = $"the body is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1})";
            return null;
        }
    }
}
