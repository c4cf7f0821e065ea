namespace AirflowGuard.Cli.Tests;

/// <summary>`airflowguard fix`: one values overlay for the release, its exit codes, site values and bad input.</summary>
public class FixCommandTests
{
    private static string Chart(string render) => Path.Combine("tests", "charts", render);

    [Fact]
    public void TheOverlay_NamesTheFindingsItResolves_AndPutsInTheSitesValues()
    {
        var (code, output, error) = Cli.Run("fix", Chart("official-1.19/oss-fuse-logs.yaml"), "-n", "airflow", "-f", Chart("official-1.19/oss-fuse-logs.values.yaml"),
            "--remote-base-log-folder", "oss://acme-logs/airflow");

        Assert.True(code == 0, error);
        Assert.Contains("# resolves logs-not-on-object-storage/no-fuse-logs on", output, StringComparison.Ordinal);
        Assert.Contains("remote_base_log_folder: \"oss://acme-logs/airflow\"", output, StringComparison.Ordinal);
        Assert.Contains("remote_log_conn_id: \"oss_default\"", output, StringComparison.Ordinal);
        Assert.Contains("volumes: []", output, StringComparison.Ordinal); // the bucket's volume left the user's list
        Assert.DoesNotContain("REPLACE-ME", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("https://git.example.com/data/dags.git", "repo: \"https://git.example.com/data/dags.git\"")]
    public void ASiteValueTheUsersValuesHold_IsKept_UnlessTheOptionIsGiven(string? option, string? written)
    {
        // a real user's release: git-sync off, its repository already in the values (macatw/dags.git)
        string[] args = ["fix", Chart("official-1.16/macatw-k8s-longhorn-dags.yaml"), "-n", "airflow", "-f", Chart("official-1.16/macatw-k8s-longhorn-dags.values.yaml")];
        var (code, output, error) = Cli.Run(option is null ? args : [.. args, "--git-repo", option]);

        Assert.True(code == 0, error);
        Assert.Contains("enabled: true", output, StringComparison.Ordinal);
        Assert.DoesNotContain("REPLACE-ME", output, StringComparison.Ordinal);
        if (written is null)
        {
            Assert.DoesNotContain("repo:", output, StringComparison.Ordinal); // theirs stays
        }
        else
        {
            Assert.Contains(written, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void WithoutTheSitesValues_ThePlaceholdersAreListed_AndStillRender()
    {
        var (code, output, _) = Cli.Run("fix", Chart("official-1.16/k8s-stock.yaml"), "-n", "airflow");

        Assert.Equal(0, code);
        Assert.Contains("#   config.logging.remote_base_log_folder  (--remote-base-log-folder)", output, StringComparison.Ordinal);
        Assert.Contains("remote_base_log_folder: \"s3://REPLACE-ME-bucket/airflow/logs\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AFixThatEditsTheUsersLists_WithoutTheirValuesFile_IsNotCovered_AndSaysWhatToPass()
    {
        var (code, _, error) = Cli.Run("fix", Chart("official-1.16/literal-secret.yaml"), "-n", "airflow");

        Assert.Equal(1, code);
        Assert.Contains("pass the release's values files (-f)", error, StringComparison.Ordinal);
        Assert.Contains("pod-level fix:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ASafeRelease_GetsAnEmptyOverlay_AndExitZero()
    {
        var (code, output, error) = Cli.Run("fix", Chart("official-1.16/celery-stock.yaml"), "-n", "airflow");

        Assert.True(code == 0, error);
        Assert.Contains("no values change repairs the 0 finding(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void FindingsOfSeveralCharts_AreRefused_UnlessOneChartIsNamed()
    {
        var community = Path.Combine(Path.GetTempPath(), $"community-{Guid.NewGuid()}.yaml");
        File.WriteAllText(community, """
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: other-scheduler, namespace: airflow, labels: { app: airflow, component: scheduler, chart: airflow-8.9.0, release: other } }
            spec:
              template:
                metadata: { labels: { app: airflow, component: scheduler, release: other } }
                spec:
                  containers:
                    - name: scheduler
                      image: apache/airflow:2.8.4
                      args: ["bash", "-c", "exec airflow scheduler"]
                      volumeMounts: [{ name: logs-data, mountPath: /opt/airflow/logs }]
                  volumes:
                    - name: logs-data
                      csi: { driver: ossplugin.csi.alibabacloud.com, volumeAttributes: { bucket: logs } }
            """);
        try
        {
            var (code, _, error) = Cli.Run("fix", Chart("official-1.16/k8s-stock.yaml"), community, "-n", "airflow");
            var (named, output, _) = Cli.Run("fix", Chart("official-1.16/k8s-stock.yaml"), community, "-n", "airflow", "--chart", "official");

            Assert.Equal(2, code);
            Assert.Contains("several charts (community, official)", error, StringComparison.Ordinal);
            Assert.NotEqual(2, named);
            Assert.Contains("config:", output, StringComparison.Ordinal); // the official chart's keys for both
        }
        finally
        {
            File.Delete(community);
        }
    }

    [Fact]
    public void ABrokenValuesFile_IsReportedWithItsLineAndColumn()
    {
        var file = Path.Combine(Path.GetTempPath(), $"values-{Guid.NewGuid()}.yaml");
        File.WriteAllText(file, "env:\n  - name: A\n    value: [unclosed\n");
        try
        {
            var (code, _, error) = Cli.Run("fix", Chart("official-1.16/k8s-stock.yaml"), "-n", "airflow", "-f", file);

            Assert.Equal(2, code);
            Assert.Contains($"{file}:", error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal); // no stack trace
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("--remote-base-log-folder", "ftp://x", "must start with s3://, gs://, wasb or oss://")]
    [InlineData("--chart", "helmfile", "--chart must be one of auto, official, community, stable, bitnami")]
    public void BadOptions_AreRefusedAsUsageErrors(string option, string value, string message)
    {
        var (code, _, error) = Cli.Run("fix", Chart("official-1.16/k8s-stock.yaml"), option, value);

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingValuesFile_IsAUsageError()
    {
        var (code, _, error) = Cli.Run("fix", Chart("official-1.16/k8s-stock.yaml"), "-f", "no-such-values.yaml");

        Assert.Equal(2, code);
        Assert.Contains("values file no-such-values.yaml does not exist", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("002-dags-path-mismatch-unsafe.yaml", "  path: \"/opt/airflow/nas/dags\"")]
    [InlineData("003-git-sync-writers-unsafe.yaml", "    enabled: false")]
    public void TheSeeds_OfTheCommunityChartsShape_AreRepairedByItsKeys(string seed, string line)
    {
        var (code, output, error) = Cli.Run("fix", Path.Combine("examples", "seeds", seed), "--chart", "community");

        Assert.True(code == 0, error);
        Assert.Contains(line + "\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }
}
