using System.Text.Json;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Webhook.Admission;

namespace AirflowGuard.Webhook.Tests.Support.Oracle;

/// <summary>
/// The test oracle for <see cref="AdmissionReviewReader"/>: the reader AirflowGuard used before it had one review reader
/// (at 74d5822), which looks each field up in a parsed <see cref="JsonDocument"/>. Nothing in src/ uses it.
/// </summary>
internal static class ThoroughAdmissionRequestReader
{
    public const string ApiVersion = "admission.k8s.io/v1";

    public static ThoroughRequest? Read(JsonElement root, out BadAdmissionRequest? problem)
    {
        problem = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = new("not-an-admission-review", $"expected an AdmissionReview object, found {JsonRead.Describe(root)}", "$");
            return null;
        }
        var apiVersion = String(root, "apiVersion");
        var kind = String(root, "kind");
        if (kind != "AdmissionReview")
        {
            problem = new("not-an-admission-review", kind is null
                ? "expected kind: AdmissionReview, found no kind"
                : $"expected kind: AdmissionReview, found \"{kind}\"", "kind");
            return null;
        }
        if (apiVersion != ApiVersion)
        {
            problem = new("unsupported-version", apiVersion is null
                ? $"expected apiVersion: {ApiVersion}, found none"
                : $"expected apiVersion: {ApiVersion}, found \"{apiVersion}\"; register the webhook with admissionReviewVersions: [v1]", "apiVersion");
            return null;
        }
        if (!root.TryGetProperty("request", out var request) || request.ValueKind != JsonValueKind.Object)
        {
            problem = new("missing-request", Missing(root, "request", "an object"), "request");
            return null;
        }
        var uid = String(request, "uid");
        if (string.IsNullOrEmpty(uid))
        {
            problem = new("missing-uid", Missing(request, "uid", "a non-empty string"), "request.uid");
            return null;
        }
        var operation = String(request, "operation");
        if (operation is not ("CREATE" or "UPDATE" or "DELETE" or "CONNECT"))
        {
            problem = new("bad-operation", operation is null
                ? Missing(request, "operation", "CREATE, UPDATE, DELETE or CONNECT")
                : $"expected CREATE, UPDATE, DELETE or CONNECT, found \"{operation}\"", "request.operation");
            return null;
        }
        var resourceKind = request.TryGetProperty("kind", out var gvk) && gvk.ValueKind == JsonValueKind.Object ? String(gvk, "kind") : null;
        var dryRun = request.TryGetProperty("dryRun", out var dry) && dry.ValueKind == JsonValueKind.True;
        var @namespace = String(request, "namespace");
        var name = String(request, "name");
        JsonElement? oldObject = request.TryGetProperty("oldObject", out var old) && old.ValueKind == JsonValueKind.Object ? old : null;

        if (operation is "DELETE" or "CONNECT")
        {
            return new ThoroughRequest(uid, operation, resourceKind ?? "", @namespace, name, dryRun, null, oldObject?.GetRawText());
        }
        if (!request.TryGetProperty("object", out var obj) || obj.ValueKind != JsonValueKind.Object)
        {
            problem = new("missing-object", Missing(request, "object", "the object being admitted"), "request.object");
            return null;
        }
        resourceKind ??= String(obj, "kind");
        if (resourceKind is null)
        {
            problem = new("missing-kind", "neither request.kind.kind nor request.object.kind says what the object is", "request.kind");
            return null;
        }
        return new ThoroughRequest(uid, operation, resourceKind, @namespace, name, dryRun, obj.GetRawText(), oldObject?.GetRawText());
    }

    private static string? String(JsonElement obj, string property) =>
        obj.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Missing(JsonElement obj, string property, string expected) =>
        obj.TryGetProperty(property, out var value)
            ? $"expected {expected}, found {JsonRead.Describe(value)}"
            : $"expected {expected}, found nothing";
}
