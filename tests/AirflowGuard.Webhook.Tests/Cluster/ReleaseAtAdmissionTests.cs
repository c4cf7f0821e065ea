using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AirflowGuard.Webhook.Tests.Support;

namespace AirflowGuard.Webhook.Tests;

/// <summary>
/// Rules that compare an admitted object with the rest of its release answer from the cluster cache: the running
/// scheduler, webserver and dag-processor pods, their ServiceAccounts, Secrets and claims, served by a real HTTP endpoint
/// that speaks the API server's list and watch formats. Each case admits an unsafe object and its safe twin. Warnings
/// stop at 120 characters, as the API server keeps them, so the tests read their start.
/// </summary>
public class ReleaseAtAdmissionTests
{
    /// <summary>A running pod of a Deployment, as a list item (no kind): owned by its ReplicaSet, labelled with its pod-template-hash.</summary>
    private static JsonObject RunningPod(string deployment, string component, string spec) => JsonNode.Parse($$"""
        { "metadata": { "name": "{{deployment}}-5f7c9-x2x4p", "namespace": "airflow",
                        "labels": { "tier": "airflow", "component": "{{component}}", "release": "airflow", "pod-template-hash": "5f7c9" },
                        "ownerReferences": [{ "kind": "ReplicaSet", "name": "{{deployment}}-5f7c9" }] },
          "spec": {{spec}},
          "status": { "phase": "Running" } }
        """)!.AsObject();

    private static async Task<(FakeApiServer Api, RunningWebhook Webhook, HttpClient Client)> StartAsync(Action<FakeApiServer> objects, bool readSecrets = false)
    {
        var api = await FakeApiServer.StartAsync();
        objects(api);
        string[] arguments = ["--cluster-cache", "required", "--cluster-server", api.Address.ToString(), .. (readSecrets ? new[] { "--cluster-read-secrets" } : [])];
        var webhook = await RunningWebhook.StartAsync(s => s.Arguments.AddRange(arguments));
        var client = webhook.Client();
        await LifecycleTests.Eventually(async () => (await client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK);
        return (api, webhook, client);
    }

    private static async Task<JsonElement> AdmitAsync(RunningWebhook webhook, HttpClient client, string yaml)
    {
        var (status, body, _) = await webhook.PostAsync(client, "/validate", Reviews.Create(yaml));
        Assert.Equal(HttpStatusCode.OK, status);
        return Reviews.Response(body);
    }

    private static string[] Warnings(JsonElement response) =>
        response.TryGetProperty("warnings", out var warnings) ? [.. warnings.EnumerateArray().Select(w => w.GetString()!)] : [];

    private const string NfsLogs = """
        { "metadata": { "name": "airflow-logs", "namespace": "airflow" }, "spec": { "accessModes": ["ReadWriteMany"], "storageClassName": "", "volumeName": "pv-logs" } }
        """;

    private const string NfsVolume = """
        { "metadata": { "name": "pv-logs" }, "spec": { "accessModes": ["ReadWriteMany"], "capacity": { "storage": "50Gi" }, "nfs": { "server": "nas", "path": "/logs" } } }
        """;

    private const string SchedulerOnNfsLogs = """
        { "securityContext": { "runAsUser": 50000, "runAsGroup": 0 },
          "containers": [ { "name": "scheduler", "image": "apache/airflow:2.10.5", "args": ["bash", "-c", "exec airflow scheduler"],
                            "volumeMounts": [ { "name": "logs", "mountPath": "/opt/airflow/logs" } ] } ],
          "volumes": [ { "name": "logs", "persistentVolumeClaim": { "claimName": "airflow-logs" } } ] }
        """;

    /// <summary>A KubernetesExecutor task pod writing the logs claim as <paramref name="user"/>:<paramref name="group"/>.</summary>
    private static string TaskPodOnNfsLogs(int user, int group) => $$"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: example-dag-task-1-abc
          namespace: airflow
          labels: { kubernetes_executor: "True", dag_id: example, task_id: task-1 }
        spec:
          securityContext: { runAsUser: {{user}}, runAsGroup: {{group}} }
          containers:
            - name: base
              image: apache/airflow:2.10.5
              volumeMounts: [{ name: logs, mountPath: /opt/airflow/logs }]
          volumes: [{ name: logs, persistentVolumeClaim: { claimName: airflow-logs } }]
        """;

    [Fact]
    public async Task ATaskPodWhoseUserSharesNoGroupWithTheRunningScheduler_IsWarnedAtAdmission_OnTheSharedLogsClaim()
    {
        var (api, webhook, client) = await StartAsync(api =>
        {
            api.Add("persistentvolumeclaims", JsonNode.Parse(NfsLogs)!.AsObject());
            api.Add("persistentvolumes", JsonNode.Parse(NfsVolume)!.AsObject());
            api.Add("pods", RunningPod("airflow-scheduler", "scheduler", SchedulerOnNfsLogs));
        });
        await using (api)
        await using (webhook)
        {
            var other = Warnings(await AdmitAsync(webhook, client, TaskPodOnNfsLogs(1000, 1000)));
            var same = Warnings(await AdmitAsync(webhook, client, TaskPodOnNfsLogs(50000, 0)));

            var warning = Assert.Single(other, w => w.StartsWith("shared-log-volume-users/log-writers-share-a-group:", StringComparison.Ordinal));
            Assert.Contains("claim airflow-logs is a ReadWriteMany logs volume written by Deploym", warning, StringComparison.Ordinal); // the running scheduler
            Assert.DoesNotContain(same, w => w.Contains("log-writers-share-a-group", StringComparison.Ordinal));
        }
    }

    private const string SchedulerWithIrsa = """
        { "serviceAccountName": "airflow-scheduler",
          "containers": [ { "name": "scheduler", "image": "apache/airflow:2.10.5", "args": ["bash", "-c", "exec airflow scheduler"],
                            "env": [ { "name": "AIRFLOW__LOGGING__REMOTE_LOGGING", "value": "True" },
                                     { "name": "AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER", "value": "s3://example-logs/airflow" } ] } ] }
        """;

    private static string TaskPodAs(string account) => $$"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: example-dag-task-1-def
          namespace: airflow
          labels: { kubernetes_executor: "True", dag_id: example, task_id: task-1 }
        spec:
          serviceAccountName: {{account}}
          containers:
            - name: base
              image: apache/airflow:2.10.5
              env:
                - { name: AIRFLOW__LOGGING__REMOTE_LOGGING, value: "True" }
                - { name: AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER, value: s3://example-logs/airflow }
        """;

    private static JsonObject Account(string name, string? role) => JsonNode.Parse($$"""
        { "metadata": { "name": "{{name}}", "namespace": "airflow"{{(role is null ? "" : $$""", "annotations": { "eks.amazonaws.com/role-arn": "{{role}}" }""")}} } }
        """)!.AsObject();

    [Fact]
    public async Task ATaskPodWhoseAccountLacksTheRunningSchedulersIamRole_IsWarnedAtAdmission()
    {
        var (api, webhook, client) = await StartAsync(api =>
        {
            api.Add("serviceaccounts", Account("airflow-scheduler", "arn:aws:iam::123456789012:role/airflow-logs"));
            api.Add("serviceaccounts", Account("airflow-worker", null));
            api.Add("serviceaccounts", Account("airflow-worker-irsa", "arn:aws:iam::123456789012:role/airflow-logs"));
            api.Add("pods", RunningPod("airflow-scheduler", "scheduler", SchedulerWithIrsa));
        });
        await using (api)
        await using (webhook)
        {
            var without = Warnings(await AdmitAsync(webhook, client, TaskPodAs("airflow-worker")));
            var with = Warnings(await AdmitAsync(webhook, client, TaskPodAs("airflow-worker-irsa")));

            var warning = Assert.Single(without, w => w.StartsWith("task-pods-can-upload-logs/task-pods-have-the-identity:", StringComparison.Ordinal));
            Assert.Contains("Pod airflow/example-dag-task-1-def (task) uploads task logs", warning, StringComparison.Ordinal);
            Assert.DoesNotContain(with, w => w.Contains("task-pods-have-the-identity", StringComparison.Ordinal));
        }
    }

    private static string WorkerWithKeyFrom(string secret) => $$"""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: airflow-worker, namespace: airflow }
        spec:
          template:
            metadata: { labels: { tier: airflow, component: worker, release: airflow } }
            spec:
              containers:
                - name: worker
                  image: apache/airflow:2.10.5
                  args: [bash, -c, exec airflow celery worker]
                  env:
                    - { name: AIRFLOW__WEBSERVER__SECRET_KEY, valueFrom: { secretKeyRef: { name: {{secret}}, key: key } } }
        """;

    [Fact]
    public async Task AWorkerWhoseSecretKeyIsNotTheRunningWebserversOne_IsWarnedAtAdmission_WithoutShowingEitherKey()
    {
        var (api, webhook, client) = await StartAsync(api =>
        {
            api.Add("secrets", JsonNode.Parse("""{ "metadata": { "name": "webserver-key", "namespace": "airflow" }, "data": { "key": "a2V5LW9uZQ==" } }""")!.AsObject());
            api.Add("secrets", JsonNode.Parse("""{ "metadata": { "name": "worker-key", "namespace": "airflow" }, "data": { "key": "a2V5LXR3bw==" } }""")!.AsObject());
            api.Add("secrets", JsonNode.Parse("""{ "metadata": { "name": "same-key", "namespace": "airflow" }, "data": { "key": "a2V5LW9uZQ==" } }""")!.AsObject());
            api.Add("pods", RunningPod("airflow-webserver", "webserver", """
                { "containers": [ { "name": "webserver", "image": "apache/airflow:2.10.5", "args": ["bash", "-c", "exec airflow webserver"],
                                    "env": [ { "name": "AIRFLOW__WEBSERVER__SECRET_KEY", "valueFrom": { "secretKeyRef": { "name": "webserver-key", "key": "key" } } } ] } ] }
                """));
        }, readSecrets: true);
        await using (api)
        await using (webhook)
        {
            var other = Warnings(await AdmitAsync(webhook, client, WorkerWithKeyFrom("worker-key")));
            var same = Warnings(await AdmitAsync(webhook, client, WorkerWithKeyFrom("same-key")));

            var warning = Assert.Single(other, w => w.StartsWith("one-signing-key/components-share-the-key:", StringComparison.Ordinal));
            Assert.Contains("StatefulSet airflow/airflow-worker (worker) reads [webserver] secret_key", warning, StringComparison.Ordinal);
            Assert.DoesNotContain("key-one", warning, StringComparison.Ordinal);
            Assert.DoesNotContain("key-two", warning, StringComparison.Ordinal);
            Assert.DoesNotContain(same, w => w.Contains("components-share-the-key", StringComparison.Ordinal)); // another Secret, the same key
        }
    }

    [Fact]
    public async Task AnOwnPodTemplateWithoutTheRunningDagProcessorsClaim_IsWarnedAtAdmission()
    {
        var (api, webhook, client) = await StartAsync(api =>
        {
            api.Add("persistentvolumeclaims", JsonNode.Parse("""
                { "metadata": { "name": "airflow-dags", "namespace": "airflow" }, "spec": { "accessModes": ["ReadWriteMany"], "storageClassName": "", "volumeName": "pv-dags" } }
                """)!.AsObject());
            api.Add("pods", RunningPod("airflow-dag-processor", "dag-processor", """
                { "containers": [ { "name": "dag-processor", "image": "apache/airflow:3.1.6", "args": ["bash", "-c", "exec airflow dag-processor"],
                                    "volumeMounts": [ { "name": "dags", "mountPath": "/opt/airflow/dags", "readOnly": true } ] } ],
                  "volumes": [ { "name": "dags", "persistentVolumeClaim": { "claimName": "airflow-dags" } } ] }
                """));
        });
        await using (api)
        await using (webhook)
        {
            var task = """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: example-dag-task-1-ghi
                  namespace: airflow
                  labels: { kubernetes_executor: "True", dag_id: example, task_id: task-1 }
                spec:
                  containers:
                    - name: base
                      image: apache/airflow:3.1.6
                """;

            var all = Warnings(await AdmitAsync(webhook, client, task));
            var warning = Assert.Single(all, w => w.StartsWith("pod-template-matches-scheduler/task-pods-match-the-scheduler:", StringComparison.Ordinal));

            Assert.Contains("(task) has no volume a", warning, StringComparison.Ordinal); // (warnings stop at 120 characters, as the API server keeps them)
        }
    }

    [Fact]
    public async Task ASchedulerAdmittedBeforeAnythingRuns_IsNotToldItLacksADagProcessor_TheCacheIsNeverTheWholeRelease()
    {
        var (api, webhook, client) = await StartAsync(_ => { });
        await using (api)
        await using (webhook)
        {
            var scheduler = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: { name: airflow-scheduler, namespace: airflow }
                spec:
                  template:
                    metadata: { labels: { tier: airflow, component: scheduler, release: airflow } }
                    spec:
                      containers:
                        - name: scheduler
                          image: apache/airflow:3.1.6
                          args: [bash, -c, exec airflow scheduler]
                """;

            Assert.DoesNotContain(Warnings(await AdmitAsync(webhook, client, scheduler)), w => w.Contains("dag-processor-runs", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ASchedulerWhoseEmptyDirLogsNothingBounds_IsWarnedAtAdmission_AndOneWithASizeLimitIsNot()
    {
        var (api, webhook, client) = await StartAsync(_ => { });
        await using (api)
        await using (webhook)
        {
            var unbounded = Warnings(await AdmitAsync(webhook, client, Reviews.SafeScheduler.Replace("emptyDir: { sizeLimit: 10Gi }", "emptyDir: {}", StringComparison.Ordinal)));
            var bounded = Warnings(await AdmitAsync(webhook, client, Reviews.SafeScheduler));

            Assert.Single(unbounded, w => w.StartsWith("local-logs-bounded/logs-have-a-bound: Pod airflow/airflow-scheduler-1 (scheduler) writes its logs", StringComparison.Ordinal));
            Assert.Empty(bounded);
        }
    }
}
