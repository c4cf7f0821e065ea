using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Tests.Support;

namespace AirflowGuard.Engine.Tests;

/// <summary>The settings a container really runs with, resolved in Airflow's order: env, envFrom, airflow.cfg, defaults.</summary>
public class SettingsResolutionTests
{
    private const string Objects = """
        apiVersion: v1
        kind: ConfigMap
        metadata: { name: airflow-config, namespace: airflow }
        data:
          airflow.cfg: |
            [core]
            dags_folder = {AIRFLOW_HOME}/dags/repo
            [logging]
            base_log_folder = /cfg/logs
            remote_logging = True
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: { name: env-settings, namespace: airflow }
        data:
          AIRFLOW__LOGGING__BASE_LOG_FOLDER: /env-from/logs
          AIRFLOW__CORE__DAGS_FOLDER: /env-from/dags
        ---
        """;

    private const string CfgMount = """
              volumeMounts:
                - { name: config, mountPath: /opt/airflow/airflow.cfg, subPath: airflow.cfg }
        """;

    [Fact]
    public void Defaults_WhenNothingIsSet()
    {
        var settings = Resolve("");

        Assert.Equal(("/opt/airflow", "/opt/airflow/dags", "/opt/airflow/logs"), (settings.AirflowHome.Value, settings.DagsFolder.Value, settings.LogsFolder.Value));
        Assert.False(settings.RemoteLoggingOn);
    }

    [Fact]
    public void AirflowCfg_FromTheMountedConfigMap_WithAirflowHomeExpanded()
    {
        var settings = Resolve(CfgMount);

        Assert.Equal("/opt/airflow/dags/repo", settings.DagsFolder.Value);
        Assert.Equal("/cfg/logs", settings.LogsFolder.Value);
        Assert.True(settings.RemoteLoggingOn);
        Assert.Contains("airflow.cfg", settings.LogsFolder.Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{AIRFLOW_HOME}/dags/repo")]
    [InlineData("${AIRFLOW_HOME}/dags/repo")]
    [InlineData("$AIRFLOW_HOME/dags/repo")]
    public void AirflowHome_IsPutIntoAFolder_HoweverItIsWritten(string written)
    {
        var settings = Resolve($$"""
                  env: [{ name: AIRFLOW_HOME, value: /srv/airflow }, { name: AIRFLOW__CORE__DAGS_FOLDER, value: "{{written}}" }]
            """);

        Assert.Equal("/srv/airflow/dags/repo", settings.DagsFolder.Value);
    }

    [Fact]
    public void EnvFrom_BeatsAirflowCfg()
    {
        var settings = Resolve("""
                  envFrom: [{ configMapRef: { name: env-settings } }]
            """ + "\n" + CfgMount);

        Assert.Equal("/env-from/logs", settings.LogsFolder.Value);
        Assert.Equal("/env-from/dags", settings.DagsFolder.Value);
        Assert.True(settings.RemoteLoggingOn); // not in envFrom: still from airflow.cfg
    }

    [Fact]
    public void Env_BeatsEnvFromAndAirflowCfg()
    {
        var settings = Resolve("""
                  env: [{ name: AIRFLOW__LOGGING__BASE_LOG_FOLDER, value: /env/logs }, { name: AIRFLOW__LOGGING__REMOTE_LOGGING, value: "False" }]
                  envFrom: [{ configMapRef: { name: env-settings } }]
            """ + "\n" + CfgMount);

        Assert.Equal("/env/logs", settings.LogsFolder.Value);
        Assert.False(settings.RemoteLoggingOn);
    }

    [Fact]
    public void EnvFromSecretThatCannotBeSeen_IsUnknownNotGuessed()
    {
        var settings = Resolve("""
                  envFrom: [{ secretRef: { name: airflow-env } }]
            """);

        Assert.False(settings.RemoteLogging.IsKnown);
        Assert.Null(settings.RemoteLoggingOn);
        Assert.Contains("airflow-env", settings.RemoteLogging.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretVariant_MakesTheSettingUnknown()
    {
        var settings = Resolve("""
                  env: [{ name: AIRFLOW__LOGGING__REMOTE_LOGGING_CMD, value: cat /secrets/remote }]
            """);

        Assert.False(settings.RemoteLogging.IsKnown);
    }

    /// <summary>
    /// Variants are found wherever they sit among other env vars (the resolver skips their lookups when no
    /// name could be one): _SECRET as well as _CMD, under an option's older name too, with env vars of
    /// other shapes before and after.
    /// </summary>
    [Theory]
    [InlineData("AIRFLOW__LOGGING__REMOTE_LOGGING_SECRET")]
    [InlineData("AIRFLOW__CORE__REMOTE_LOGGING_CMD")]
    [InlineData("AIRFLOW__CORE__REMOTE_LOGGING_SECRET")]
    public void SecretVariant_AmongOtherEnv_MakesTheSettingUnknown(string variant)
    {
        var settings = Resolve($$"""
                  env:
                    - { name: PYTHONPATH, value: /opt/airflow/plugins }
                    - { name: AIRFLOW__CORE__LOAD_EXAMPLES, value: "False" }
                    - { name: {{variant}}, value: remote-logging }
                    - { name: AIRFLOW_VAR_TEAM, value: data }
            """);

        Assert.False(settings.RemoteLogging.IsKnown);
        Assert.Contains(variant, settings.RemoteLogging.Source, StringComparison.Ordinal);
        Assert.True(settings.DagsFolder.IsKnown);
    }

    [Fact]
    public void UnknownRemoteLogging_IsReportedAsUnresolved_NotAsAViolation()
    {
        var bundle = Bundle.FromText("task.yaml", """
            apiVersion: v1
            kind: Pod
            metadata:
              name: t
              namespace: airflow
              labels: { kubernetes_executor: "True", dag_id: d, task_id: t }
            spec:
              containers:
                - name: base
                  image: apache/airflow:2.9.3
                  envFrom: [{ secretRef: { name: airflow-env } }]
            """);

        var decision = bundle.Verdict(Packs.Default, "Pod", "t").Decision;

        var finding = Assert.Single(decision.Findings, f => f.Policy == "task-logs-outlive-the-pod");
        Assert.Equal(Evaluation.FindingKind.Unresolved, finding.Kind);
        Assert.True(decision.Allowed);
        Assert.Contains("airflow-env", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cp /opt/bitnami/airflow/airflow.cfg /emptydir/app-base-dir/airflow.cfg", true)]
    [InlineData("echo nothing copied", false)]
    public void AirflowCfg_AnInitContainerCopiesFromItsConfigMap_IntoTheEmptyDirTheContainerReads(string script, bool copied)
    {
        // Bitnami's prepare-config: the ConfigMap's airflow.cfg copied into the emptyDir the container mounts it from
        var bundle = Bundle.FromText("pod.yaml", Objects + "\n" + $$"""
            apiVersion: v1
            kind: Pod
            metadata: { name: s, namespace: airflow, labels: { app.kubernetes.io/component: scheduler } }
            spec:
              initContainers:
                - name: prepare-config
                  image: bitnami/airflow:3.0.5
                  command: [/bin/bash]
                  args: [-ec, "{{script}}"]
                  volumeMounts:
                    - { name: empty-dir, mountPath: /emptydir }
                    - { name: config, mountPath: /opt/bitnami/airflow/airflow.cfg, subPath: airflow.cfg }
              containers:
                - name: scheduler
                  image: bitnami/airflow:3.0.5
                  env: [{ name: AIRFLOW_HOME, value: /opt/bitnami/airflow }]
                  volumeMounts:
                    - { name: empty-dir, mountPath: /opt/bitnami/airflow/airflow.cfg, subPath: app-base-dir/airflow.cfg }
              volumes:
                - { name: config, configMap: { name: airflow-config } }
                - { name: empty-dir, emptyDir: {} }
            """);
        var pod = bundle.Pod("Pod", "s");

        var settings = SettingsResolver.Resolve(pod, pod.Containers[0], bundle.Cluster);

        Assert.Equal(copied, settings.RemoteLoggingOn);
        Assert.Equal(copied ? "/cfg/logs" : "/opt/bitnami/airflow/logs", settings.LogsFolder.Value);
        if (copied)
        {
            Assert.Contains("copied into volume empty-dir by init container prepare-config", settings.LogsFolder.Source, StringComparison.Ordinal);
        }
    }

    private static EffectiveAirflowSettings Resolve(string containerExtra)
    {
        var bundle = Bundle.FromText("pod.yaml", Objects + "\n" + $$"""
            apiVersion: v1
            kind: Pod
            metadata: { name: s, namespace: airflow, labels: { tier: airflow, component: scheduler } }
            spec:
              containers:
                - name: scheduler
                  image: apache/airflow:2.9.3
            {{containerExtra}}
              volumes:
                - { name: config, configMap: { name: airflow-config } }
            """);
        var pod = bundle.Pod("Pod", "s");
        return SettingsResolver.Resolve(pod, pod.Containers[0], bundle.Cluster);
    }
}
