using System.Text.Json.Nodes;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Checking;

/// <summary>
/// The policies the installed webhook serves, read from the cluster: its Deployment (labelled
/// <c>app.kubernetes.io/name=airflowguard</c>, as the chart and the kustomize base label it, or the one named),
/// the <c>--policies</c> folders and files its container is given, the ConfigMaps mounted there
/// (plain or projected, with their <c>items</c> and <c>subPath</c>), and their keys read as the files the webhook
/// reads. A webhook started without <c>--policies</c> serves its bundled pack.
/// </summary>
internal static class ClusterPolicies
{
    public const string WebhookLabel = "app.kubernetes.io/name=airflowguard";

    /// <summary>Where the policies came from, for the report; with the load result.</summary>
    public sealed record Loaded(PolicyLoadResult Result, string Origin);

    /// <param name="webhook">NAMESPACE/DEPLOYMENT of the webhook; null finds the one labelled <see cref="WebhookLabel"/>.</param>
    /// <exception cref="ClusterPolicyException">No webhook, several, or policies from a volume that is not a ConfigMap.</exception>
    public static async Task<Loaded> LoadAsync(HttpClient api, string? webhook, CancellationToken cancellationToken)
    {
        var deployment = await FindWebhookAsync(api, webhook, cancellationToken).ConfigureAwait(false);
        var ns = (string?)deployment["metadata"]?["namespace"] ?? "default";
        var name = $"{ns}/{(string?)deployment["metadata"]?["name"]}";
        var spec = deployment["spec"]?["template"]?["spec"] as JsonObject
            ?? throw new ClusterPolicyException($"Deployment {name} has no pod template");
        // the container given --policies (the image's entrypoint says serve, so the args need not); else the first, which
        // then serves the bundled pack
        var containers = (spec["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var container = containers.FirstOrDefault(c => PolicyPaths(Words(c)).Count > 0) ?? containers.FirstOrDefault()
            ?? throw new ClusterPolicyException($"Deployment {name} has no container");
        var paths = PolicyPaths(Words(container));
        if (paths.Count == 0)
        {
            return new Loaded(BundledPolicies.Load(), $"the bundled pack (Deployment {name} runs without --policies)");
        }

        var sources = new List<(string File, string Text)>();
        var configMaps = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var mount = (container["volumeMounts"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(m => (string?)m["mountPath"] is { } at && Under(path, at))
                .OrderByDescending(m => ((string)m["mountPath"]!).Length)
                .FirstOrDefault()
                ?? throw new ClusterPolicyException($"--policies {path} of Deployment {name}: no volume is mounted there, so the webhook reads its image's files, which this command cannot see");
            var volumeName = (string?)mount["name"];
            var volume = (spec["volumes"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(v => (string?)v["name"] == volumeName)
                ?? throw new ClusterPolicyException($"Deployment {name} mounts volume {volumeName}, which it does not declare");
            var inside = path.Length > ((string)mount["mountPath"]!).TrimEnd('/').Length ? path[(((string)mount["mountPath"]!).TrimEnd('/').Length + 1)..] : "";
            if ((string?)mount["subPath"] is { Length: > 0 } subPath)
            {
                inside = inside.Length == 0 ? subPath : $"{subPath}/{inside}";
            }
            foreach (var (configMap, items) in Projections(volume, name))
            {
                if (!configMaps.TryGetValue(configMap, out var obj))
                {
                    obj = await GetConfigMapAsync(api, ns, configMap, cancellationToken).ConfigureAwait(false);
                    configMaps[configMap] = obj;
                }
                var data = obj["data"] as JsonObject ?? [];
                // without items every key is a file of the folder, as the kubelet writes it
                foreach (var (key, file) in items ?? [.. data.Select(d => (d.Key, d.Key))])
                {
                    // the policy path is the whole folder, or one file of it; the webhook's loader reads *.yaml and *.yml, not hidden files
                    if ((inside.Length > 0 && inside != file) || file.StartsWith('.') ||
                        !(file.EndsWith(".yaml", StringComparison.Ordinal) || file.EndsWith(".yml", StringComparison.Ordinal)))
                    {
                        continue;
                    }
                    if (data[key] is JsonValue value)
                    {
                        sources.Add(($"ConfigMap {ns}/{configMap}: {key}", value.GetValue<string>()));
                    }
                }
            }
        }
        var origin = $"ConfigMap{(configMaps.Count == 1 ? "" : "s")} {string.Join(", ", configMaps.Keys.Select(c => $"{ns}/{c}"))} (Deployment {name})";
        return new Loaded(PolicyLoader.LoadTexts(sources, requirePolicies: true, origin), origin);
    }

    private static async Task<JsonObject> FindWebhookAsync(HttpClient api, string? webhook, CancellationToken cancellationToken)
    {
        if (webhook is not null)
        {
            var slash = webhook.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == webhook.Length - 1)
            {
                throw new ClusterPolicyException($"--policies-from-cluster {webhook}: give the webhook's Deployment as NAMESPACE/NAME");
            }
            var (ns, name) = (webhook[..slash], webhook[(slash + 1)..]);
            return await GetAsync(api, $"apis/apps/v1/namespaces/{ns}/deployments/{name}", $"Deployment {webhook}", cancellationToken).ConfigureAwait(false);
        }
        var list = await GetAsync(api, $"apis/apps/v1/deployments?labelSelector={Uri.EscapeDataString(WebhookLabel)}", "Deployments", cancellationToken).ConfigureAwait(false);
        var found = (list["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        return found.Count switch
        {
            0 => throw new ClusterPolicyException($"no AirflowGuard webhook in the cluster: no Deployment is labelled {WebhookLabel}; name yours with --policies-from-cluster NAMESPACE/DEPLOYMENT"),
            1 => found[0],
            _ => throw new ClusterPolicyException($"{found.Count} AirflowGuard webhooks in the cluster ({string.Join(", ", found.Select(d => $"{d["metadata"]?["namespace"]}/{d["metadata"]?["name"]}"))}); name one with --policies-from-cluster NAMESPACE/DEPLOYMENT"),
        };
    }

    private static Task<JsonObject> GetConfigMapAsync(HttpClient api, string ns, string name, CancellationToken cancellationToken) =>
        GetAsync(api, $"api/v1/namespaces/{ns}/configmaps/{name}", $"ConfigMap {ns}/{name}", cancellationToken);

    private static async Task<JsonObject> GetAsync(HttpClient api, string path, string what, CancellationToken cancellationToken)
    {
        using var response = await api.GetAsync(new Uri(api.BaseAddress!, path), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new ClusterPolicyException($"{what}: not found");
        }
        if (!response.IsSuccessStatusCode)
        {
            throw new ClusterPolicyException($"reading {what}: the API server answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)) as JsonObject
            ?? throw new ClusterPolicyException($"reading {what}: the API server's answer is not an object");
    }

    /// <summary>The ConfigMaps a volume projects into its folder, each with its items (key, file) or null for every key.</summary>
    private static IEnumerable<(string ConfigMap, List<(string Key, string File)>? Items)> Projections(JsonObject volume, string deployment)
    {
        var projections = volume["configMap"] is JsonObject plain
            ? [plain]
            : volume["projected"]?["sources"] is JsonArray sources
                ? sources.OfType<JsonObject>().Select(s => s["configMap"]).OfType<JsonObject>().ToList()
                : throw new ClusterPolicyException($"Deployment {deployment} reads its policies from volume {volume["name"]}, which is not a ConfigMap: " +
                    "this command reads ConfigMaps only; check with --policies and the files instead");
        return projections.Select(c => ((string?)c["name"] ?? "", c["items"] is JsonArray items
            ? items.OfType<JsonObject>().Select(i => ((string?)i["key"] ?? "", (string?)i["path"] ?? "")).ToList()
            : null));
    }

    private static List<string> Words(JsonObject container) =>
        [.. (container["command"] as JsonArray ?? []).Concat(container["args"] as JsonArray ?? []).Select(w => (string?)w ?? "")];

    /// <summary>The paths given to <c>--policies</c> (comma-separated; <c>--policies=P</c> or <c>--policies P</c>).</summary>
    private static List<string> PolicyPaths(List<string> words)
    {
        var paths = new List<string>();
        for (var i = 0; i < words.Count; i++)
        {
            var value = words[i].StartsWith("--policies=", StringComparison.Ordinal) ? words[i]["--policies=".Length..]
                : words[i] == "--policies" && i + 1 < words.Count ? words[++i] : null;
            if (value is not null)
            {
                paths.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => p.TrimEnd('/')));
            }
        }
        return paths;
    }

    private static bool Under(string path, string mountPath)
    {
        var at = mountPath.TrimEnd('/');
        return path == at || path.StartsWith(at + "/", StringComparison.Ordinal);
    }
}

/// <summary>The installed webhook's policies cannot be read; the message says why.</summary>
internal sealed class ClusterPolicyException(string message) : Exception(message);
