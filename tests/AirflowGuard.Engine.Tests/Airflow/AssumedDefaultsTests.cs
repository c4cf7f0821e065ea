using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Tests.Support;

namespace AirflowGuard.Engine.Tests;

/// <summary>
/// What a pod runs with when part of its configuration is out of view: Airflow's documented defaults
/// for an airflow.cfg whose ConfigMap is not given (said in the finding), strictness on request.
/// </summary>
public class AssumedDefaultsTests
{
    // a scheduler as the official chart renders it, without the airflow-config ConfigMap it mounts
    private const string Scheduler = """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: { name: oss-logs, namespace: airflow }
        spec: { accessModes: [ReadWriteMany], storageClassName: "", volumeName: oss-pv }
        ---
        apiVersion: v1
        kind: PersistentVolume
        metadata: { name: oss-pv }
        spec:
          accessModes: [ReadWriteMany]
          csi: { driver: ossplugin.csi.alibabacloud.com, volumeHandle: oss-pv }
        ---
        apiVersion: v1
        kind: Pod
        metadata: { name: s, namespace: airflow, labels: { tier: airflow, component: scheduler } }
        spec:
          containers:
            - name: scheduler
              image: apache/airflow:2.10.5
              volumeMounts:
                - { name: logs, mountPath: /opt/airflow/logs }
                - { name: config, mountPath: /opt/airflow/airflow.cfg, subPath: airflow.cfg, readOnly: true }
          volumes:
            - { name: logs, persistentVolumeClaim: { claimName: oss-logs } }
            - { name: config, configMap: { name: airflow-config } }
        """;

    [Fact]
    public void AnAirflowCfgOutOfView_IsTakenToHoldTheDefaults_AndTheFindingSaysSo()
    {
        var decision = Bundle.FromText("s.yaml", Scheduler).Verdict(Packs.Default, "Pod", "s").Decision;

        var finding = Assert.Single(decision.Findings, f => f.Rule == "no-fuse-logs");
        Assert.Equal(FindingKind.Violation, finding.Kind);
        Assert.False(decision.Allowed);
        Assert.Contains("airflow.cfg from ConfigMap airflow-config is not in view", finding.Assumed, StringComparison.Ordinal);
    }

    [Fact]
    public void AssumptionsWarn_TurnsTheAssumedDecisionIntoANote()
    {
        var policy = File.ReadAllText(Repo.Path("policies", "logs-not-on-object-storage.yaml")).Replace("  mode: Enforce", "  mode: Enforce\n  assumptions: Warn", StringComparison.Ordinal);

        var decision = Bundle.FromText("s.yaml", Scheduler).Verdict(Packs.FromYaml(policy), "Pod", "s").Decision;

        var finding = Assert.Single(decision.Findings);
        Assert.Equal(FindingKind.Unresolved, finding.Kind);
        Assert.Contains("assumptions: Warn", finding.Message, StringComparison.Ordinal);
        Assert.True(decision.Allowed);
    }

    [Fact]
    public void APodWhoseVolumesCannotMatter_GetsNoNoteAboutAnUnknownFolder()
    {
        // AIRFLOW_HOME from a field reference: every folder is unknown, but only emptyDir and ConfigMap volumes are mounted
        var bundle = Bundle.FromText("p.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: { name: s, namespace: airflow, labels: { tier: airflow, component: scheduler } }
            spec:
              containers:
                - name: scheduler
                  image: apache/airflow:2.10.5
                  env: [{ name: AIRFLOW_HOME, valueFrom: { fieldRef: { fieldPath: "metadata.annotations['home']" } } }]
                  volumeMounts: [{ name: scratch, mountPath: /scratch }]
              volumes: [{ name: scratch, emptyDir: {} }]
            """);

        var decision = bundle.Verdict(Packs.Default, "Pod", "s").Decision;

        Assert.DoesNotContain(decision.Findings, f => f.Rule is "no-fuse-logs" or "no-host-path-dags" or "no-host-path-logs");
    }

    [Theory]
    [InlineData("/opt/airflow/dags/nas", true)] // inside the DAGs folder: scanned recursively
    [InlineData("/opt/airflow/dags", true)]
    [InlineData("/opt/airflow", true)] // above it: the folder is a path in the volume
    [InlineData("/mnt/nas/dags", false)]
    public void ADagVolume_IsReadWhenItIsAtAboveOrInsideTheDagsFolder(string mountPath, bool read)
    {
        var bundle = Bundle.FromText("d.yaml", $$"""
            apiVersion: v1
            kind: Pod
            metadata: { name: s, namespace: airflow, labels: { tier: airflow, component: scheduler } }
            spec:
              containers:
                - name: scheduler
                  image: apache/airflow:2.10.5
                  volumeMounts: [{ name: dags-nas, mountPath: {{mountPath}} }]
              volumes: [{ name: dags-nas, nfs: { server: nas.example, path: /dags } }]
            """);

        var decision = bundle.Verdict(Packs.Default, "Pod", "s").Decision;

        Assert.Equal(!read, decision.Findings.Any(f => f.Rule == "dags-folder-matches-mount"));
    }

    [Fact]
    public void ABarePodWithABaseContainer_IsATaskPod_AsThePodTemplateFileExamplesAre()
    {
        var bundle = Bundle.FromText("t.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: { name: placeholder-name }
            spec:
              containers:
                - name: base
                  image: apache/airflow:2.10.5
                  env: [{ name: AIRFLOW__CORE__EXECUTOR, value: LocalExecutor }]
              restartPolicy: Never
            """);

        var decision = bundle.Verdict(Packs.Default, "Pod", "placeholder-name").Decision;

        Assert.Equal(AirflowComponent.Task, decision.Component);
        Assert.Contains(decision.Findings, f => f.Rule == "persistent-task-logs" && f.Kind == FindingKind.Violation);
    }

    [Fact]
    public void AMirroredBitnamiImage_GetsTheBitnamiHome_FromItsPaths()
    {
        var bundle = Bundle.FromText("b.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: { name: s, namespace: airflow, labels: { app.kubernetes.io/name: airflow, app.kubernetes.io/component: scheduler } }
            spec:
              containers:
                - name: airflow-scheduler
                  image: registry.example.com/mirror/airflow:3.0.5
                  volumeMounts:
                    - { name: logs, mountPath: /opt/bitnami/airflow/logs }
              volumes: [{ name: logs, hostPath: { path: /var/airflow-logs } }]
            """);
        var verdict = bundle.Verdict(Packs.Default, "Pod", "s");

        Assert.Contains(verdict.Decision.Findings, f => f.Rule == "no-host-path-logs" && f.Message.Contains("/opt/bitnami/airflow/logs", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("apache/airflow:1.10.15-python3.8", 1)]
    [InlineData("apache/airflow:2.10.5", 2)]
    [InlineData("bitnami/airflow:3.0.5-debian-12-r0", 3)]
    [InlineData("apache/airflow:slim-2.9.3", 2)]
    [InlineData("apache/airflow:latest", null)]
    [InlineData("apache/airflow@sha256:abc", null)]
    [InlineData("busybox:1.36", null)]
    [InlineData("airflow-custom:1.0.0", null)] // a real user's own image version (tests/charts/official-1.16/giovannigomesgt-k8s-git-sync)
    [InlineData("my-airflow-dbt:1.0", null)]
    [InlineData("apache/airflow:1.9.0", 1)]
    public void TheAirflowVersion_IsReadFromTheImageTag(string image, int? major) =>
        Assert.Equal(major, AirflowVersion.MajorOf(new Kubernetes.ContainerView { Name = "c", Image = image, Pointer = "/spec/containers/0" }));
}
