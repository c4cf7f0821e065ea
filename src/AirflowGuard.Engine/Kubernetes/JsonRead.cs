using System.Globalization;
using System.Text.Json;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// Typed reads from a <see cref="JsonElement"/> that report a wrong type with its JSON path
/// instead of throwing. Absent and null fields read as null.
/// </summary>
public static class JsonRead
{
    public static string? String(JsonElement parent, string property, string path, InputErrors errors)
    {
        if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(Child(path, property), $"expected a string, found {Describe(value)}");
            return null;
        }
        return value.GetString();
    }

    public static bool Bool(JsonElement parent, string property, string path, InputErrors errors)
    {
        if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }
        errors.Add(Child(path, property), $"expected true or false, found {Describe(value)}");
        return false;
    }

    public static long? Integer(JsonElement parent, string property, string path, InputErrors errors)
    {
        if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }
        errors.Add(Child(path, property), $"expected an integer, found {Describe(value)}");
        return null;
    }

    /// <summary>The object at <paramref name="property"/>, or null when absent; a non-object is an error.</summary>
    public static JsonElement? Object(JsonElement parent, string property, string path, InputErrors errors)
    {
        if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(Child(path, property), $"expected an object, found {Describe(value)}");
            return null;
        }
        return value;
    }

    /// <summary>The array at <paramref name="property"/>, or null when absent; a non-array is an error.</summary>
    public static JsonElement? Array(JsonElement parent, string property, string path, InputErrors errors)
    {
        if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(Child(path, property), $"expected a list, found {Describe(value)}");
            return null;
        }
        return value;
    }

    public static IReadOnlyList<string> StringList(JsonElement parent, string property, string path, InputErrors errors)
    {
        if (Array(parent, property, path, errors) is not { } array)
        {
            return [];
        }
        var list = new List<string>(array.GetArrayLength());
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                list.Add(item.GetString()!);
            }
            else
            {
                errors.Add(Index(Child(path, property), index), $"expected a string, found {Describe(item)}");
            }
            index++;
        }
        return list;
    }

    public static IReadOnlyDictionary<string, string> StringMap(JsonElement parent, string property, string path, InputErrors errors)
    {
        if (Object(parent, property, path, errors) is not { } map)
        {
            return ObjectMetadata.NoEntries;
        }
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in map.EnumerateObject())
        {
            if (entry.Value.ValueKind == JsonValueKind.String)
            {
                result[entry.Name] = entry.Value.GetString()!;
            }
            else
            {
                errors.Add(Child(Child(path, property), entry.Name), $"expected a string, found {Describe(entry.Value)}");
            }
        }
        return result;
    }

    public static string Child(string path, string property)
    {
        var simple = property.Length > 0 && property.AsSpan().IndexOfAny(".[]/ \"") < 0;
        var segment = simple ? property : "[\"" + property + "\"]";
        if (path.Length == 0)
        {
            return simple ? segment : segment;
        }
        return simple ? path + "." + segment : path + segment;
    }

    public static string Index(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
