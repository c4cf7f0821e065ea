using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Yaml;

/// <summary>
/// Converts YAML nodes to JSON the way Kubernetes tooling does (YAML 1.2 core schema): plain
/// <c>true</c>/<c>false</c>, numbers and <c>null</c> are typed, everything quoted is a string.
/// </summary>
internal static class YamlJson
{
    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => ToObject(mapping),
        YamlSequenceNode sequence => ToArray(sequence),
        YamlScalarNode scalar => ToValue(scalar),
        _ => null,
    };

    private static JsonObject ToObject(YamlMappingNode mapping)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            var name = key is YamlScalarNode scalar ? scalar.Value ?? "" : throw new YamlException(key.Start, key.End, "mapping keys must be scalars");
            obj[name] = ToJson(value);
        }
        return obj;
    }

    private static JsonArray ToArray(YamlSequenceNode sequence)
    {
        var array = new JsonArray();
        foreach (var item in sequence.Children)
        {
            array.Add(ToJson(item));
        }
        return array;
    }

    private static JsonValue? ToValue(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }
        if (LooksNumeric(text))
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                return JsonValue.Create(integer);
            }
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            {
                return JsonValue.Create(number);
            }
        }
        return JsonValue.Create(text);
    }

    /// <summary>Writes a scalar as <see cref="ToJson"/> would convert it, straight to a JSON writer.</summary>
    public static void WriteScalar(System.Text.Json.Utf8JsonWriter writer, string text, bool plain) => WriteScalar(writer, text.AsSpan(), plain);

    /// <inheritdoc cref="WriteScalar(System.Text.Json.Utf8JsonWriter, string, bool)"/>
    /// <returns>True when the scalar was written as a string (not null, a boolean or a number).</returns>
    public static bool WriteScalar(System.Text.Json.Utf8JsonWriter writer, ReadOnlySpan<char> text, bool plain)
    {
        if (!plain)
        {
            writer.WriteStringValue(text);
            return true;
        }
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                writer.WriteNullValue();
                return false;
            case "true" or "True" or "TRUE":
                writer.WriteBooleanValue(true);
                return false;
            case "false" or "False" or "FALSE":
                writer.WriteBooleanValue(false);
                return false;
        }
        if (LooksNumeric(text))
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                writer.WriteNumberValue(integer);
                return false;
            }
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            {
                writer.WriteNumberValue(number);
                return false;
            }
        }
        writer.WriteStringValue(text);
        return true;
    }

    private static bool LooksNumeric(ReadOnlySpan<char> text)
    {
        var start = text.Length > 0 && text[0] is '-' or '+' ? 1 : 0;
        return text.Length > start && (char.IsAsciiDigit(text[start]) || (text[start] == '.' && text.Length > start + 1 && char.IsAsciiDigit(text[start + 1])));
    }
}
