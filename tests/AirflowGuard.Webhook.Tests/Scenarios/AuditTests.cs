using System.Text.Json.Nodes;
using AirflowGuard.Webhook.Tests.Support;

namespace AirflowGuard.Webhook.Tests;

/// <summary>`airflowguard audit` and `check --cluster` against a real endpoint speaking the API server's list format.</summary>
public class AuditTests
{
    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    private static async Task<FakeApiServer> ClusterWithOssLogs()
    {
        var api = await FakeApiServer.StartAsync();
        api.Add("persistentvolumes", Json("""
            { "metadata": { "name": "pv-logs" }, "spec": { "accessModes": ["ReadWriteMany"],
              "csi": { "driver": "ossplugin.csi.alibabacloud.com", "volumeHandle": "pv-logs" } } }
            """));
        api.Add("persistentvolumeclaims", Json("""
            { "metadata": { "name": "logs", "namespace": "airflow" }, "spec": { "accessModes": ["ReadWriteMany"], "storageClassName": "", "volumeName": "pv-logs" } }
            """));
        api.Add("pods", Json("""
            { "metadata": { "name": "airflow-scheduler-0", "namespace": "airflow", "labels": { "tier": "airflow", "component": "scheduler" } },
              "spec": { "containers": [ { "name": "scheduler", "image": "apache/airflow:2.9.3",
                          "volumeMounts": [ { "name": "logs", "mountPath": "/opt/airflow/logs" } ] } ],
                        "volumes": [ { "name": "logs", "persistentVolumeClaim": { "claimName": "logs" } } ] },
              "status": { "phase": "Running" } }
            """));
        api.Add("pods", Json("""
            { "metadata": { "name": "etl-done", "namespace": "airflow", "labels": { "kubernetes_executor": "True" } },
              "spec": { "containers": [ { "name": "base", "image": "apache/airflow:2.9.3",
                          "volumeMounts": [ { "name": "logs", "mountPath": "/opt/airflow/logs" } ] } ],
                        "volumes": [ { "name": "logs", "persistentVolumeClaim": { "claimName": "logs" } } ] },
              "status": { "phase": "Succeeded" } }
            """));
        return api;
    }

    [Fact]
    public async Task Audit_ChecksTheRunningAirflowPods_WithClaimsResolvedFromTheCluster()
    {
        await using var api = await ClusterWithOssLogs();

        var (code, output, error) = Run("audit", "--server", api.Address.ToString(), "--namespace", "airflow");

        Assert.True(code == 1, output + error);
        Assert.Contains("cluster:Pod/airflow/airflow-scheduler-0:1  Pod airflow/airflow-scheduler-0 (scheduler)", output, StringComparison.Ordinal);
        Assert.Contains("DENY  logs-not-on-object-storage/no-fuse-logs", output, StringComparison.Ordinal);
        Assert.DoesNotContain("etl-done", output, StringComparison.Ordinal);
        Assert.Contains(api.Requests, r => r.StartsWith("GET /api/v1/namespaces/airflow/pods", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Audit_AsPolicyReports_ValidatesAgainstThePolicyReportCrdSchema()
    {
        await using var api = await ClusterWithOssLogs();
        var schema = await NJsonSchema.JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "policyreport-v1alpha2.schema.json"));

        var (code, output, error) = Run("audit", "--server", api.Address.ToString(), "--namespace", "airflow", "--output", "policyreport");

        Assert.True(code == 1, output + error);
        var list = Json(output);
        Assert.Equal(("v1", "List"), ((string)list["apiVersion"]!, (string)list["kind"]!));
        var report = Assert.Single(list["items"]!.AsArray())!;
        Assert.Empty(schema.Validate(report.ToJsonString()));
        Assert.Equal("airflow", (string)report["metadata"]!["namespace"]!);
        var results = report["results"]!.AsArray();
        var denial = Assert.Single(results, r => (string)r!["result"]! == "fail")!;
        Assert.Equal(("logs-not-on-object-storage", "no-fuse-logs", "airflow-scheduler-0"),
            ((string)denial["policy"]!, (string)denial["rule"]!, (string)denial["resources"]![0]!["name"]!));
        Assert.Equal(1, (int)report["summary"]!["fail"]!);
        Assert.Equal(results.Count(r => (string)r!["result"]! == "pass"), (int)report["summary"]!["pass"]!);
    }

    [Fact]
    public async Task Audit_HonoursTheClustersPolicyExceptions_AndSaysWhatTheyWaived()
    {
        await using var api = await ClusterWithOssLogs();
        api.Add("airflowpolicyexceptions", Json("""
            { "metadata": { "name": "oss-logs-until-migration", "namespace": "airflow" },
              "spec": { "policy": "logs-not-on-object-storage", "rules": ["no-fuse-logs"], "match": { "names": ["airflow-scheduler-*"] },
                        "reason": "logs move to remote logging in the next release (PLAT-77)", "expires": "2099-06-30" } }
            """));
        var schema = await NJsonSchema.JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "policyreport-v1alpha2.schema.json"));

        var (textCode, text, _) = Run("audit", "--server", api.Address.ToString(), "--namespace", "airflow");
        var (code, output, error) = Run("audit", "--server", api.Address.ToString(), "--namespace", "airflow", "--output", "policyreport");

        Assert.Equal(0, textCode);
        Assert.Contains("WAIVED logs-not-on-object-storage/no-fuse-logs by AirflowPolicyException airflow/oss-logs-until-migration: logs move", text, StringComparison.Ordinal);
        Assert.True(code == 0, output + error);
        var report = Assert.Single(Json(output)["items"]!.AsArray())!;
        Assert.Empty(schema.Validate(report.ToJsonString()));
        var waived = Assert.Single(report["results"]!.AsArray(), r => (string)r!["result"]! == "skip")!;
        Assert.Equal(("logs-not-on-object-storage", "no-fuse-logs"), ((string)waived["policy"]!, (string)waived["rule"]!));
        Assert.Contains("AirflowPolicyException airflow/oss-logs-until-migration", (string)waived["message"]!, StringComparison.Ordinal);
        Assert.Contains(api.Requests, r => r.StartsWith("GET /apis/airflowguard.dev/v1/namespaces/airflow/airflowpolicyexceptions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckCluster_ResolvesWhatTheInputDoesNotDeclare()
    {
        await using var api = await ClusterWithOssLogs();
        var file = Path.Combine(Path.GetTempPath(), $"check-cluster-{Guid.NewGuid()}.yaml");
        File.WriteAllText(file, """
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: airflow-scheduler, namespace: airflow }
            spec:
              selector: { matchLabels: { component: scheduler } }
              template:
                metadata: { labels: { tier: airflow, component: scheduler } }
                spec:
                  containers:
                    - name: scheduler
                      image: apache/airflow:2.9.3
                      volumeMounts: [{ name: logs, mountPath: /opt/airflow/logs }]
                  volumes: [{ name: logs, persistentVolumeClaim: { claimName: logs } }]
            """);
        try
        {
            var (offline, offlineOutput, _) = Run("check", file);
            var (online, onlineOutput, _) = Run("check", file, "--cluster", "--server", api.Address.ToString());

            Assert.Equal(0, offline);
            Assert.Contains("not checked", offlineOutput, StringComparison.Ordinal);
            Assert.Equal(1, online);
            Assert.Contains("DENY  logs-not-on-object-storage/no-fuse-logs", onlineOutput, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Audit_UnreachableCluster_IsOneClearLine()
    {
        var (code, _, error) = Run("audit", "--server", "http://127.0.0.1:1/");

        Assert.Equal(2, code);
        Assert.StartsWith("airflowguard audit: cannot read the cluster: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    private static (int Code, string Output, string Error) Run(params string[] args) => CommandLineRun.Run(args);
}
