using System.Net;
using System.Text.Json.Nodes;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Webhook.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AirflowGuard.Webhook.Tests;

/// <summary>
/// The webhook resolves claims from a watch-backed cache of the cluster: against a real HTTP
/// endpoint speaking the API server's list and watch formats, including dropped and expired watches.
/// </summary>
public class ClusterCacheTests
{
    private static readonly JsonObject OssVolume = JsonNode.Parse("""
        { "apiVersion": "v1", "kind": "PersistentVolume", "metadata": { "name": "pv-logs" },
          "spec": { "accessModes": ["ReadWriteMany"], "capacity": { "storage": "20Gi" },
                    "csi": { "driver": "ossplugin.csi.alibabacloud.com", "volumeHandle": "pv-logs", "volumeAttributes": { "bucket": "logs" } } } }
        """)!.AsObject();

    private static readonly JsonObject NasVolume = JsonNode.Parse("""
        { "apiVersion": "v1", "kind": "PersistentVolume", "metadata": { "name": "pv-logs" },
          "spec": { "accessModes": ["ReadWriteMany"], "capacity": { "storage": "20Gi" },
                    "csi": { "driver": "nasplugin.csi.alibabacloud.com", "volumeHandle": "pv-logs" } } }
        """)!.AsObject();

    private static readonly JsonObject Claim = JsonNode.Parse("""
        { "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": { "name": "logs", "namespace": "airflow" },
          "spec": { "accessModes": ["ReadWriteMany"], "storageClassName": "", "volumeName": "pv-logs" } }
        """)!.AsObject();

    private const string SchedulerOnClaim = """
        apiVersion: v1
        kind: Pod
        metadata: { name: airflow-scheduler-0, namespace: airflow, labels: { tier: airflow, component: scheduler, release: airflow } }
        spec:
          containers:
            - name: scheduler
              image: apache/airflow:2.9.3
              args: [bash, -c, exec airflow scheduler]
              volumeMounts: [{ name: logs, mountPath: /opt/airflow/logs }]
          volumes: [{ name: logs, persistentVolumeClaim: { claimName: logs } }]
        """;

    [Fact]
    public async Task ListItemsWithoutAKind_AsTheApiServerSendsThem_AreStillGitSyncWritersAndDecodedSecrets()
    {
        // a real list's items carry no apiVersion or kind; the cache must not need them
        await using var api = await FakeApiServer.StartAsync();
        api.Add("pods", JsonNode.Parse("""
            { "metadata": { "name": "airflow-dag-processor-7d9f", "namespace": "airflow", "ownerReferences": [{ "kind": "ReplicaSet", "name": "airflow-dag-processor-7d9f" }] },
              "spec": { "containers": [ { "name": "git-sync", "image": "registry.k8s.io/git-sync/git-sync:v4.2.3",
                          "volumeMounts": [ { "name": "dags", "mountPath": "/git" } ] } ],
                        "volumes": [ { "name": "dags", "persistentVolumeClaim": { "claimName": "dags" } } ] },
              "status": { "phase": "Running" } }
            """)!.AsObject());
        api.Add("persistentvolumeclaims", JsonNode.Parse("""
            { "metadata": { "name": "dags", "namespace": "airflow" }, "spec": { "accessModes": ["ReadWriteMany"], "storageClassName": "", "volumeName": "pv-dags" } }
            """)!.AsObject());
        api.Add("persistentvolumes", JsonNode.Parse("""
            { "metadata": { "name": "pv-dags" }, "spec": { "accessModes": ["ReadWriteMany"], "nfs": { "server": "nas", "path": "/dags" } } }
            """)!.AsObject());
        await using var webhook = await ReadyWithCacheOfAsync(api);
        var client = webhook.Client();
        var scheduler = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: airflow-scheduler, namespace: airflow }
            spec:
              template:
                metadata: { labels: { tier: airflow, component: scheduler } }
                spec:
                  containers:
                    - name: scheduler
                      image: apache/airflow:2.10.5
                      volumeMounts: [{ name: dags, mountPath: /opt/airflow/dags }]
                    - name: git-sync
                      image: registry.k8s.io/git-sync/git-sync:v4.2.3
                      volumeMounts: [{ name: dags, mountPath: /git }]
                  volumes: [{ name: dags, persistentVolumeClaim: { claimName: dags } }]
            """;

        var (_, answer, _) = await webhook.PostAsync(client, "/validate", Reviews.Create(scheduler));

        var response = Reviews.Response(answer);
        Assert.False(response.GetProperty("allowed").GetBoolean());
        Assert.Contains("also written by ReplicaSet/airflow-dag-processor-7d9f", response.GetProperty("status").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALargeList_IsReadInPages_AndEveryObjectArrives()
    {
        await using var api = await FakeApiServer.StartAsync();
        for (var i = 0; i < 1_200; i++)
        {
            api.Add("persistentvolumeclaims", JsonNode.Parse($$"""
                { "metadata": { "name": "c{{i:D4}}", "namespace": "airflow" }, "spec": { "accessModes": ["ReadWriteMany"], "storageClassName": "" } }
                """)!.AsObject());
        }
        // the claim the scheduler mounts sorts last, on the third page of 500
        api.Add("persistentvolumeclaims", JsonNode.Parse("""
            { "metadata": { "name": "logs", "namespace": "airflow" }, "spec": { "accessModes": ["ReadWriteMany"], "storageClassName": "", "volumeName": "pv-logs" } }
            """)!.AsObject());
        api.Add("persistentvolumes", OssVolume.DeepClone().AsObject());
        await using var webhook = await ReadyWithCacheOfAsync(api);
        var client = webhook.Client();

        var (_, answer, _) = await webhook.PostAsync(client, "/validate", Reviews.Create(SchedulerOnClaim));

        Assert.False(Reviews.Response(answer).GetProperty("allowed").GetBoolean());
        var pages = api.Requests.Where(r => r.StartsWith("GET /api/v1/persistentvolumeclaims?", StringComparison.Ordinal) && !r.Contains("watch=true", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, pages.Count);
        Assert.All(pages, p => Assert.Contains("limit=500", p, StringComparison.Ordinal));
        Assert.Contains("continue=1000", pages[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClaimsResolveFromTheCache_AndWatchEventsChangeTheVerdict()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.Add("persistentvolumes", OssVolume.DeepClone().AsObject());
        api.Add("persistentvolumeclaims", Claim.DeepClone().AsObject());
        await using var webhook = await ReadyWithCacheOfAsync(api);
        var client = webhook.Client();

        var (_, denied, _) = await webhook.PostAsync(client, "/validate", Reviews.Create(SchedulerOnClaim));
        Assert.False(Reviews.Response(denied).GetProperty("allowed").GetBoolean());
        Assert.Contains("Alibaba Cloud OSS", Reviews.Response(denied).GetProperty("status").GetProperty("message").GetString(), StringComparison.Ordinal);

        // the volume moves to NAS: the next verdict follows the watch, with no restart
        await api.PushAsync("persistentvolumes", "MODIFIED", NasVolume.DeepClone().AsObject());
        await LifecycleTests.Eventually(async () =>
            Reviews.Response((await webhook.PostAsync(client, "/validate", Reviews.Create(SchedulerOnClaim))).Body).GetProperty("allowed").GetBoolean());
        Assert.Contains("airflowguard_cluster_cache_events_total{resource=\"persistentvolumes\",type=\"MODIFIED\"} 1", await webhook.MetricsAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhatTheSyncedCacheDoesNotHold_IsSaidNotToExist_ByKindNamespaceAndName()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.Add("persistentvolumes", OssVolume.DeepClone().AsObject());
        api.Add("persistentvolumeclaims", Claim.DeepClone().AsObject());
        await using var webhook = await ReadyWithCacheOfAsync(api);
        var cluster = webhook.Services.GetRequiredService<IClusterState>();

        Assert.Equal("pv-logs", cluster.GetClaim("airflow", "logs").Value?.VolumeName);
        Assert.Equal("PersistentVolumeClaim airflow/dags does not exist", cluster.GetClaim("airflow", "dags").Reason);
        Assert.Equal("PersistentVolume pv-dags does not exist", cluster.GetPersistentVolume("pv-dags").Reason);
        Assert.Equal("StorageClass efs-sc does not exist", cluster.GetStorageClass("efs-sc").Reason);
        Assert.Equal("ConfigMap airflow/airflow-config does not exist", cluster.GetConfigMap("airflow", "airflow-config").Reason);
        Assert.Equal("ServiceAccount airflow/airflow-scheduler does not exist", cluster.GetServiceAccount("airflow", "airflow-scheduler").Reason);
        Assert.Equal(LookupStatus.NotFound, cluster.GetConfigMap("airflow", "airflow-config").Status);
    }

    [Fact]
    public async Task ADroppedWatch_ResumesFromTheLastResourceVersion_AndAnExpiredOneListsAgain()
    {
        await using var api = await FakeApiServer.StartAsync();
        api.Add("persistentvolumeclaims", Claim.DeepClone().AsObject());
        await using var webhook = await RunningWebhook.StartAsync(s => s.Arguments.AddRange(["--cluster-cache", "optional", "--cluster-server", api.Address.ToString()]));
        await LifecycleTests.Eventually(() => api.WatchVersions("persistentvolumeclaims").Any());

        var other = Claim.DeepClone().AsObject();
        other["metadata"]!["name"] = "dags";
        await api.PushAsync("persistentvolumeclaims", "ADDED", other);
        var addedVersion = other["metadata"]!["resourceVersion"]!.GetValue<string>();
        await api.DropWatchAsync("persistentvolumeclaims");
        await LifecycleTests.Eventually(() => api.WatchVersions("persistentvolumeclaims").Contains(addedVersion));
        Assert.Equal(1, api.ListCount("persistentvolumeclaims"));

        api.ExpireNextWatch("persistentvolumeclaims");
        await api.DropWatchAsync("persistentvolumeclaims");
        await LifecycleTests.Eventually(() => api.ListCount("persistentvolumeclaims") == 2);
    }

    [Fact]
    public async Task UnreachableApiServer_UnknownBacking_NotReadyWhenRequired_AndNeverA5xx()
    {
        await using var webhook = await RunningWebhook.StartAsync(s => s.Arguments.AddRange(["--cluster-cache", "required", "--cluster-server", "http://127.0.0.1:1/"]));
        var client = webhook.Client();

        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        var (status, body, _) = await webhook.PostAsync(client, "/validate", Reviews.Create(SchedulerOnClaim));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("cluster cache has not synced", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(Reviews.Response(body).GetProperty("allowed").GetBoolean());
        var notChecked = Reviews.Warnings(body).Where(w => w.Contains("not checked", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(notChecked);
        // "policy/rule: not checked: why", said once (it once read "policy/rule not checked: not checked: why")
        Assert.All(notChecked, w => Assert.Matches(@"^[a-z0-9-]+/[a-z0-9-]+: not checked: (?!not checked)\S", w));
    }

    /// <summary>A webhook whose cluster cache is required and reads <paramref name="api"/>, once ready (its cache synced).</summary>
    private static async Task<RunningWebhook> ReadyWithCacheOfAsync(FakeApiServer api)
    {
        var webhook = await RunningWebhook.StartAsync(s => s.Arguments.AddRange(["--cluster-cache", "required", "--cluster-server", api.Address.ToString()]));
        try
        {
            var client = webhook.Client();
            await LifecycleTests.Eventually(async () => (await client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK);
            return webhook;
        }
        catch
        {
            await webhook.DisposeAsync();
            throw;
        }
    }
}
