using System.Text.Json;
using AirflowGuard.Checking;
using AirflowGuard.Cli.Tests.Support;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Cli.Tests.Checking;

/// <summary>
/// The check pipeline is the one way every command judges manifests: check, explain and test give the same answer for
/// the same input, release-wide findings and per-file resolution included.
/// </summary>
public class ManifestCheckTests
{
    /// <summary>A scheduler whose logs folder is on claim airflow/airflow-logs, declared in the same file and bound to <paramref name="volume"/>.</summary>
    private static string SchedulerWithLogsOn(string scheduler, string volume, string volumeSource) => $$"""
        apiVersion: v1
        kind: PersistentVolume
        metadata: { name: {{volume}} }
        spec:
          capacity: { storage: 20Gi }
          accessModes: [ReadWriteMany]
        {{volumeSource}}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: { name: airflow-logs, namespace: airflow }
        spec:
          accessModes: [ReadWriteMany]
          storageClassName: ""
          volumeName: {{volume}}
          resources: { requests: { storage: 20Gi } }
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: {{scheduler}}
          namespace: airflow
          labels: { tier: airflow, component: scheduler, release: airflow }
        spec:
          containers:
            - name: scheduler
              image: apache/airflow:2.10.5
              args: [bash, -c, exec airflow scheduler]
              volumeMounts: [{ name: logs, mountPath: /opt/airflow/logs }]
          volumes:
            - name: logs
              persistentVolumeClaim: { claimName: airflow-logs }
        """;

    private const string OssSource = """
          csi:
            driver: ossplugin.csi.alibabacloud.com
            volumeHandle: oss-logs
            volumeAttributes: { bucket: airflow-logs, url: oss-cn-beijing-internal.aliyuncs.com }
        """;

    private const string NfsSource = """
          nfs: { server: nfs.internal, path: /exports/airflow-logs }
        """;

    private static TempFolder TwoFilesDeclaringOneClaimDifferently()
    {
        var folder = new TempFolder();
        folder.Write("a-oss.yaml", SchedulerWithLogsOn("scheduler-on-oss", "pv-oss", OssSource));
        folder.Write("b-nfs.yaml", SchedulerWithLogsOn("scheduler-on-nfs", "pv-nfs", NfsSource));
        return folder;
    }

    [Fact]
    public void Explain_ResolvesEachFileAgainstItsOwnDeclaration_AsCheckDoes()
    {
        using var folder = TwoFilesDeclaringOneClaimDifferently();

        var check = Cli.Run("check", folder.Path, "--output", "json");
        var (code, output, error) = Cli.Run("explain", folder.Path);

        Assert.Equal(1, check.Code);
        var denied = JsonDocument.Parse(check.Output).RootElement.GetProperty("objects").EnumerateArray()
            .Where(o => !o.GetProperty("allowed").GetBoolean()).Select(o => o.GetProperty("name").GetString()).ToList();
        Assert.Equal(["scheduler-on-oss"], denied);
        Assert.Equal(0, code);
        var blocks = output.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var oss = Assert.Single(blocks, b => b.Contains("Pod airflow/scheduler-on-oss", StringComparison.Ordinal));
        var nfs = Assert.Single(blocks, b => b.Contains("Pod airflow/scheduler-on-nfs", StringComparison.Ordinal));
        Assert.Contains("DENY  logs-not-on-object-storage/no-fuse-logs", oss, StringComparison.Ordinal);
        Assert.Contains("NFS nfs.internal:/exports/airflow-logs", nfs, StringComparison.Ordinal);
        Assert.DoesNotContain("DENY", nfs, StringComparison.Ordinal);
        // the conflict is said once, as check says it
        Assert.Contains("PersistentVolumeClaim airflow/airflow-logs is also declared, differently", error, StringComparison.Ordinal);
        Assert.Contains("PersistentVolumeClaim airflow/airflow-logs is also declared, differently", check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void PolicyTest_CanExpectAReleaseWideFinding_OnTheClaimCheckReportsItOn()
    {
        using var folder = new TempFolder();
        folder.Write("release.yaml", $$"""
            apiVersion: airflowguard.dev/v1
            kind: PolicyTest
            metadata: { name: shared-claims }
            spec:
              policies: [{{Path.Combine(Cli.Root, "policies", "release-wide-claims.yaml")}}]
              resources: [{{Path.Combine(Cli.Root, "examples", "release", "shared-claims-unsafe.yaml")}}]
              namespace: airflow
              results:
                - resource: PersistentVolumeClaim/airflow/airflow-logs
                  policy: release-wide-claims
                  rule: rwo-claim-one-writing-workload
                  result: warn
                - resource: PersistentVolumeClaim/airflow/airflow-logs
                  policy: release-wide-claims
                  rule: dag-claim-has-a-writer
                  result: pass
                - resource: PersistentVolumeClaim/airflow/airflow-dags
                  policy: release-wide-claims
                  rule: dag-claim-has-a-writer
                  result: warn
                - resource: Deployment/airflow/airflow-scheduler
                  policy: release-wide-claims
                  result: pass
            """);

        var (code, output, error) = Cli.Run("test", folder.Path);
        var check = Cli.Run("check", Path.Combine("examples", "release", "shared-claims-unsafe.yaml"), "--output", "json");

        Assert.True(code == 0, output + error);
        Assert.Contains("4 result(s) in 1 test(s): 4 passed, 0 failed", output, StringComparison.Ordinal);
        // check puts the same findings on the same claims, named as a PolicyTest names them
        var claims = JsonDocument.Parse(check.Output).RootElement.GetProperty("objects").EnumerateArray()
            .Where(o => o.TryGetProperty("kind", out var kind) && kind.GetString() == "PersistentVolumeClaim")
            .Select(o => (o.GetProperty("namespace").GetString(), o.GetProperty("name").GetString(), o.GetProperty("findings")[0].GetProperty("rule").GetString()))
            .ToList();
        Assert.Equal([("airflow", "airflow-dags", "dag-claim-has-a-writer"), ("airflow", "airflow-logs", "rwo-claim-one-writing-workload")], claims);
    }

    [Fact]
    public void PolicyTest_ThatExpectsAReleaseWideFindingWrongly_Fails_SayingWhatWasFound()
    {
        using var folder = new TempFolder();
        folder.Write("release.yaml", $$"""
            apiVersion: airflowguard.dev/v1
            kind: PolicyTest
            metadata: { name: shared-claims }
            spec:
              resources: [{{Path.Combine(Cli.Root, "examples", "release", "shared-claims-unsafe.yaml")}}]
              namespace: airflow
              results:
                - resource: PersistentVolumeClaim/airflow/airflow-logs
                  policy: release-wide-claims
                  result: pass
            """);

        var (code, output, _) = Cli.Run("test", folder.Path);

        Assert.Equal(1, code);
        Assert.Contains("expected pass, got warn", output, StringComparison.Ordinal);
        Assert.Contains("rwo-claim-one-writing-workload: claim airflow-logs is ReadWriteOnce", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_ShowsReleaseWideFindings_OnTheirClaims()
    {
        var (code, output, _) = Cli.Run("explain", Path.Combine("examples", "release", "shared-claims-unsafe.yaml"));

        Assert.Equal(0, code);
        Assert.Contains("shared-claims-unsafe.yaml:11  PersistentVolumeClaim airflow/airflow-logs (across the release)", output, StringComparison.Ordinal);
        Assert.Contains("WARN  release-wide-claims/rwo-claim-one-writing-workload: claim airflow-logs is ReadWriteOnce", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancelled_StopsAtTheNextObject_WithoutCheckingTheRest()
    {
        // a render of many objects; the run is cancelled as the first one is handed over
        var render = Path.Combine(Cli.Root, "tests/charts/official-1.19/celery-stock.yaml");
        using var cancel = new CancellationTokenSource();
        var seen = 0;
        var check = new ManifestCheck(BundledPolicies.Load().Set!, "airflow")
        {
            Cancellation = cancel.Token,
            OnObject = _ =>
            {
                seen++;
                cancel.Cancel();
            },
        };

        Assert.Throws<OperationCanceledException>(() => check.Run([ManifestSource.FromFile(render, render)]));

        Assert.Equal(1, seen);
        var all = 0;
        new ManifestCheck(BundledPolicies.Load().Set!, "airflow") { OnObject = _ => all++ }.Run([ManifestSource.FromFile(render, render)]);
        Assert.True(all > 20, $"{all} objects");
    }
}
