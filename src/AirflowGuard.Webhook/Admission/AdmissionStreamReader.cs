using System.Text.Json;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Webhook.Admission;

/// <summary>
/// The fast path for what the API server sends most: an AdmissionReview v1 creating or updating a bare
/// Pod (without an old object to compare). Reads the review and the pod in one forward pass over the
/// body's UTF-8 bytes (<see cref="PodStreamReader"/>), without a <see cref="JsonDocument"/>. Anything
/// else, and anything unusual or wrong, returns null: <see cref="AdmissionRequestReader"/> then reads the
/// body the thorough way and says what is wrong and where, so both paths answer alike.
/// </summary>
public static class AdmissionStreamReader
{
    public static AdmissionRequest? TryRead(ReadOnlyMemory<byte> body, int maxDepth)
    {
        try
        {
            var reader = new Utf8JsonReader(body.Span, new JsonReaderOptions { MaxDepth = maxDepth });
            var request = ReadReview(ref reader, body);
            // nothing may follow the review (the thorough reader refuses trailing content)
            return request is not null && !reader.Read() ? request : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null; // not JSON, too deep, not UTF-8: the thorough reader says which
        }
    }

    private static AdmissionRequest? ReadReview(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        bool apiVersion = false, kind = false;
        AdmissionRequest? request = null;
        var seen = 0;
        while (PodStreamReader.NextProperty(ref reader, out var done))
        {
            if (done)
            {
                return apiVersion && kind ? request : null;
            }
            var field = reader.ValueSpan;
            reader.Read();
            if (field.SequenceEqual("apiVersion"u8))
            {
                apiVersion = PodStreamReader.First(ref seen, 1) && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("admission.k8s.io/v1"u8);
                if (!apiVersion)
                {
                    return null;
                }
            }
            else if (field.SequenceEqual("kind"u8))
            {
                kind = PodStreamReader.First(ref seen, 2) && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("AdmissionReview"u8);
                if (!kind)
                {
                    return null;
                }
            }
            else if (field.SequenceEqual("request"u8))
            {
                if (!PodStreamReader.First(ref seen, 4) || (request = ReadRequest(ref reader, body)) is null)
                {
                    return null;
                }
            }
            else
            {
                reader.Skip();
            }
        }
        return null;
    }

    private static AdmissionRequest? ReadRequest(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        string? uid = null, operation = null, @namespace = null, name = null, resourceKind = null;
        var dryRun = false;
        PodView? pod = null;
        var objectRange = Range.All;
        var seen = 0;
        while (PodStreamReader.NextProperty(ref reader, out var done))
        {
            if (done)
            {
                break;
            }
            var field = reader.ValueSpan;
            reader.Read();
            bool ok;
            if (field.SequenceEqual("uid"u8))
            {
                ok = PodStreamReader.First(ref seen, 1) && Text(ref reader, out uid);
            }
            else if (field.SequenceEqual("operation"u8))
            {
                ok = PodStreamReader.First(ref seen, 2) && Text(ref reader, out operation);
            }
            else if (field.SequenceEqual("namespace"u8))
            {
                ok = PodStreamReader.First(ref seen, 4) && Text(ref reader, out @namespace);
            }
            else if (field.SequenceEqual("name"u8))
            {
                ok = PodStreamReader.First(ref seen, 8) && Text(ref reader, out name);
            }
            else if (field.SequenceEqual("dryRun"u8))
            {
                ok = PodStreamReader.First(ref seen, 16) && reader.TokenType is JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null;
                dryRun = reader.TokenType == JsonTokenType.True;
            }
            else if (field.SequenceEqual("kind"u8))
            {
                ok = PodStreamReader.First(ref seen, 32) && ResourceKind(ref reader, out resourceKind);
            }
            else if (field.SequenceEqual("object"u8))
            {
                var start = (int)reader.TokenStartIndex;
                ok = PodStreamReader.First(ref seen, 64) && (pod = PodStreamReader.TryRead(ref reader, body, new JsonPath("request.object"))) is not null;
                objectRange = start..(int)reader.BytesConsumed;
            }
            else if (field.SequenceEqual("oldObject"u8))
            {
                ok = PodStreamReader.First(ref seen, 128) && reader.TokenType == JsonTokenType.Null; // an update with its old object: the thorough path compares them
            }
            else
            {
                ok = reader.TrySkip();
            }
            if (!ok)
            {
                return null;
            }
        }
        if (string.IsNullOrEmpty(uid) || operation is not ("CREATE" or "UPDATE") || pod is null || (resourceKind ?? "Pod") != "Pod")
        {
            return null;
        }
        return new AdmissionRequest(uid, operation, "Pod", @namespace, name, dryRun, default, null)
        {
            Pod = pod,
            ObjectSource = JsonSource.FromUtf8(body[objectRange]),
        };
    }

    /// <summary>request.kind: the group, version and kind of the object; only the kind is read.</summary>
    private static bool ResourceKind(ref Utf8JsonReader reader, out string? kind)
    {
        kind = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        var seen = 0;
        while (PodStreamReader.NextProperty(ref reader, out var done))
        {
            if (done)
            {
                return true;
            }
            var field = reader.ValueSpan;
            reader.Read();
            var ok = field.SequenceEqual("kind"u8) ? PodStreamReader.First(ref seen, 1) && Text(ref reader, out kind) : reader.TrySkip();
            if (!ok)
            {
                return false;
            }
        }
        return false;
    }

    /// <summary>A string, or null for anything else, as the thorough reader reads these fields (a missing uid or operation is refused after).</summary>
    private static bool Text(ref Utf8JsonReader reader, out string? text)
    {
        text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return text is not null || reader.TrySkip();
    }
}
