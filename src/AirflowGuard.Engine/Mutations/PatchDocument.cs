using System.Buffers;
using System.Text.Json;

namespace AirflowGuard.Engine.Mutations;

/// <summary>Writes a list of operations as the JSON Patch document the API server applies.</summary>
public static class PatchDocument
{
    public static byte[] ToUtf8Json(IReadOnlyList<PatchOperation> operations)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, operations);
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static string ToJson(IReadOnlyList<PatchOperation> operations) => System.Text.Encoding.UTF8.GetString(ToUtf8Json(operations));

    public static void Write(Utf8JsonWriter writer, IReadOnlyList<PatchOperation> operations)
    {
        writer.WriteStartArray();
        foreach (var operation in operations)
        {
            writer.WriteStartObject();
            writer.WriteString("op", operation.Op);
            writer.WriteString("path", operation.Path);
            if (operation.Value is not null)
            {
                writer.WritePropertyName("value");
                operation.Value.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }
}
