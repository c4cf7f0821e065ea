using System.Text.Json;

namespace AirflowGuard.Engine.Expressions;

/// <summary>
/// JSON as CEL sees it (what Kubernetes' ValidatingAdmissionPolicy gives its expressions): objects are
/// maps with string keys, arrays are lists, integers are int, other numbers double.
/// </summary>
public static class CelValues
{
    public static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ObjectOf(element),
        JsonValueKind.Array => ListOf(element),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var integer) ? integer : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static Dictionary<string, object?> ObjectOf(JsonElement element)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            map[property.Name] = FromJson(property.Value);
        }
        return map;
    }

    private static List<object?> ListOf(JsonElement element)
    {
        var list = new List<object?>(element.GetArrayLength());
        foreach (var item in element.EnumerateArray())
        {
            list.Add(FromJson(item));
        }
        return list;
    }
}
