using System.Text.Json;
using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Webhook.Cluster;

/// <summary>
/// A running pod as the cache keeps it: the claims its git-sync writes, and, for a long-running Airflow component, the
/// pod itself, which admitted objects are compared with (one signing key, the same cloud identity, a common group on a
/// shared logs claim). Other pods are not kept: a cluster's task pods come and go by the thousand.
/// </summary>
/// <param name="Owner">"ReplicaSet/airflow-scheduler-7d9f": pods of one workload count once.</param>
/// <param name="Report">With reports on: the Airflow pod itself (task pods too), as the PolicyReports loop checks it.</param>
public sealed record WatchedPod(string Namespace, string Owner, IReadOnlyList<string> GitSyncClaims, AirflowPeer? Peer, ManifestObject? Report = null)
{
    /// <summary>
    /// Null for pods that neither run git-sync into a claim nor are a long-running Airflow component (nor, with
    /// <paramref name="keepAirflowPods"/>, any Airflow pod the reports judge).
    /// </summary>
    public static WatchedPod? Read(JsonElement obj, RecognitionRules recognition, bool keepAirflowPods = false)
    {
        var pod = PodReader.Read(obj, "Pod", "", new InputErrors()); // list items carry no kind
        if (pod is null)
        {
            return null;
        }
        var claims = new List<string>();
        foreach (var container in pod.AllContainers)
        {
            if (ContainerClassifier.Classify(container, recognition) != ContainerRole.GitSync)
            {
                continue;
            }
            foreach (var mount in container.Mounts)
            {
                if (!mount.ReadOnly && pod.FindVolume(mount.Name) is { Source.Kind: VolumeSourceKind.PersistentVolumeClaim } volume && volume.Source.Reference is { } claim)
                {
                    claims.Add(claim);
                }
            }
        }
        var @namespace = pod.Metadata.Namespace ?? "default";
        var (ownerKind, ownerName) = obj.GetProperty("metadata").TryGetProperty("ownerReferences", out var owners) && owners.ValueKind == JsonValueKind.Array && owners.GetArrayLength() > 0
            ? (owners[0].GetProperty("kind").GetString() ?? "", owners[0].GetProperty("name").GetString() ?? "")
            : ("Pod", pod.Metadata.Name ?? "");
        var peer = AirflowPeer.Of(pod, WorkloadOf(ownerKind, ownerName, pod, @namespace), recognition);
        var report = keepAirflowPods && AirflowPeer.IsAirflow(pod, recognition) ? AsManifest(obj, @namespace, pod.Metadata.Name ?? "") : null;
        return claims.Count == 0 && peer is null && report is null
            ? null
            : new WatchedPod(@namespace, $"{ownerKind}/{ownerName}", claims.Distinct(StringComparer.Ordinal).ToList(), peer, report);
    }

    /// <summary>The pod as a manifest object located "cluster:Pod/ns/name", as <c>audit</c>'s snapshot has it (a list item carries no kind).</summary>
    private static ManifestObject AsManifest(JsonElement obj, string @namespace, string name)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(obj.GetRawText())!.AsObject();
        node["kind"] = "Pod";
        node["apiVersion"] = "v1";
        using var document = JsonDocument.Parse(node.ToJsonString());
        return new ManifestObject(document.RootElement.Clone(), $"cluster:Pod/{@namespace}/{name}", 1, 0);
    }

    /// <summary>"Deployment airflow/airflow-scheduler" for a pod of ReplicaSet airflow-scheduler-7d9f5 (named after its pod-template-hash).</summary>
    private static string WorkloadOf(string kind, string name, PodView pod, string @namespace) =>
        kind == "ReplicaSet" && pod.Metadata.Label("pod-template-hash") is { Length: > 0 } hash && name.EndsWith("-" + hash, StringComparison.Ordinal)
            ? $"Deployment {@namespace}/{name[..^(hash.Length + 1)]}"
            : $"{kind} {@namespace}/{name}";
}
