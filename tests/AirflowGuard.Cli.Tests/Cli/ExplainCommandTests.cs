namespace AirflowGuard.Cli.Tests;

/// <summary>`airflowguard explain`: what AirflowGuard sees in a pod, and why it decides as it does.</summary>
public class ExplainCommandTests
{
    [Fact]
    public void Explain_ShowsComponentSettingsBackingRulesAndTheirResults()
    {
        var (code, output, _) = Cli.Run("explain", Path.Combine("examples", "seeds", "001-ke-task-logs-safe-remote-in-cfg.yaml"));

        Assert.Equal(0, code);
        Assert.Contains("component   task (label kubernetes_executor=True)", output, StringComparison.Ordinal);
        Assert.Contains("remote logging  on, to s3://acme-airflow-logs/prod", output, StringComparison.Ordinal);
        Assert.Contains("airflow.cfg", output, StringComparison.Ordinal);
        Assert.Contains("mount /opt/airflow/logs ← volume logs: empty-dir, emptyDir", output, StringComparison.Ordinal);
        Assert.Contains("PASS  task-logs-outlive-the-pod/persistent-task-logs (forbidVolume)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_ShowsThePatchAsADiff()
    {
        var file = Path.Combine(Path.GetTempPath(), $"explain-{Guid.NewGuid()}.yaml");
        File.WriteAllText(file, """
            apiVersion: v1
            kind: Pod
            metadata: { name: s, namespace: airflow, labels: { tier: airflow, component: scheduler } }
            spec:
              securityContext: { runAsUser: 50000 }
              containers:
                - name: scheduler
                  image: apache/airflow:2.9.3
                  volumeMounts: [{ name: dags, mountPath: /opt/airflow/dags, readOnly: true }]
              volumes:
                - name: dags
                  csi: { driver: ossplugin.csi.alibabacloud.com, readOnly: true, volumeAttributes: { bucket: dags, otherOpts: "-o max_stat_cache_size=0" } }
            """);
        try
        {
            var (code, output, _) = Cli.Run("explain", file);

            Assert.Equal(0, code);
            Assert.Contains("    - /spec/volumes/0/csi/volumeAttributes/otherOpts: \"-o max_stat_cache_size=0\"", output, StringComparison.Ordinal);
            Assert.Contains("    + /spec/volumes/0/csi/volumeAttributes/otherOpts: \"-o max_stat_cache_size=0 -o uid=50000 -o gid=0 -o umask=002 -o allow_other\"", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Explain_WithoutAFile_IsAUsageError()
    {
        var (code, _, error) = Cli.Run("explain");

        Assert.Equal(2, code);
        Assert.Contains("give at least one manifest file", error, StringComparison.Ordinal);
    }
}
