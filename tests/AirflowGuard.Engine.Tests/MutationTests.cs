using System.Text.Json.Nodes;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Tests.Support;

namespace AirflowGuard.Engine.Tests;

/// <summary>
/// Mutations produce RFC 6902 patches that an independent implementation applies cleanly, that do
/// what the policy says, and that are idempotent: the engine run on its own output patches nothing.
/// </summary>
public class MutationTests
{
    private const string RemoteLogging = """
        apiVersion: airflowguard.dev/v1
        kind: AirflowPolicy
        metadata: { name: remote-logging }
        spec:
          mutations:
            - setEnv:
                values:
                  AIRFLOW__LOGGING__REMOTE_LOGGING: "True"
                  AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER: s3://logs/airflow
        """;

    private const string SchedulerWithGitSync = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: scheduler-0
          namespace: airflow
          labels: { tier: airflow, component: scheduler, release: airflow }
        spec:
          containers:
            - name: scheduler
              image: apache/airflow:2.9.3
            - name: git-sync
              image: registry.k8s.io/git-sync/git-sync:v4.2.3
              env:
                - { name: GITSYNC_ROOT, value: /git }
        """;

    [Fact]
    public void SetEnv_OnContainerWithoutEnv_CreatesTheListOnceAndLeavesSidecarsAlone()
    {
        var (patched, patch) = MutateOnce(SchedulerWithGitSync, Packs.FromYaml(RemoteLogging), "Pod", "scheduler-0");

        var op = Assert.Single(patch);
        Assert.Equal(("add", "/spec/containers/0/env"), (op.Op, op.Path));
        var env = patched["spec"]!["containers"]![0]!["env"]!.AsArray();
        Assert.Equal(["AIRFLOW__LOGGING__REMOTE_LOGGING", "AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER"], env.Select(e => (string)e!["name"]!));
        Assert.Equal("True", (string)env[0]!["value"]!);
        Assert.Single(patched["spec"]!["containers"]![1]!["env"]!.AsArray()); // git-sync untouched
    }

    [Fact]
    public void SetEnv_OnContainerWithEnv_AppendsAndRepairsTheTaskLogsWarning()
    {
        var bundle = Bundle.Seed("001-ke-task-logs-unsafe.yaml");
        var policies = Packs.FromYaml(RemoteLogging);

        var (patched, patch) = MutateOnce(bundle, policies, "Pod", "download-data-fetch-4f2a9c1e");

        Assert.All(patch, op => Assert.Equal("/spec/containers/0/env/-", op.Path));
        Assert.Equal(2, patch.Count);
        var after = Evaluate(patched, Packs.Default, bundle.Cluster);
        Assert.DoesNotContain(after.Findings, f => f.Policy == "task-logs-outlive-the-pod");
    }

    [Fact]
    public void SetEnv_WhenAirflowCfgAlreadyConfiguresRemoteLogging_DoesNotOverrideIt()
    {
        var bundle = Bundle.Seed("001-ke-task-logs-safe-remote-in-cfg.yaml");

        var decision = bundle.Verdict(Packs.FromYaml(RemoteLogging), "Pod", "etl-load-7d1e2f").Decision;

        Assert.Empty(decision.Patch);
        Assert.Empty(decision.Findings);
    }

    [Fact]
    public void SetEnv_WhenSettingComesFromUnreadableSecret_HoldsBackAndSaysWhy()
    {
        // the community-chart twin without its Secret: AirflowGuard cannot tell what the Secret sets
        var yaml = File.ReadAllText(Repo.Path("examples", "seeds", "001-ke-task-logs-safe-remote-in-secret.yaml"));
        var podOnly = yaml[yaml.IndexOf("apiVersion: v1\nkind: Pod", StringComparison.Ordinal)..];
        var bundle = Bundle.FromText("pod.yaml", podOnly);

        var decision = bundle.Verdict(Packs.FromYaml(RemoteLogging), "Pod", "report-build-9a8b7c").Decision;

        Assert.Empty(decision.Patch);
        Assert.All(decision.Findings, f => Assert.Equal(FindingKind.Unresolved, f.Kind));
        Assert.Contains("envFrom Secret airflow-config-envs", decision.Findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetEnv_WithOverwrite_ReplacesADifferentValue()
    {
        var pod = SchedulerWithGitSync.Replace("image: apache/airflow:2.9.3", "image: apache/airflow:2.9.3\n      env:\n        - { name: AIRFLOW__LOGGING__REMOTE_LOGGING, value: \"False\" }", StringComparison.Ordinal);
        var policy = RemoteLogging.Replace("- setEnv:", "- setEnv:\n        overwrite: true", StringComparison.Ordinal);

        var (patched, patch) = MutateOnce(pod, Packs.FromYaml(policy), "Pod", "scheduler-0");

        Assert.Contains(patch, op => op is { Op: "replace", Path: "/spec/containers/0/env/0" });
        var env = patched["spec"]!["containers"]![0]!["env"]!.AsArray();
        Assert.Equal("True", (string)env.Single(e => (string)e!["name"]! == "AIRFLOW__LOGGING__REMOTE_LOGGING")!["value"]!);
    }

    [Fact]
    public void AddVolume_AddsClaimAndMountToAirflowContainersOnly()
    {
        var (patched, _) = MutateOnce(SchedulerWithGitSync.Replace("component: scheduler", "component: worker", StringComparison.Ordinal),
            Packs.Examples, "Pod", "scheduler-0");

        var volumes = patched["spec"]!["volumes"]!.AsArray();
        Assert.Equal("extra-persistence-volume-claim", (string)volumes.Single()!["persistentVolumeClaim"]!["claimName"]!);
        Assert.Equal("/opt/airflow/share", (string)patched["spec"]!["containers"]![0]!["volumeMounts"]![0]!["mountPath"]!);
        Assert.Null(patched["spec"]!["containers"]![1]!["volumeMounts"]);
    }

    [Fact]
    public void AddVolume_WhenTheClaimIsAlreadyMounted_PatchesNothing()
    {
        var decision = Bundle.Seed("001-ke-task-logs-unsafe.yaml").Verdict(Packs.Examples, "Pod", "download-data-fetch-4f2a9c1e").Decision;

        Assert.DoesNotContain(decision.Patch, op => op.Path.Contains("volume", StringComparison.Ordinal));
    }

    [Fact]
    public void FuseMountOptions_InlineOssVolume_GetsOwnerAndUmaskInOssfsSyntax()
    {
        const string pod = """
            apiVersion: v1
            kind: Pod
            metadata: { name: worker-0, labels: { tier: airflow, component: worker } }
            spec:
              securityContext: { runAsUser: 50000 }
              containers:
                - name: worker
                  image: apache/airflow:2.9.3
                  volumeMounts: [{ name: data, mountPath: /data }]
              volumes:
                - name: data
                  csi:
                    driver: ossplugin.csi.alibabacloud.com
                    volumeAttributes: { bucket: data, otherOpts: "-o max_stat_cache_size=0 -oallow_other" }
            """;

        var (patched, patch) = MutateOnce(pod, Packs.Default, "Pod", "worker-0");

        var op = Assert.Single(patch);
        Assert.Equal(("replace", "/spec/volumes/0/csi/volumeAttributes/otherOpts"), (op.Op, op.Path));
        Assert.Equal("-o max_stat_cache_size=0 -oallow_other -o uid=50000 -o gid=0 -o umask=002",
            (string)patched["spec"]!["volumes"]![0]!["csi"]!["volumeAttributes"]!["otherOpts"]!);
    }

    [Fact]
    public void FuseMountOptions_InlineGcsFuseWithoutAttributes_UsesCommaSyntaxAndModesForUmask()
    {
        const string pod = """
            apiVersion: v1
            kind: Pod
            metadata: { name: worker-0, labels: { tier: airflow, component: worker } }
            spec:
              securityContext: { runAsUser: 1001, runAsGroup: 3003 }
              containers: [{ name: worker, image: apache/airflow:2.9.3 }]
              volumes:
                - { name: data, csi: { driver: gcsfuse.csi.storage.gke.io } }
            """;

        var (patched, patch) = MutateOnce(pod, Packs.Default, "Pod", "worker-0");

        Assert.Equal("/spec/volumes/0/csi/volumeAttributes", Assert.Single(patch).Path);
        Assert.Equal("uid=1001,gid=3003,file-mode=0664,dir-mode=0775",
            (string)patched["spec"]!["volumes"]![0]!["csi"]!["volumeAttributes"]!["mountOptions"]!);
    }

    [Theory]
    [InlineData("mountOptions: [allow-delete]", "/spec/mountOptions/-")]
    [InlineData("", "/spec/mountOptions")]
    public void FuseMountOptions_MountpointPersistentVolume_AddsListEntries(string existing, string expectedPath)
    {
        var pv = $$"""
            apiVersion: v1
            kind: PersistentVolume
            metadata: { name: s3-logs, labels: { app.kubernetes.io/part-of: airflow } }
            spec:
              accessModes: [ReadWriteMany]
              {{existing}}
              csi: { driver: s3.csi.aws.com, volumeHandle: s3-logs, volumeAttributes: { bucketName: logs } }
            """;

        var (patched, patch) = MutateOnce(pv, Packs.Examples, "PersistentVolume", "s3-logs");

        Assert.All(patch, op => Assert.Equal(expectedPath, op.Path));
        var options = patched["spec"]!["mountOptions"]!.AsArray().Select(o => (string)o!).ToList();
        Assert.Equal(["uid=50000", "gid=0", "file-mode=0664", "dir-mode=0775", "allow-other"], options.Where(o => o != "allow-delete"));
    }

    [Fact]
    public void FuseMountOptions_OssPersistentVolume_KeepsTheOwnersExplicitChoice()
    {
        const string pv = """
            apiVersion: v1
            kind: PersistentVolume
            metadata: { name: oss-logs, labels: { app.kubernetes.io/part-of: airflow } }
            spec:
              csi:
                driver: ossplugin.csi.alibabacloud.com
                volumeHandle: oss-logs
                volumeAttributes: { bucket: logs, OtherOpts: "-o uid=0 -o allow_other" }
            """;

        var (patched, patch) = MutateOnce(pv, Packs.Examples, "PersistentVolume", "oss-logs");

        Assert.Equal("/spec/csi/volumeAttributes/OtherOpts", Assert.Single(patch).Path);
        Assert.Equal("-o uid=0 -o allow_other -o gid=0 -o umask=002", (string)patched["spec"]!["csi"]!["volumeAttributes"]!["OtherOpts"]!);
    }

    [Fact]
    public void FuseMountOptions_AttributeNameWithSlashAndTilde_IsEscapedInThePatchPath()
    {
        const string catalog = """
            apiVersion: airflowguard.dev/v1
            kind: DriverCatalog
            metadata: { name: odd }
            spec:
              drivers:
                - driver: odd.example.com
                  class: object-storage-fuse
                  mountOptions:
                    inline: { style: flags, attribute: "fuse~opts/extra" }
                    uid: "-o uid={uid}"
            ---
            apiVersion: airflowguard.dev/v1
            kind: AirflowPolicy
            metadata: { name: owner }
            spec:
              mutations:
                - fuseMountOptions: { uid: 50000 }
            """;
        const string pod = """
            apiVersion: v1
            kind: Pod
            metadata: { name: worker-0, labels: { tier: airflow, component: worker } }
            spec:
              containers: [{ name: worker, image: apache/airflow:2.9.3 }]
              volumes:
                - { name: data, csi: { driver: odd.example.com, volumeAttributes: { "fuse~opts/extra": "-o ro" } } }
            """;

        var (patched, patch) = MutateOnce(pod, Packs.FromYaml(catalog), "Pod", "worker-0");

        Assert.Equal("/spec/volumes/0/csi/volumeAttributes/fuse~0opts~1extra", Assert.Single(patch).Path);
        Assert.Equal("-o ro -o uid=50000", (string)patched["spec"]!["volumes"]![0]!["csi"]!["volumeAttributes"]!["fuse~opts/extra"]!);
    }

    [Fact]
    public void Mutations_OnADeploymentTemplate_AddressTheTemplate()
    {
        var deployment = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: airflow-worker, namespace: airflow }
            spec:
              replicas: 2
              template:
                metadata: { labels: { tier: airflow, component: worker } }
                spec:
                  containers: [{ name: worker, image: apache/airflow:2.9.3, env: [] }]
            """;

        var (patched, patch) = MutateOnce(deployment, Packs.FromYaml(RemoteLogging), "Deployment", "airflow-worker");

        Assert.All(patch, op => Assert.StartsWith("/spec/template/spec/containers/0/env/-", op.Path, StringComparison.Ordinal));
        Assert.Equal(2, patched["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray().Count);
    }

    [Fact]
    public void SetEnv_WinsOverAnAirflowCfgThatOnlyRestatesTheDefault_AsTheOfficialChartWritesIt()
    {
        // the official chart's airflow.cfg always says remote_logging = False; env beats the file
        var bundle = Bundle.FromText("chart.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata: { name: airflow-config, namespace: airflow }
            data:
              airflow.cfg: |
                [logging]
                remote_logging = False
                base_log_folder = /opt/airflow/logs
            ---
            apiVersion: v1
            kind: Pod
            metadata: { name: scheduler-0, namespace: airflow, labels: { tier: airflow, component: scheduler } }
            spec:
              containers:
                - name: scheduler
                  image: apache/airflow:2.10.5
                  volumeMounts: [{ name: config, mountPath: /opt/airflow/airflow.cfg, subPath: airflow.cfg, readOnly: true }]
              volumes: [{ name: config, configMap: { name: airflow-config } }]
            """);

        var (patched, _) = MutateOnce(bundle, Packs.FromYaml(RemoteLogging), "Pod", "scheduler-0");

        var env = patched["spec"]!["containers"]![0]!["env"]!.AsArray();
        Assert.Equal("True", (string)env.Single(e => (string)e!["name"]! == "AIRFLOW__LOGGING__REMOTE_LOGGING")!["value"]!);
        // and Airflow, reading env before airflow.cfg, now runs with remote logging on
        var pod = ObjectEvaluator.Evaluate(Patches.ToElement(patched), "", PolicySet.Empty, bundle.Cluster, "airflow").Pod!;
        Assert.True(Airflow.SettingsResolver.Resolve(pod, pod.Containers[0], bundle.Cluster).RemoteLoggingOn);
    }

    [Fact]
    public void SetEnv_NeverOverridesAnOlderNameTheUserSetInEnv()
    {
        var pod = SchedulerWithGitSync.Replace("image: apache/airflow:2.9.3", "image: apache/airflow:2.9.3\n      env:\n        - { name: AIRFLOW__CORE__REMOTE_LOGGING, value: \"False\" }", StringComparison.Ordinal);
        var bundle = Bundle.FromText("old-name.yaml", pod);

        var (patched, _) = MutateOnce(bundle, Packs.FromYaml(RemoteLogging), "Pod", "scheduler-0");

        var names = patched["spec"]!["containers"]![0]!["env"]!.AsArray().Select(e => (string)e!["name"]!).ToList();
        Assert.DoesNotContain("AIRFLOW__LOGGING__REMOTE_LOGGING", names);
        Assert.Contains("AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER", names);
    }

    [Fact]
    public void SetEnv_OnAirflow110_UsesTheCoreNames110Reads()
    {
        var (patched, _) = MutateOnce(SchedulerWithGitSync.Replace("apache/airflow:2.9.3", "apache/airflow:1.10.15-python3.8", StringComparison.Ordinal),
            Packs.FromYaml(RemoteLogging), "Pod", "scheduler-0");

        var names = patched["spec"]!["containers"]![0]!["env"]!.AsArray().Select(e => (string)e!["name"]!);
        Assert.Equal(["AIRFLOW__CORE__REMOTE_LOGGING", "AIRFLOW__CORE__REMOTE_BASE_LOG_FOLDER"], names);
    }

    [Fact]
    public void FuseMountOptions_OnAnInlineBlobfuseVolume_GoIntoItsMountOptionsAttribute()
    {
        var pod = """
            apiVersion: v1
            kind: Pod
            metadata: { name: s, namespace: airflow, labels: { tier: airflow, component: scheduler } }
            spec:
              securityContext: { runAsUser: 50000, runAsGroup: 0 }
              containers:
                - name: scheduler
                  image: apache/airflow:2.10.5
                  volumeMounts: [{ name: blob, mountPath: /data }]
              volumes:
                - name: blob
                  csi: { driver: blob.csi.azure.com, volumeAttributes: { containerName: data, secretName: blob-creds } }
            """;

        var (patched, _) = MutateOnce(pod, Packs.Default, "Pod", "s");

        var options = (string)patched["spec"]!["volumes"]![0]!["csi"]!["volumeAttributes"]!["mountOptions"]!;
        Assert.Contains("-o uid=50000", options, StringComparison.Ordinal);
        Assert.Contains("-o gid=0", options, StringComparison.Ordinal);
        Assert.Contains("-o umask=002", options, StringComparison.Ordinal);
    }

    private static (JsonNode Patched, IReadOnlyList<Mutations.PatchOperation> Patch) MutateOnce(string yaml, PolicySet policies, string kind, string name) =>
        MutateOnce(Bundle.FromText("test.yaml", yaml), policies, kind, name);

    /// <summary>Applies the engine's patch with the JSON Patch library and checks a second run patches nothing.</summary>
    private static (JsonNode Patched, IReadOnlyList<Mutations.PatchOperation> Patch) MutateOnce(Bundle bundle, PolicySet policies, string kind, string name)
    {
        var obj = bundle.Objects.Single(o => o.Kind == kind && o.Json.GetProperty("metadata").GetProperty("name").GetString() == name);
        var first = ObjectEvaluator.Evaluate(obj.Json, "", policies, bundle.Cluster, "default");
        Assert.NotEmpty(first.Decision.Patch);

        var patched = Patches.Apply(obj.Json, first.Decision.Patch);

        var second = ObjectEvaluator.Evaluate(Patches.ToElement(patched), "", policies, bundle.Cluster, "default");
        Assert.Empty(second.Errors);
        Assert.Empty(second.Decision.Patch);
        return (patched, first.Decision.Patch);
    }

    private static Decision Evaluate(JsonNode obj, PolicySet policies, IClusterState cluster) =>
        ObjectEvaluator.Evaluate(Patches.ToElement(obj), "", policies, cluster, "default").Decision;
}
