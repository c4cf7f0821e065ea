using System.Text.Json;

namespace AirflowGuard.Playground;

/// <summary>
/// What the page sends: the three editors' texts and the namespace for objects that name none. A
/// request without <c>policies</c>, or a YAML body (<c>Content-Type: application/yaml</c>: manifests
/// only, as <c>curl --data-binary @file.yaml</c> sends them), is checked against the bundled pack.
/// </summary>
internal sealed record PlaygroundRequest(string Manifests, string Policies, string Cluster, string Namespace)
{
    /// <summary>Reads the request body (a JSON object of strings, or YAML) without reflection; null and a reason when it is neither.</summary>
    public static PlaygroundRequest? Read(ReadOnlyMemory<byte> body, string? contentType, out string? problem)
    {
        problem = null;
        if (contentType is not null && (contentType.StartsWith("application/yaml", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("text/yaml", StringComparison.OrdinalIgnoreCase)))
        {
            return new PlaygroundRequest(System.Text.Encoding.UTF8.GetString(body.Span), PolicyPack.BundledText(), "", "default");
        }
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
            var policies = root.TryGetProperty("policies", out _) ? Text("policies") : PolicyPack.BundledText();
            return new PlaygroundRequest(Text("manifests"), policies, Text("cluster"), @namespace.Length == 0 ? "default" : @namespace);
        }
        catch (JsonException ex)
        {
            problem = $"the body is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1})";
            return null;
        }
    }
}
