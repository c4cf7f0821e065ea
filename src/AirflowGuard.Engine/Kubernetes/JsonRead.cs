using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// Typed reads from a <see cref="JsonElement"/> that report a wrong type with its JSON path
/// instead of throwing. Absent and null fields read as null.
/// </summary>
public static class JsonRead
{
    /// <param name="shared">Whether the text may come from (and go to) the <see cref="TextPool"/>; false for values that may be secrets.</param>
    public static string? String(JsonElement parent, ReadOnlySpan<byte> property, in JsonPath path, InputErrors errors, bool shared = true) =>
        StringValue(Field(parent, property), property, path, errors, shared);

    /// <summary>
    /// The value of <paramref name="property"/>, found by the caller (<c>default</c> when absent), read as
    /// <see cref="String"/> reads it: for readers that take an object's fields in one pass.
    /// </summary>
    public static string? StringValue(JsonElement value, ReadOnlySpan<byte> property, in JsonPath path, InputErrors errors, bool shared = true)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(path.Child(Name(property)).ToString(), $"expected a string, found {Describe(value)}");
            return null;
        }
        return shared ? TextPool.Of(value) : value.GetString();
    }

    /// <summary>The property's value, or <c>default</c> (kind Undefined) when absent.</summary>
    public static JsonElement Field(JsonElement parent, ReadOnlySpan<byte> property) =>
        parent.TryGetProperty(property, out var value) ? value : default;

    /// <summary>
    /// A property's name as its UTF-8 bytes, for comparing with <c>"name"u8</c>; a name written with
    /// escapes is unescaped first (the only case that allocates).
    /// </summary>
    public static ReadOnlySpan<byte> RawName(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        return raw.Contains((byte)'\\') ? Encoding.UTF8.GetBytes(property.Name) : raw;
    }

    public static bool Bool(JsonElement parent, ReadOnlySpan<byte> property, in JsonPath path, InputErrors errors) =>
        BoolValue(Field(parent, property), property, path, errors);

    /// <summary><see cref="Bool"/> for a value the caller found (<c>default</c> when absent).</summary>
    public static bool BoolValue(JsonElement value, ReadOnlySpan<byte> property, in JsonPath path, InputErrors errors)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return false;
        }
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }
        errors.Add(path.Child(Name(property)).ToString(), $"expected true or false, found {Describe(value)}");
        return false;
    }

    public static long? Integer(JsonElement parent, ReadOnlySpan<byte> property, in JsonPath path, InputErrors errors)
    {
        if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }
        errors.Add(path.Child(Name(property)).ToString(), $"expected an integer, found {Describe(value)}");
        return null;
    }

    /// <summary>The object at <paramref name="property"/>, or null when absent; a non-object is an error.</summary>
    public static JsonElement? Object(JsonElement parent, ReadOnlySpan<byte> property, in JsonPath path, InputErrors errors) =>
        ObjectValue(Field(parent, property), property, path, errors);

    /// <summary><see cref="Object"/> for a value the caller found (<c>default</c> when absent).</summary>
    public static JsonElement? ObjectValue(JsonElement value, ReadOnlySpan<byte> property, in JsonPath path, InputErrors errors)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path.Child(Name(property)).ToString(), $"expected an object, found {Describe(value)}");
            return null;
        }
        return value;
    }

    /// <summary>The array at <paramref name="property"/>, or null when absent; a non-array is an error.</summary>
    public static JsonElement? Array(JsonElement parent, ReadOnlySpan<byte> property, in JsonPath path, InputErrors errors) =>
        ArrayValue(Field(parent, property), property, path, errors);

    /// <summary><see cref="Array"/> for a value the caller found (<c>default</c> when absent).</summary>
    public static JsonElement? ArrayValue(JsonElement value, ReadOnlySpan<byte> property, in JsonPath path, InputErrors errors)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(path.Child(Name(property)).ToString(), $"expected a list, found {Describe(value)}");
            return null;
        }
        return value;
    }

    public static IReadOnlyList<string> StringList(JsonElement parent, ReadOnlySpan<byte> property, in JsonPath path, InputErrors errors, bool shared = true) =>
        StringListValue(Field(parent, property), property, path, errors, shared);

    /// <summary><see cref="StringList"/> for a value the caller found (<c>default</c> when absent).</summary>
    public static IReadOnlyList<string> StringListValue(JsonElement value, ReadOnlySpan<byte> property, in JsonPath path, InputErrors errors, bool shared = true)
    {
        if (ArrayValue(value, property, path, errors) is not { } array)
        {
            return [];
        }
        var list = new List<string>(array.GetArrayLength());
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                list.Add(shared ? TextPool.Of(item) : item.GetString()!);
            }
            else
            {
                errors.Add(path.Child(Name(property)).Index(index).ToString(), $"expected a string, found {Describe(item)}");
            }
            index++;
        }
        return list;
    }

    public static IReadOnlyDictionary<string, string> StringMap(JsonElement parent, ReadOnlySpan<byte> property, in JsonPath path, InputErrors errors)
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
                result[TextPool.NameOf(entry)] = TextPool.Of(entry.Value);
            }
            else
            {
                errors.Add(path.Child(Name(property)).Child(entry.Name).ToString(), $"expected a string, found {Describe(entry.Value)}");
            }
        }
        return result;
    }

    /// <summary>A property name given as UTF-8, as text (for error messages only).</summary>
    public static string Name(ReadOnlySpan<byte> property) => Encoding.UTF8.GetString(property);

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
