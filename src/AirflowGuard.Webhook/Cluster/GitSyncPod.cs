using System.Text.Json;
using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Kubernetes;

namespace AirflowGuard.Webhook.Cluster;

/// <summary>A running pod that syncs git into claims: who it belongs to, and which claims it writes.</summary>
public sealed record GitSyncPod(string Namespace, string Owner, IReadOnlyList<string> Claims)
{
    /// <summary>Null for pods that run no git-sync writing into a claim (they are not kept).</summary>
    public static GitSyncPod? Read(JsonElement obj, RecognitionRules recognition)
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
        if (claims.Count == 0)
        {
            return null;
        }
        // pods of one workload count once: its owner (ReplicaSet, StatefulSet …) names it
        var owner = obj.GetProperty("metadata").TryGetProperty("ownerReferences", out var owners) && owners.ValueKind == JsonValueKind.Array && owners.GetArrayLength() > 0
            ? $"{owners[0].GetProperty("kind").GetString()}/{owners[0].GetProperty("name").GetString()}"
            : $"Pod/{pod.Metadata.Name}";
        return new GitSyncPod(pod.Metadata.Namespace ?? "default", owner, claims.Distinct(StringComparer.Ordinal).ToList());
    }
}
