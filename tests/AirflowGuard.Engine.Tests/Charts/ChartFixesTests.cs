using AirflowGuard.Engine.Charts;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Tests.Support;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Engine.Tests;

/// <summary>Findings carry the values change of the chart that rendered the object, on real renders and on the mounts users make.</summary>
public class ChartFixesTests
{
    [Fact]
    public void TaskLogsThatDieWithThePod_OnTheOfficialChart_AreRepairedByItsRemoteLoggingConfig()
    {
        var bundle = Bundle.FromFile(Repo.Path("tests", "charts", "official-1.16", "k8s-stock.yaml"));

        var finding = bundle.Evaluate(Packs.Default).SelectMany(v => v.Verdict.Decision.Findings).Single(f => f.Rule == "persistent-task-logs");

        Assert.NotNull(finding.Values);
        Assert.True(finding.Values.Repairs);
        Assert.Equal(["config.logging.remote_logging", "config.logging.remote_base_log_folder", "config.logging.remote_log_conn_id"], finding.Values.Changes.Select(c => c.Key));
        Assert.Equal("True", finding.Values.Changes[0].Value!.GetValue<string>());
        Assert.Equal(ValuesSite.RemoteBaseLogFolder, finding.Values.Changes[1].Site);
    }

    [Fact]
    public void LogsMovedOntoAFuseMount_ThroughTheValuesLists_AreRepairedByEditingThoseLists_AndRemoteLoggingToOss()
    {
        var (objects, errors) = ManifestBundle.Read("oss-fuse-logs.yaml", File.ReadAllText(Repo.Path("tests", "charts", "official-1.19", "oss-fuse-logs.yaml")));
        var cluster = new ManifestClusterState(objects, "airflow"); // helm template leaves the namespace out: check as -n airflow

        Assert.Empty(errors);
        var findings = objects.Select(o => ObjectEvaluator.Evaluate(o.Json, "", Packs.Default, cluster, "airflow")).SelectMany(v => v.Decision.Findings).Where(f => f.Rule == "no-fuse-logs" && f.Kind == FindingKind.Violation).ToList();

        Assert.NotEmpty(findings);
        // the folder was moved by an env var and the bucket mounted through the values' lists: the repair edits those lists
        Assert.All(findings, f => Assert.True(f.Values!.NeedsValuesFile));
        Assert.All(findings, f => Assert.Equal(
            [new ListEdit(ListEditKind.RemoveEnv, "AIRFLOW__LOGGING__BASE_LOG_FOLDER"), new ListEdit(ListEditKind.RemoveVolume, "oss-logs")], f.Values!.ListEdits));
        Assert.All(findings, f => Assert.Contains(f.Values!.Changes, c => c.Key == "config.logging.remote_base_log_folder" && c.Value!.GetValue<string>().StartsWith("oss://", StringComparison.Ordinal)));
        Assert.All(findings, f => Assert.Contains("oss://", f.Fix, StringComparison.Ordinal)); // the fix names the store the mount stood for
    }

    private const string BlobLogs = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: airflow-scheduler
          namespace: airflow
          labels: { tier: airflow, component: scheduler, release: airflow, chart: airflow-1.15.0 }
        spec:
          template:
            metadata:
              labels: { tier: airflow, component: scheduler, release: airflow }
            spec:
              containers:
                - name: scheduler
                  image: apache/airflow:2.9.3
                  args: ["bash", "-c", "exec airflow scheduler"]
                  volumeMounts:
                    - { name: logs, mountPath: /opt/airflow/logs }
              volumes:
                - name: logs
                  persistentVolumeClaim: { claimName: airflow-logs }
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: { name: airflow-logs, namespace: airflow }
        spec:
          accessModes: [ReadWriteMany]
          storageClassName: blob-fuse
          resources: { requests: { storage: 10Gi } }
        ---
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: { name: blob-fuse }
        provisioner: blob.csi.azure.com
        """;

    [Fact]
    public void LogsOnBlobfuse_AreSentToAzureBlobStorage_ByTheChartsLogsSettings()
    {
        var bundle = Bundle.FromText("blob.yaml", BlobLogs);

        var finding = bundle.Verdict(Packs.Default, "Deployment", "airflow-scheduler").Decision.Findings.Single(f => f.Rule == "no-fuse-logs");

        Assert.Contains("wasb", finding.Fix, StringComparison.Ordinal);
        Assert.DoesNotContain("oss://", finding.Fix, StringComparison.Ordinal);
        Assert.Equal(ChartFamily.Official, finding.Values!.Chart.Family);
        Assert.Equal("1.15.0", finding.Values.Chart.Version);
        var changes = finding.Values.Changes.ToDictionary(c => c.Key, c => c.Value?.ToJsonString());
        Assert.Equal("false", changes["logs.persistence.enabled"]);
        Assert.Equal("\"wasb_default\"", changes["config.logging.remote_log_conn_id"]);
        Assert.StartsWith("\"wasb", changes["config.logging.remote_base_log_folder"], StringComparison.Ordinal);
        Assert.True(changes.ContainsKey("config.azure_remote_logging.remote_wasb_log_container"));
    }

    [Fact]
    public void TheSameMount_OnTheCommunityChart_IsRepairedThroughAirflowConfig()
    {
        var yaml = BlobLogs.Replace("tier: airflow, component: scheduler, release: airflow, chart: airflow-1.15.0", "app: airflow, component: scheduler, release: airflow, chart: airflow-8.9.0", StringComparison.Ordinal)
            .Replace("name: logs,", "name: logs-data,", StringComparison.Ordinal).Replace("- name: logs\n", "- name: logs-data\n", StringComparison.Ordinal);
        var bundle = Bundle.FromText("blob.yaml", yaml);

        var finding = bundle.Verdict(Packs.Default, "Deployment", "airflow-scheduler").Decision.Findings.Single(f => f.Rule == "no-fuse-logs");

        Assert.Equal(ChartFamily.Community, finding.Values!.Chart.Family);
        Assert.Contains(finding.Values.Changes, c => c.Key == "airflow.config.AIRFLOW__LOGGING__REMOTE_LOGGING");
        Assert.Contains(finding.Values.Changes, c => c.Key == "logs.persistence.enabled");
    }

    [Fact]
    public void AnObjectNoChartMade_HasNoValuesFix()
    {
        var yaml = BlobLogs.Replace("tier: airflow, component: scheduler, release: airflow, chart: airflow-1.15.0", "team: data", StringComparison.Ordinal)
            .Replace("{ tier: airflow, component: scheduler, release: airflow }", "{ team: data }", StringComparison.Ordinal);
        var bundle = Bundle.FromText("blob.yaml", yaml);

        var finding = bundle.Verdict(Packs.Default, "Deployment", "airflow-scheduler").Decision.Findings.Single(f => f.Rule == "no-fuse-logs");

        Assert.Null(finding.Values);
        Assert.NotNull(finding.Fix); // the pod-level fix stays
    }

    [Fact]
    public void LogsOnTheChartsOwnClaim_WhoseFolderTheChartSetsByEnv_AreRepairedWithoutEditingTheUsersLists()
    {
        // the community chart writes AIRFLOW__LOGGING__BASE_LOG_FOLDER itself (from logs.path) into its envFrom Secret:
        // no entry of the user's lists moved the folder, so the fix is the chart's keys alone
        var finding = UserRelease().Single(v => v.Object.Kind == "Deployment" && v.Object.Json.GetProperty("metadata").GetProperty("name").GetString() == "airflow-scheduler")
            .Verdict.Decision.Findings.Single(f => f.Rule == "no-host-path-logs");

        Assert.Empty(finding.Values!.ListEdits);
        Assert.Contains(finding.Values.Changes, c => c.Key == "logs.persistence.enabled");
        Assert.Contains(finding.Values.Changes, c => c.Key == "airflow.config.AIRFLOW__LOGGING__REMOTE_LOGGING");
    }

    /// <summary>The user's release as `check -n airflow` reads it: every object with its verdict.</summary>
    private static List<(ManifestObject Object, ObjectVerdict Verdict)> UserRelease()
    {
        var (objects, errors) = ManifestBundle.Read("59nezytic-k8s-local-logs.yaml", File.ReadAllText(Repo.Path("tests", "charts", "community-8.5", "59nezytic-k8s-local-logs.yaml")));
        Assert.Empty(errors);
        var cluster = new ManifestClusterState(objects, "airflow"); // helm template leaves the namespace out
        return objects.Select(o => (o, ObjectEvaluator.Evaluate(o.Json, "", Packs.Default, cluster, "airflow", owner: o.EmbeddedIn?.Owner("airflow")))).ToList();
    }
}
