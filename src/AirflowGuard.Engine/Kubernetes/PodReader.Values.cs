using System.Text.Json;

namespace AirflowGuard.Engine.Kubernetes;

/// <summary>
/// The values every part of an object is made of, each read where the reader stands and reported with its path when it
/// is of the wrong type (then skipped whole): absent and null read as absent.
/// </summary>
public static partial class PodReader
{
    /// <summary>True on an object (read its fields next); false for null, or (reported, skipped) any other value.</summary>
    internal static bool IsObject(ref JsonCursor reader, in JsonPath path, InputErrors errors)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return true;
            case JsonTokenType.Null:
                return false;
            default:
                errors.Add(path, $"expected an object, found {JsonTokens.Describe(ref reader)}");
                reader.Skip();
                return false;
        }
    }

    /// <summary><see cref="IsObject(ref JsonCursor, in JsonPath, InputErrors)"/> for the field <paramref name="field"/> of the object at <paramref name="parent"/>.</summary>
    internal static bool IsObject(ref JsonCursor reader, in JsonPath parent, string field, InputErrors errors) =>
        reader.TokenType == JsonTokenType.StartObject || (reader.TokenType != JsonTokenType.Null && IsObject(ref reader, parent.Child(field), errors));

    /// <summary><see cref="IsList(ref JsonCursor, in JsonPath, InputErrors)"/> for the field <paramref name="field"/> of the object at <paramref name="parent"/>.</summary>
    internal static bool IsList(ref JsonCursor reader, in JsonPath parent, string field, InputErrors errors) =>
        reader.TokenType == JsonTokenType.StartArray || (reader.TokenType != JsonTokenType.Null && IsList(ref reader, parent.Child(field), errors));

    /// <summary>True on a list (read its items next); false for null, or (reported, skipped) any other value.</summary>
    internal static bool IsList(ref JsonCursor reader, in JsonPath path, InputErrors errors)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartArray:
                return true;
            case JsonTokenType.Null:
                return false;
            default:
                errors.Add(path, $"expected a list, found {JsonTokens.Describe(ref reader)}");
                reader.Skip();
                return false;
        }
    }

    // The value readers take the path of the object a field is in and the field's name, and join them only to report a
    // wrong value: a path is made for what is wrong, never for each field read (a 2,640-variable pod reads 10,000 fields).

    /// <param name="shared">Whether the text may come from (and go to) the <see cref="TextPool"/>; false for values that may be secrets.</param>
    internal static string? Text(ref JsonCursor reader, bool shared, in JsonPath parent, string field, InputErrors errors)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return shared ? TextPool.Of(ref reader) : reader.GetString();
            case JsonTokenType.Null:
                return null;
            default:
                errors.Add(parent.Child(field), $"expected a string, found {JsonTokens.Describe(ref reader)}");
                reader.Skip();
                return null;
        }
    }

    /// <summary><see cref="Text(ref JsonCursor, bool, in JsonPath, string, InputErrors)"/> for a field of item <paramref name="index"/> of the list at <paramref name="list"/> (the item's path made only for an error).</summary>
    internal static string? Text(ref JsonCursor reader, bool shared, in JsonPath list, int index, string field, InputErrors errors) =>
        reader.TokenType switch
        {
            JsonTokenType.String => shared ? TextPool.Of(ref reader) : reader.GetString(),
            JsonTokenType.Null => null,
            _ => Text(ref reader, shared, list.Index(index), field, errors),
        };

    internal static long? Integer(ref JsonCursor reader, in JsonPath parent, string field, InputErrors errors)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number))
        {
            return number;
        }
        errors.Add(parent.Child(field), $"expected an integer, found {JsonTokens.Describe(ref reader)}");
        reader.Skip();
        return null;
    }

    internal static bool Bool(ref JsonCursor reader, in JsonPath parent, string field, InputErrors errors)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False or JsonTokenType.Null:
                return false;
            default:
                errors.Add(parent.Child(field), $"expected true or false, found {JsonTokens.Describe(ref reader)}");
                reader.Skip();
                return false;
        }
    }

    /// <summary><see cref="Bool(ref JsonCursor, in JsonPath, string, InputErrors)"/> for a field of item <paramref name="index"/> of the list at <paramref name="list"/>.</summary>
    internal static bool Bool(ref JsonCursor reader, in JsonPath list, int index, string field, InputErrors errors) =>
        reader.TokenType == JsonTokenType.True || (reader.TokenType is not (JsonTokenType.False or JsonTokenType.Null) && Bool(ref reader, list.Index(index), field, errors));

    /// <summary>A list of strings (empty when absent); each item that is not a string is reported.</summary>
    internal static IReadOnlyList<string> StringList(ref JsonCursor reader, bool shared, in JsonPath parent, string field, InputErrors errors)
    {
        if (!IsList(ref reader, parent, field, errors))
        {
            return [];
        }
        var list = new List<string>();
        var index = 0;
        while (JsonTokens.NextItem(ref reader))
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                list.Add(shared ? TextPool.Of(ref reader) : reader.GetString()!);
            }
            else
            {
                errors.Add(parent.Child(field).Index(index), $"expected a string, found {JsonTokens.Describe(ref reader)}");
                reader.Skip();
            }
            index++;
        }
        return list;
    }

    /// <summary>An object of strings (labels, annotations, CSI attributes); each value that is not a string is reported.</summary>
    internal static IReadOnlyDictionary<string, string> StringMap(ref JsonCursor reader, in JsonPath parent, string field, InputErrors errors)
    {
        if (!IsObject(ref reader, parent, field, errors))
        {
            return ObjectMetadata.NoEntries;
        }
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return map;
            }
            var key = TextPool.Of(ref reader);
            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                map[key] = TextPool.Of(ref reader);
            }
            else
            {
                errors.Add(parent.Child(field).Child(key), $"expected a string, found {JsonTokens.Describe(ref reader)}");
                reader.Skip();
            }
        }
    }

    /// <summary>An object's metadata: names, namespace, labels and annotations, and whether it has an annotations object.</summary>
    internal static ObjectMetadata ReadMetadata(ref JsonCursor reader, in JsonPath path, InputErrors errors, out bool hasAnnotations)
    {
        hasAnnotations = false;
        if (!IsObject(ref reader, path, errors))
        {
            return ObjectMetadata.Empty;
        }
        string? name = null, generateName = null, @namespace = null;
        var labels = ObjectMetadata.NoEntries;
        var annotations = ObjectMetadata.NoEntries;
        while (JsonTokens.NextField(ref reader, out var field))
        {
            if (field.SequenceEqual("name"u8))
            {
                name = Text(ref reader, shared: true, path, "name", errors);
            }
            else if (field.SequenceEqual("generateName"u8))
            {
                generateName = Text(ref reader, shared: true, path, "generateName", errors);
            }
            else if (field.SequenceEqual("namespace"u8))
            {
                @namespace = Text(ref reader, shared: true, path, "namespace", errors);
            }
            else if (field.SequenceEqual("labels"u8))
            {
                labels = StringMap(ref reader, path, "labels", errors);
            }
            else if (field.SequenceEqual("annotations"u8))
            {
                hasAnnotations = reader.TokenType == JsonTokenType.StartObject;
                annotations = StringMap(ref reader, path, "annotations", errors);
            }
            else
            {
                reader.Skip();
            }
        }
        return new ObjectMetadata(name, generateName, @namespace, labels, annotations);
    }

    /// <summary>The metadata of <paramref name="obj"/> (any object: a claim, a ConfigMap), read by the same reader as a pod's.</summary>
    internal static ObjectMetadata ReadMetadata(JsonElement obj, in JsonPath path, InputErrors errors)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty("metadata"u8, out var metadata))
        {
            return ObjectMetadata.Empty;
        }
        var reader = new JsonCursor(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(metadata));
        reader.Read();
        return ReadMetadata(ref reader, path.Child("metadata"), errors, out _);
    }
}
