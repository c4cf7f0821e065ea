using System.Text.Json;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Webhook.Admission;

/// <summary>
/// The one reader of AdmissionReviews: one forward pass over the body's UTF-8 bytes with a <see cref="JsonCursor"/>,
/// no <see cref="JsonDocument"/>. A pod, or a workload's pod template, is read in the same pass by the engine's
/// <see cref="PodReader"/> when the request's kind comes before its object (as the API server writes it); any other
/// object is kept as its bytes, parsed only if something reads it. A review AirflowGuard cannot answer gets the
/// problem that says what and where (the JSON path, what was expected and what was found), the body always read to
/// its end first, so that JSON that is not valid is said to be so whatever came before.
/// </summary>
public static class AdmissionReviewReader
{
    public const string ApiVersion = "admission.k8s.io/v1";

    /// <summary>
    /// The request, or null with the <paramref name="problem"/>. The body must be valid UTF-8 (checked by the caller in one
    /// vectorised pass); a string whose escapes make it no Unicode text (a lone <c>\ud800</c>) is found here, from what
    /// the pass saw of the escapes, and is the problem.
    /// </summary>
    /// <exception cref="JsonException">The body is not JSON, or is nested deeper than <paramref name="maxDepth"/>.</exception>
    public static AdmissionRequest? Read(ReadOnlyMemory<byte> body, int maxDepth, out BadAdmissionRequest? problem)
    {
        var reader = new JsonCursor(body.Span, maxDepth);
        var review = new Review();
        try
        {
            if (!reader.Read())
            {
                throw new JsonException("the body is empty", null, 0, 0);
            }
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                ReadReview(ref reader, body, ref review);
            }
            else
            {
                review.NotAnObject = Describe(ref reader);
                reader.Skip();
            }
            if (reader.Read())
            {
                throw new JsonException("more than one JSON value in the body", null, 0, reader.BytesConsumed);
            }
        }
        catch (InvalidOperationException) when (reader.HasSurrogateEscapes)
        {
            // a string read for its text was a lone surrogate: JSON that is not valid is said first, whatever came before
            if (JsonCursor.Describe(body.Span, maxDepth) is { } notJson)
            {
                throw notJson;
            }
            if (JsonStringCheck.FindInvalid(body.Span, maxDepth) is { } decodedBadly)
            {
                problem = JsonStringCheck.Problem(decodedBadly);
                return null;
            }
            throw; // every string is text: the failure was something else, and is not to be answered as a bad string
        }
        if (reader.HasSurrogateEscapes && JsonStringCheck.FindInvalid(body.Span, maxDepth) is { } badString)
        {
            problem = JsonStringCheck.Problem(badString);
            return null;
        }
        return review.Request(body, maxDepth, out problem);
    }

    /// <summary>What the review holds, gathered in whatever order its fields come; checked in a fixed order at the end.</summary>
    private struct Review
    {
        public string? NotAnObject, ApiVersion, Kind;
        public bool HasRequest;
        public string? RequestNotAnObject;
        public string? Uid, UidFound, Operation, OperationFound, Namespace, Name, ResourceKind, ObjectKind, ObjectFound;
        public bool DryRun;
        public Range? Object, OldObject;
        public PodView? Pod;
        public IReadOnlyList<InputError>? PodErrors;
        public string? ObjectName;

        public readonly AdmissionRequest? Request(ReadOnlyMemory<byte> body, int maxDepth, out BadAdmissionRequest? problem)
        {
            problem = null;
            if (NotAnObject is not null)
            {
                problem = new("not-an-admission-review", $"expected an AdmissionReview object, found {NotAnObject}", "$");
                return null;
            }
            if (Kind != "AdmissionReview")
            {
                problem = new("not-an-admission-review", Kind is null
                    ? "expected kind: AdmissionReview, found no kind"
                    : $"expected kind: AdmissionReview, found \"{Kind}\"", "kind");
                return null;
            }
            if (ApiVersion != AdmissionReviewReader.ApiVersion)
            {
                problem = new("unsupported-version", ApiVersion is null
                    ? $"expected apiVersion: {AdmissionReviewReader.ApiVersion}, found none"
                    : $"expected apiVersion: {AdmissionReviewReader.ApiVersion}, found \"{ApiVersion}\"; register the webhook with admissionReviewVersions: [v1]", "apiVersion");
                return null;
            }
            if (!HasRequest || RequestNotAnObject is not null)
            {
                problem = new("missing-request", $"expected an object, found {RequestNotAnObject ?? "nothing"}", "request");
                return null;
            }
            if (string.IsNullOrEmpty(Uid))
            {
                problem = new("missing-uid", $"expected a non-empty string, found {UidFound ?? "nothing"}", "request.uid");
                return null;
            }
            if (Operation is not ("CREATE" or "UPDATE" or "DELETE" or "CONNECT"))
            {
                problem = new("bad-operation", Operation is null
                    ? $"expected CREATE, UPDATE, DELETE or CONNECT, found {OperationFound ?? "nothing"}"
                    : $"expected CREATE, UPDATE, DELETE or CONNECT, found \"{Operation}\"", "request.operation");
                return null;
            }
            var oldObject = OldObject is { } old ? Parse(body[old], maxDepth) : (JsonElement?)null;
            if (Operation is "DELETE" or "CONNECT")
            {
                return new AdmissionRequest(Uid, Operation, ResourceKind ?? "", Namespace, Name, DryRun, null, oldObject);
            }
            if (Object is not { } obj)
            {
                problem = new("missing-object", $"expected the object being admitted, found {ObjectFound ?? "nothing"}", "request.object");
                return null;
            }
            var kind = ResourceKind ?? ObjectKind;
            if (kind is null)
            {
                problem = new("missing-kind", "neither request.kind.kind nor request.object.kind says what the object is", "request.kind");
                return null;
            }
            return new AdmissionRequest(Uid, Operation, kind, Namespace, Name, DryRun, JsonSource.FromUtf8(body[obj]), oldObject)
            {
                Pod = Pod,
                PodErrors = PodErrors ?? [],
                ObjectName = ObjectName,
            };
        }
    }

    private static void ReadReview(ref JsonCursor reader, ReadOnlyMemory<byte> body, ref Review review)
    {
        while (JsonTokens.NextField(ref reader, out var field))
        {
            if (field.SequenceEqual("apiVersion"u8))
            {
                review.ApiVersion = Text(ref reader);
            }
            else if (field.SequenceEqual("kind"u8))
            {
                review.Kind = Text(ref reader);
            }
            else if (field.SequenceEqual("request"u8))
            {
                review.HasRequest = true;
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    review.RequestNotAnObject = null;
                    ReadRequest(ref reader, body, ref review);
                }
                else
                {
                    review.RequestNotAnObject = Describe(ref reader);
                    reader.Skip();
                }
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadRequest(ref JsonCursor reader, ReadOnlyMemory<byte> body, ref Review review)
    {
        while (JsonTokens.NextField(ref reader, out var field))
        {
            if (field.SequenceEqual("uid"u8))
            {
                (review.Uid, review.UidFound) = (Text(ref reader, out var found), found);
            }
            else if (field.SequenceEqual("operation"u8))
            {
                (review.Operation, review.OperationFound) = (Text(ref reader, out var found), found);
            }
            else if (field.SequenceEqual("namespace"u8))
            {
                review.Namespace = Text(ref reader);
            }
            else if (field.SequenceEqual("name"u8))
            {
                review.Name = Text(ref reader);
            }
            else if (field.SequenceEqual("dryRun"u8))
            {
                review.DryRun = reader.TokenType == JsonTokenType.True;
            }
            else if (field.SequenceEqual("kind"u8))
            {
                review.ResourceKind = ResourceKind(ref reader);
            }
            else if (field.SequenceEqual("object"u8))
            {
                ReadObject(ref reader, body, ref review);
                continue;
            }
            else if (field.SequenceEqual("oldObject"u8))
            {
                var start = (int)reader.TokenStartIndex;
                var isObject = reader.TokenType == JsonTokenType.StartObject;
                reader.Skip();
                review.OldObject = isObject ? start..(int)reader.BytesConsumed : null;
                continue;
            }
            reader.Skip();
        }
    }

    /// <summary>
    /// The object: a pod (or a workload's template) read in this pass when the request's kind, read before it, runs
    /// pods; else kept as its bytes (and its kind noted, for a request that names none).
    /// </summary>
    private static void ReadObject(ref JsonCursor reader, ReadOnlyMemory<byte> body, ref Review review)
    {
        review.Pod = null;
        review.PodErrors = null;
        review.ObjectName = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            review.Object = null;
            review.ObjectFound = Describe(ref reader);
            reader.Skip();
            return;
        }
        var start = (int)reader.TokenStartIndex;
        if (PodReader.CarriesPods(review.ResourceKind))
        {
            var errors = new InputErrors();
            review.Pod = PodReader.Read(ref reader, body, review.ResourceKind, "request.object", errors, out var header);
            review.PodErrors = errors.All;
            review.ObjectKind = header.Kind;
            review.ObjectName = header.Metadata.Name ?? header.Metadata.GenerateName;
        }
        else
        {
            review.ObjectKind = KindOf(ref reader);
        }
        review.Object = start..(int)reader.BytesConsumed;
    }

    /// <summary>The object's own kind, when a string; the reader is left at the object's end.</summary>
    private static string? KindOf(ref JsonCursor reader)
    {
        string? kind = null;
        while (JsonTokens.NextField(ref reader, out var field))
        {
            if (field.SequenceEqual("kind"u8) && reader.TokenType == JsonTokenType.String)
            {
                kind = reader.GetString();
            }
            reader.Skip();
        }
        return kind;
    }

    /// <summary>request.kind: the group, version and kind of the object; only the kind is read.</summary>
    private static string? ResourceKind(ref JsonCursor reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        string? kind = null;
        while (JsonTokens.NextField(ref reader, out var field))
        {
            if (field.SequenceEqual("kind"u8))
            {
                kind = Text(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
        return kind;
    }

    /// <summary>A string, or null for anything else (skipped).</summary>
    private static string? Text(ref JsonCursor reader) => Text(ref reader, out _);

    /// <summary>A string, or null with what was <paramref name="found"/> instead.</summary>
    private static string? Text(ref JsonCursor reader, out string? found)
    {
        found = null;
        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.GetString();
            found = "a string";
            return text;
        }
        found = Describe(ref reader);
        reader.Skip();
        return null;
    }

    private static string Describe(ref JsonCursor reader) => JsonTokens.Describe(ref reader);

    private static JsonElement Parse(ReadOnlyMemory<byte> utf8, int maxDepth)
    {
        var reader = new Utf8JsonReader(utf8.Span, new JsonReaderOptions { MaxDepth = maxDepth });
        return JsonElement.ParseValue(ref reader);
    }
}
