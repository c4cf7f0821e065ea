using System.Buffers;
using System.Text.Json;

namespace AirflowGuard.Webhook.Admission;

/// <summary>An RFC 9457 problem document, for requests that are not AdmissionReviews AirflowGuard can answer.</summary>
public static class Problem
{
    public const string ContentType = "application/problem+json";

    public static byte[] Write(int status, string title, string detail, string? path = null, string? type = null)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, AdmissionResponse.WriterOptions)) // escaped as the admission answers are
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "https://airflowguard.dev/problems/" + (type ?? "bad-request"));
            writer.WriteString("title"u8, title);
            writer.WriteNumber("status"u8, status);
            writer.WriteString("detail"u8, detail);
            if (path is not null)
            {
                writer.WriteString("path"u8, path);
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
