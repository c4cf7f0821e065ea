using System.Text.Json;
using System.Text.Json.Nodes;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Webhook.Tests.Support;

/// <summary>AdmissionReview requests as the API server sends them, around objects written in YAML.</summary>
public static class Reviews
{
    public static JsonObject Object(string yaml)
    {
        var (objects, errors) = ManifestBundle.Read("test.yaml", yaml);
        Assert.Empty(errors);
        return JsonNode.Parse(Assert.Single(objects).Json.GetRawText())!.AsObject();
    }

    public static string Create(string objectYaml, string uid = "3f1c7a52-0b7e-4c1e-9d0a-5a8e1d2c4b6f", bool dryRun = false) =>
        Review(uid, "CREATE", Object(objectYaml), null, dryRun);

    public static string Update(string objectYaml, string oldObjectYaml, string uid = "7b0e2a1c-51f4-4a8e-8d7e-0c3b9f6a2d11") =>
        Review(uid, "UPDATE", Object(objectYaml), Object(oldObjectYaml), false);

    public static string Review(string uid, string operation, JsonObject? obj, JsonObject? oldObject, bool dryRun)
    {
        var kind = (obj ?? oldObject)?["kind"]?.GetValue<string>() ?? "Pod";
        var group = kind is "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" ? "apps" : kind is "Job" or "CronJob" ? "batch" : "";
        var metadata = (obj ?? oldObject)?["metadata"];
        var review = new JsonObject
        {
            ["apiVersion"] = "admission.k8s.io/v1",
            ["kind"] = "AdmissionReview",
            ["request"] = new JsonObject
            {
                ["uid"] = uid,
                ["kind"] = new JsonObject { ["group"] = group, ["version"] = "v1", ["kind"] = kind },
                ["resource"] = new JsonObject { ["group"] = group, ["version"] = "v1", ["resource"] = kind.ToLowerInvariant() + "s" },
                ["name"] = metadata?["name"]?.GetValue<string>(),
                ["namespace"] = metadata?["namespace"]?.GetValue<string>() ?? "airflow",
                ["operation"] = operation,
                ["userInfo"] = new JsonObject { ["username"] = "kubernetes-admin", ["groups"] = new JsonArray("system:masters", "system:authenticated") },
                ["object"] = obj,
                ["oldObject"] = oldObject,
                ["dryRun"] = dryRun,
            },
        };
        return review.ToJsonString();
    }

    public static JsonElement Response(JsonElement review) => review.GetProperty("response");

    public static IReadOnlyList<string> Warnings(JsonElement review) =>
        Response(review).TryGetProperty("warnings", out var warnings) ? warnings.EnumerateArray().Select(w => w.GetString()!).ToList() : [];

    /// <summary>A task pod (KubernetesExecutor) whose logs are on an emptyDir: a Warn-mode finding in the default pack.</summary>
    public const string TaskPodWithEphemeralLogs = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: etl-load-7d1e2f
          namespace: airflow
          labels: { tier: airflow, component: worker, kubernetes_executor: "True", dag_id: etl, task_id: load }
        spec:
          restartPolicy: Never
          containers:
            - name: base
              image: apache/airflow:2.9.3
              args: [airflow, tasks, run, etl, load, manual__1, --local]
              volumeMounts: [{ name: logs, mountPath: /opt/airflow/logs }]
          volumes: [{ name: logs, emptyDir: {} }]
        """;

    /// <summary>A scheduler with DAGs and logs on hostPath and a literal database password: three enforced violations.</summary>
    public const string SchedulerWithHostPathAndPassword = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: airflow-scheduler-0
          namespace: airflow
          labels: { tier: airflow, component: scheduler, release: airflow }
        spec:
          containers:
            - name: scheduler
              image: apache/airflow:2.9.3
              args: [bash, -c, exec airflow scheduler]
              env:
                - { name: AIRFLOW__DATABASE__SQL_ALCHEMY_CONN, value: "postgresql+psycopg2://airflow:Sup3r-S3cret-Pw@postgres:5432/airflow" }
              volumeMounts:
                - { name: dags, mountPath: /opt/airflow/dags }
                - { name: logs, mountPath: /opt/airflow/logs }
          volumes:
            - { name: dags, hostPath: { path: /data/airflow/dags } }
            - { name: logs, hostPath: { path: /data/airflow/logs } }
        """;

    /// <summary>A scheduler that breaks nothing.</summary>
    public const string SafeScheduler = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: airflow-scheduler-1
          namespace: airflow
          labels: { tier: airflow, component: scheduler, release: airflow }
        spec:
          containers:
            - name: scheduler
              image: apache/airflow:2.9.3
              args: [bash, -c, exec airflow scheduler]
              env:
                - { name: AIRFLOW__DATABASE__SQL_ALCHEMY_CONN, valueFrom: { secretKeyRef: { name: airflow-metadata, key: connection } } }
              volumeMounts: [{ name: logs, mountPath: /opt/airflow/logs }]
          volumes: [{ name: logs, emptyDir: { sizeLimit: 10Gi } }]
        """;

    /// <summary>A scheduler whose logs volume is an inline OSS FUSE mount without uid/gid/umask: denied, and patched by /mutate.</summary>
    public const string SchedulerWithInlineOss = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: airflow-scheduler-2
          namespace: airflow
          labels: { tier: airflow, component: scheduler, release: airflow }
        spec:
          securityContext: { runAsUser: 50000 }
          containers:
            - name: scheduler
              image: apache/airflow:2.9.3
              args: [bash, -c, exec airflow scheduler]
              volumeMounts: [{ name: dags, mountPath: /opt/airflow/dags, readOnly: true }]
          volumes:
            - name: dags
              csi:
                driver: ossplugin.csi.alibabacloud.com
                readOnly: true
                volumeAttributes: { bucket: airflow-dags, url: oss-cn-hangzhou-internal.aliyuncs.com }
        """;
}
