using System.Text.Json;
using System.Text.Json.Nodes;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Cluster;

/// <summary>
/// A one-off, read-only copy of the objects `audit` and `check --cluster` need: running pods (of one
/// namespace, or all), the claims, volumes, classes, ConfigMaps (and Secrets, when allowed)
/// that resolve what backs them, and the AirflowPolicyException objects that waive policies. Each becomes a manifest object located as "cluster:Kind/ns/name".
/// </summary>
public static class ClusterSnapshot
{
    private static readonly (string Kind, string ApiVersion, string Path, bool Namespaced)[] StorageKinds =
    [
        ("PersistentVolumeClaim", "v1", "api/v1/persistentvolumeclaims", true),
        ("PersistentVolume", "v1", "api/v1/persistentvolumes", false),
        ("StorageClass", "storage.k8s.io/v1", "apis/storage.k8s.io/v1/storageclasses", false),
        ("ConfigMap", "v1", "api/v1/configmaps", true),
    ];

    public static async Task<List<ManifestObject>> LoadAsync(HttpClient api, string? @namespace, bool includePods, bool readSecrets, CancellationToken cancellationToken)
    {
        var objects = new List<ManifestObject>();
        var kinds = StorageKinds.ToList();
        if (readSecrets)
        {
            kinds.Add(("Secret", "v1", "api/v1/secrets", true));
        }
        if (includePods)
        {
            kinds.Add(("Pod", "v1", "api/v1/pods", true));
        }
        kinds.Add((ExceptionKind, "airflowguard.dev/v1", ExceptionPath, true));
        foreach (var (kind, apiVersion, path, namespaced) in kinds)
        {
            var scoped = !namespaced || @namespace is null ? path
                : path.StartsWith("api/v1/", StringComparison.Ordinal) ? path.Replace("api/v1/", $"api/v1/namespaces/{Uri.EscapeDataString(@namespace)}/", StringComparison.Ordinal)
                : path.Replace("/v1/", $"/v1/namespaces/{Uri.EscapeDataString(@namespace)}/", StringComparison.Ordinal);
            await foreach (var item in ListAsync(api, scoped, kind, optional: kind == ExceptionKind, cancellationToken).ConfigureAwait(false))
            {
                if (kind == "Pod" && item["status"]?["phase"]?.GetValue<string>() is "Succeeded" or "Failed")
                {
                    continue; // finished pods hold no volumes any more
                }
                item["kind"] = kind; // list items carry no kind
                item["apiVersion"] = apiVersion;
                var name = item["metadata"]?["name"]?.GetValue<string>() ?? "?";
                var ns = item["metadata"]?["namespace"]?.GetValue<string>();
                using var document = JsonDocument.Parse(item.ToJsonString());
                objects.Add(new ManifestObject(document.RootElement.Clone(), $"cluster:{kind}/{(ns is null ? "" : ns + "/")}{name}", 1, objects.Count));
            }
        }
        return objects;
    }

    private const string ExceptionKind = "AirflowPolicyException";
    private const string ExceptionPath = "apis/airflowguard.dev/v1/airflowpolicyexceptions";

    /// <summary>
    /// Every item of a list, read in pages of 500 (limit/continue) as kubectl reads them, so a large cluster never arrives
    /// as one response. An <paramref name="optional"/> kind whose CRD is not installed (404) lists as empty.
    /// </summary>
    private static async IAsyncEnumerable<JsonObject> ListAsync(HttpClient api, string path, string kind, bool optional,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? next = null;
        do
        {
            var page = $"{path}?limit=500" + (next is null ? "" : $"&continue={Uri.EscapeDataString(next)}");
            using var response = await api.GetAsync(new Uri(api.BaseAddress!, page), cancellationToken).ConfigureAwait(false);
            if (optional && response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                yield break; // the CRD is not installed: no objects of the kind
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"listing {kind}s: the API server answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            var list = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false))!;
            next = list["metadata"]?["continue"]?.GetValue<string>() is { Length: > 0 } more ? more : null;
            foreach (var item in list["items"]!.AsArray().OfType<JsonObject>())
            {
                yield return item;
            }
        }
        while (next is not null);
    }
}
