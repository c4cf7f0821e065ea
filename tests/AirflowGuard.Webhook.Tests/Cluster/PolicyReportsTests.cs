using System.Text.Json.Nodes;
using AirflowGuard.Cli;
using AirflowGuard.Cluster;
using AirflowGuard.Reports;
using AirflowGuard.Webhook.Policies;
using AirflowGuard.Webhook.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace AirflowGuard.Webhook.Tests;

/// <summary>
/// The PolicyReports loop and the Lease it campaigns for, against the fake API server: one replica leads at a time and
/// hands over when it stops or stops renewing; its reports, made from the cluster cache, say what
/// <c>audit --output policyreport</c> says of the same cluster, are written only when they change, and are capped.
/// </summary>
public class PolicyReportsTests
{
    private const string LeasePath = "/apis/coordination.k8s.io/v1/namespaces/airflowguard/leases/airflowguard-reports";

    private static LeaseElection Election(FakeApiServer api, string identity) =>
        new(new HttpClient { BaseAddress = api.Address }, "airflowguard", "airflowguard-reports", identity, NullLogger.Instance)
        {
            LeaseDuration = TimeSpan.FromSeconds(2),
            RenewPeriod = TimeSpan.FromMilliseconds(300),
            RetryPeriod = TimeSpan.FromMilliseconds(200),
        };

    [Fact]
    public async Task OneReplicaLeads_AndTheOtherTakesOver_WhenItStops()
    {
        await using var api = await FakeApiServer.StartAsync();
        var (a, b) = (Election(api, "replica-a"), Election(api, "replica-b"));
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var ledByB = new TaskCompletionSource();

        var runA = a.RunAsync(token => Task.Delay(Timeout.Infinite, token), stopA.Token);
        await LifecycleTests.Eventually(() => Task.FromResult(a.IsLeader));
        var runB = b.RunAsync(token => { ledByB.TrySetResult(); return Task.Delay(Timeout.Infinite, token); }, stopB.Token);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(b.IsLeader); // the lease is held and renewed
        Assert.Equal("replica-a", (string?)api.Stored[LeasePath]["spec"]!["holderIdentity"]);

        await stopA.CancelAsync();
        await runA;

        await ledByB.Task.WaitAsync(TimeSpan.FromSeconds(10)); // handed over at once: A gave the lease up
        Assert.True(b.IsLeader);
        Assert.Equal("replica-b", (string?)api.Stored[LeasePath]["spec"]!["holderIdentity"]);
        Assert.Equal(1, (int)api.Stored[LeasePath]["spec"]!["leaseTransitions"]!);
        await stopB.CancelAsync();
        await runB;
    }

    [Fact]
    public async Task AReplicaStoppedWhileItRenews_StopsCleanly_AndGivesTheLeaseUp()
    {
        await using var api = await FakeApiServer.StartAsync();
        var a = Election(api, "replica-a");
        using var stop = new CancellationTokenSource();
        var run = a.RunAsync(token => Task.Delay(Timeout.Infinite, token), stop.Token);
        await LifecycleTests.Eventually(() => Task.FromResult(a.IsLeader));

        // the next renewal waits on a slow API server; the replica is stopped while it waits
        api.StoredReadDelay = TimeSpan.FromSeconds(1);
        var asked = api.Requests.Count;
        await LifecycleTests.Eventually(() => Task.FromResult(api.Requests.Count > asked));
        await stop.CancelAsync();

        await run.WaitAsync(TimeSpan.FromSeconds(10)); // a stop, not a TaskCanceledException
        Assert.False(a.IsLeader);
        Assert.Equal("", (string?)api.Stored[LeasePath]["spec"]!["holderIdentity"]);
    }

    [Fact]
    public async Task ALeaseItsHolderNoLongerRenews_IsTakenOverOnceItRunsOut_AndNotBefore()
    {
        await using var api = await FakeApiServer.StartAsync();
        var renewed = DateTimeOffset.UtcNow;
        api.Stored[LeasePath] = JsonNode.Parse($$"""
            { "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
              "metadata": { "name": "airflowguard-reports", "namespace": "airflowguard", "resourceVersion": "7" },
              "spec": { "holderIdentity": "crashed-replica", "leaseDurationSeconds": 2,
                        "acquireTime": "{{renewed:yyyy-MM-ddTHH:mm:ss.ffffffZ}}", "renewTime": "{{renewed:yyyy-MM-ddTHH:mm:ss.ffffffZ}}", "leaseTransitions": 3 } }
            """)!.AsObject();
        var b = Election(api, "replica-b");
        using var stop = new CancellationTokenSource();

        var run = b.RunAsync(token => Task.Delay(Timeout.Infinite, token), stop.Token);
        await LifecycleTests.Eventually(() => Task.FromResult(b.IsLeader));
        var tookOverAfter = DateTimeOffset.UtcNow - renewed;

        Assert.True(tookOverAfter >= TimeSpan.FromSeconds(1.9), $"taken over after {tookOverAfter}, before the lease ran out");
        Assert.Equal(4, (int)api.Stored[LeasePath]["spec"]!["leaseTransitions"]!);
        await stop.CancelAsync();
        await run;
    }

    private static async Task<FakeApiServer> ClusterWithTwoNamespaces()
    {
        var api = await FakeApiServer.StartAsync();
        foreach (var ns in new[] { "team-a", "team-b" })
        {
            api.Add("pods", JsonNode.Parse($$"""
                { "metadata": { "name": "airflow-scheduler-0", "namespace": "{{ns}}", "labels": { "tier": "airflow", "component": "scheduler" } },
                  "spec": { "containers": [ { "name": "scheduler", "image": "apache/airflow:2.10.5",
                              "volumeMounts": [ { "name": "dags", "mountPath": "/opt/airflow/dags" }, { "name": "logs", "mountPath": "/opt/airflow/logs" } ] } ],
                            "volumes": [ { "name": "dags", "hostPath": { "path": "/srv/dags" } }, { "name": "logs", "hostPath": { "path": "/srv/logs" } } ] },
                  "status": { "phase": "Running" } }
                """)!.AsObject());
        }
        return api;
    }

    /// <summary>The loop of a replica, over a cluster cache synced from <paramref name="api"/> (started; stopped with the returned handle).</summary>
    private static async Task<(PolicyReportsLoop Loop, Webhook.Cluster.ClusterCache Cache)> LoopAsync(FakeApiServer api, int maxResults = 500)
    {
        var options = new WebhookOptions { Reports = new ReportsOptions { Enabled = true, MaxResults = maxResults } };
        var metrics = new WebhookMetrics();
        var store = new PolicyStore(options, metrics, NullLogger<PolicyStore>.Instance);
        store.ReloadIfChanged();
        var http = new HttpClient { BaseAddress = api.Address, Timeout = Timeout.InfiniteTimeSpan };
        var cache = new Webhook.Cluster.ClusterCache(http, options, store, metrics, NullLogger<Webhook.Cluster.ClusterCache>.Instance);
        await cache.StartAsync(CancellationToken.None);
        await LifecycleTests.Eventually(() => Task.FromResult(cache.Synced));
        return (new PolicyReportsLoop(options, store, NullLogger<PolicyReportsLoop>.Instance, new ClusterConnection(http, null), cache), cache);
    }

    /// <summary>A report without what changes from run to run (timestamps, the API server's resourceVersion).</summary>
    private static string Comparable(JsonNode report)
    {
        var copy = report.DeepClone().AsObject();
        copy["metadata"]!.AsObject().Remove("resourceVersion");
        foreach (var result in copy["results"]!.AsArray())
        {
            result!.AsObject().Remove("timestamp");
        }
        return copy.ToJsonString();
    }

    [Fact]
    public async Task TheReports_SayWhatAuditSays_AndAreWrittenOnlyWhenTheyChange()
    {
        await using var api = await ClusterWithTwoNamespaces();
        var (loop, cache) = await LoopAsync(api);
        using var http = new HttpClient { BaseAddress = api.Address };

        await loop.RunOnceAsync(http, CancellationToken.None);
        var afterFirst = api.Writes.Count;
        await loop.RunOnceAsync(http, CancellationToken.None); // nothing changed
        var afterSecond = api.Writes.Count;
        var podLists = api.ListCount("pods"); // the rounds read the cache, which listed once and then watched

        var output = new StringWriter();
        Assert.Equal(1, CommandLine.Run(["audit", "--server", api.Address.ToString(), "--output", "policyreport"], output, new StringWriter()));
        var audit = JsonNode.Parse(output.ToString())!["items"]!.AsArray().ToDictionary(r => (string)r!["metadata"]!["namespace"]!, r => Comparable(r!));
        foreach (var ns in new[] { "team-a", "team-b" })
        {
            var written = api.Stored[$"/apis/wgpolicyk8s.io/v1alpha2/namespaces/{ns}/policyreports/airflowguard-{ns}"];
            Assert.Equal(audit[ns], Comparable(written));
            Assert.Equal(2, (int)written["summary"]!["fail"]!); // hostPath DAGs and logs
        }
        Assert.Equal(2, loop.Writes);
        Assert.Equal(afterFirst, afterSecond); // the second round wrote nothing

        // team-b's scheduler goes: its report is deleted, team-a's stays as it was
        await api.PushAsync("pods", "DELETED", JsonNode.Parse("""{ "metadata": { "name": "airflow-scheduler-0", "namespace": "team-b" } }""")!.AsObject());
        await LifecycleTests.Eventually(() => Task.FromResult(cache.AirflowPods.Count == 1)); // the watch carried it
        await loop.RunOnceAsync(http, CancellationToken.None);

        Assert.False(api.Stored.ContainsKey("/apis/wgpolicyk8s.io/v1alpha2/namespaces/team-b/policyreports/airflowguard-team-b"));
        Assert.Equal(1, loop.Deletes);
        Assert.Equal(2, loop.Writes);
        Assert.Equal(1, podLists);
        await cache.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task AReportOverTheCap_KeepsTheFailuresFirst_CountsEveryResult_AndSaysHowManyItLeftOut()
    {
        await using var api = await ClusterWithTwoNamespaces();
        var (loop, cache) = await LoopAsync(api, maxResults: 1);
        using var http = new HttpClient { BaseAddress = api.Address };

        await loop.RunOnceAsync(http, CancellationToken.None);
        await cache.StopAsync(CancellationToken.None);

        var report = api.Stored["/apis/wgpolicyk8s.io/v1alpha2/namespaces/team-a/policyreports/airflowguard-team-a"];
        var result = Assert.Single(report["results"]!.AsArray())!;
        Assert.Equal("fail", (string)result["result"]!);
        var total = new[] { "pass", "fail", "warn", "error", "skip" }.Sum(o => (int)report["summary"]![o]!);
        Assert.Equal((total - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), (string)report["metadata"]!["annotations"]![PolicyReportOutput.OmittedAnnotation]!);
    }

    [Fact]
    public async Task TwoServingReplicasWithReports_WriteThemFromOneReplica()
    {
        await using var api = await ClusterWithTwoNamespaces();
        string[] Flags(string identity) => ["--cluster-cache", "required", "--cluster-server", api.Address.ToString(), "--reports", "--reports-period-seconds", "10",
            "--reports-lease-namespace", "airflowguard", "--reports-identity", identity];
        await using var a = await RunningWebhook.StartAsync(s => { s.Arguments.AddRange(Flags("replica-a")); s.Services = ServeCommand.AddReports; });
        await using var b = await RunningWebhook.StartAsync(s => { s.Arguments.AddRange(Flags("replica-b")); s.Services = ServeCommand.AddReports; });

        await LifecycleTests.Eventually(() => Task.FromResult(api.Stored.ContainsKey("/apis/wgpolicyk8s.io/v1alpha2/namespaces/team-a/policyreports/airflowguard-team-a") &&
            api.Stored.ContainsKey("/apis/wgpolicyk8s.io/v1alpha2/namespaces/team-b/policyreports/airflowguard-team-b")));

        var holder = (string?)api.Stored[LeasePath]["spec"]!["holderIdentity"];
        Assert.Contains(holder, new[] { "replica-a", "replica-b" });
        Assert.Equal(2, api.Writes.Count(w => w.Contains("/policyreports", StringComparison.Ordinal) && w.StartsWith("POST", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task APodThatStarts_IsReportedWithoutWaitingForThePeriod()
    {
        await using var api = await ClusterWithTwoNamespaces();
        await using var webhook = await RunningWebhook.StartAsync(s =>
        {
            s.Arguments.AddRange(["--cluster-cache", "required", "--cluster-server", api.Address.ToString(), "--reports", "--reports-period-seconds", "3600",
                "--reports-lease-namespace", "airflowguard", "--reports-identity", "replica-a"]);
            s.Services = ServeCommand.AddReports;
        });
        await LifecycleTests.Eventually(() => Task.FromResult(api.Stored.ContainsKey("/apis/wgpolicyk8s.io/v1alpha2/namespaces/team-a/policyreports/airflowguard-team-a")));

        // an hour-long period: only the watch event of the new pod can bring team-c's report
        await api.PushAsync("pods", "ADDED", JsonNode.Parse("""
            { "metadata": { "name": "airflow-scheduler-0", "namespace": "team-c", "labels": { "tier": "airflow", "component": "scheduler" } },
              "spec": { "containers": [ { "name": "scheduler", "image": "apache/airflow:2.10.5",
                          "volumeMounts": [ { "name": "dags", "mountPath": "/opt/airflow/dags" } ] } ],
                        "volumes": [ { "name": "dags", "hostPath": { "path": "/srv/dags" } } ] },
              "status": { "phase": "Running" } }
            """)!.AsObject());

        await LifecycleTests.Eventually(() => Task.FromResult(api.Stored.ContainsKey("/apis/wgpolicyk8s.io/v1alpha2/namespaces/team-c/policyreports/airflowguard-team-c")));
    }
}
