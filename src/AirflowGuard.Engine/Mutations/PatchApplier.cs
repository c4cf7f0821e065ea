using System.Globalization;
using System.Text.Json.Nodes;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Engine.Mutations;

/// <summary>
/// Applies the operations the engine emits (RFC 6902 <c>add</c> and <c>replace</c>) to a document,
/// as the API server does, so `check --mutate` can show manifests as the webhook would leave them.
/// </summary>
public static class PatchApplier
{
    /// <summary>Applies <paramref name="operations"/> in order to <paramref name="document"/> (changed in place).</summary>
    /// <exception cref="InvalidOperationException">An operation does not fit the document.</exception>
    public static void Apply(JsonNode document, IReadOnlyList<PatchOperation> operations)
    {
        foreach (var operation in operations)
        {
            var tokens = operation.Path.Split('/').Skip(1).Select(JsonPointer.Unescape).ToList();
            if (tokens.Count == 0)
            {
                throw new InvalidOperationException($"{operation.Op} {operation.Path}: cannot replace the whole document");
            }
            var parent = document;
            foreach (var token in tokens.Take(tokens.Count - 1))
            {
                parent = Child(parent, token) ?? throw new InvalidOperationException($"{operation.Op} {operation.Path}: {token} does not exist");
            }
            var last = tokens[^1];
            var value = operation.Value?.DeepClone();
            switch (operation.Op, parent)
            {
                case ("add" or "replace", JsonObject obj):
                    if (operation.Op == "replace" && !obj.ContainsKey(last))
                    {
                        throw new InvalidOperationException($"replace {operation.Path}: nothing to replace");
                    }
                    obj[last] = value;
                    break;
                case ("add", JsonArray array) when last == "-":
                    array.Add(value);
                    break;
                case ("add", JsonArray array) when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index <= array.Count:
                    array.Insert(index, value);
                    break;
                case ("replace", JsonArray array) when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count:
                    array[index] = value;
                    break;
                default:
                    throw new InvalidOperationException($"{operation.Op} {operation.Path}: does not fit the document");
            }
        }
    }

    private static JsonNode? Child(JsonNode node, string token) => node switch
    {
        JsonObject obj => obj[token],
        JsonArray array when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count => array[i],
        _ => null,
    };
}
