using System.Buffers;
using System.Text.Json;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Webhook;
using AirflowGuard.Webhook.Admission;
using AirflowGuard.Webhook.Policies;
using Microsoft.Extensions.Logging.Abstractions;

namespace AirflowGuard.Playground;

/// <summary>
/// The AdmissionReview responses the webhook would return for an object (CREATE): its own
/// <see cref="AdmissionHandler"/>, over the playground's policy files and cluster objects.
/// </summary>
internal sealed class AdmissionPreview : IDisposable
{
    private readonly string _folder;
    private readonly PolicyStore _store;
    private readonly WebhookOptions _options;
    private readonly WebhookMetrics _metrics = new();
    private readonly DecisionLog _log = DecisionLog.Off;

    public AdmissionPreview(IReadOnlyList<PolicyPackFile> files)
    {
        // the webhook reads policies from files: the same loader, over the same texts
        _folder = Directory.CreateTempSubdirectory("airflowguard-playground-").FullName;
        for (var i = 0; i < files.Count; i++)
        {
            var name = new string(Path.GetFileNameWithoutExtension(files[i].File).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
            File.WriteAllText(Path.Combine(_folder, $"{i:D3}-{name}.yaml"), files[i].Text);
        }
        _options = new WebhookOptions { Policies = _folder };
        _store = new PolicyStore(_options, _metrics, NullLogger<PolicyStore>.Instance);
        _store.ReloadIfChanged();
    }

    /// <summary>The validating and the mutating webhook's answers, as the API server would receive them.</summary>
    public (byte[] Validate, byte[] Mutate) Answer(JsonElement obj, string defaultNamespace, IClusterState cluster, string uid)
    {
        var handler = new AdmissionHandler(_store, cluster, _options, _metrics, _log, NullLogger<AdmissionHandler>.Instance);
        var review = Review(obj, defaultNamespace, uid);
        return (handler.Handle(review, AdmissionEndpoint.Validate).Body, handler.Handle(review, AdmissionEndpoint.Mutate).Body);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static byte[] Review(JsonElement obj, string defaultNamespace, string uid)
    {
        var kind = KubeObjectReader.Kind(obj) ?? "";
        var apiVersion = obj.TryGetProperty("apiVersion", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "v1";
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        var meta = obj.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        string? Meta(string key) => meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("apiVersion", "admission.k8s.io/v1");
            json.WriteString("kind", "AdmissionReview");
            json.WriteStartObject("request");
            json.WriteString("uid", uid);
            json.WriteStartObject("kind");
            json.WriteString("group", group);
            json.WriteString("version", version);
            json.WriteString("kind", kind);
            json.WriteEndObject();
            json.WriteString("name", Meta("name"));
            json.WriteString("namespace", Meta("namespace") ?? defaultNamespace);
            json.WriteString("operation", "CREATE");
            json.WriteStartObject("userInfo");
            json.WriteString("username", "airflowguard-playground");
            json.WriteEndObject();
            json.WritePropertyName("object");
            obj.WriteTo(json);
            json.WriteBoolean("dryRun", true);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
