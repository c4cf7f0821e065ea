using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Yaml;

/// <summary>
/// Converts YAML nodes to JSON the way Kubernetes tooling does (YAML 1.2 core schema), for every document the fast reader
/// (<see cref="BlockYamlReader"/>) leaves to YamlDotNet; both type scalars through <see cref="WriteScalar(Utf8JsonWriter, string, bool)"/>.
/// </summary>
internal static class YamlJson
{
    /// <summary>The node as a JSON element of its own (nothing to dispose).</summary>
    public static JsonElement ToElement(YamlNode node)
    {
        var reader = new Utf8JsonReader(ToUtf8(node));
        return JsonElement.ParseValue(ref reader);
    }

    /// <summary>The node as JSON to change (a policy's volume, the YAML writer's checks).</summary>
    public static JsonNode? ToJson(YamlNode node) => JsonNode.Parse(ToUtf8(node));

    /// <summary>The node as compact UTF-8 JSON, written as the fast reader writes it (the same bytes for the same YAML).</summary>
    public static ReadOnlySpan<byte> ToUtf8(YamlNode node)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            Write(writer, node);
        }
        return buffer.WrittenSpan;
    }

    private static void Write(Utf8JsonWriter writer, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in mapping.Children)
                {
                    writer.WritePropertyName(key is YamlScalarNode scalar ? scalar.Value ?? "" : throw new YamlException(key.Start, key.End, "mapping keys must be scalars"));
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Children)
                {
                    Write(writer, item);
                }
                writer.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                WriteScalar(writer, scalar.Value ?? "", scalar.Style is ScalarStyle.Plain or ScalarStyle.Any);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    /// <summary>
    /// Writes a scalar typed as Kubernetes tooling types it (YAML 1.2 core schema): plain <c>true</c>/<c>false</c>,
    /// numbers and <c>null</c> are typed, everything quoted is a string. The one place YAML scalars get their type.
    /// </summary>
    public static void WriteScalar(Utf8JsonWriter writer, string text, bool plain) => WriteScalar(writer, text.AsSpan(), plain);

    /// <inheritdoc cref="WriteScalar(Utf8JsonWriter, string, bool)"/>
    /// <returns>True when the scalar was written as a string (not null, a boolean or a number).</returns>
    public static bool WriteScalar(Utf8JsonWriter writer, ReadOnlySpan<char> text, bool plain)
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
