using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Tests.Support;
using static AirflowGuard.Engine.Tests.Support.MutationFixtures;

namespace AirflowGuard.Engine.Tests;

/// <summary>setEnv: env vars set on Airflow containers, never over what the user or airflow.cfg configures, idempotently.</summary>
public class SetEnvMutationTests
{
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
}
