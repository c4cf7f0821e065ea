using System.Net;
using k8s;
using k8s.Autorest;

namespace AirflowGuard.EndToEnd.Tests;

/// <summary>
/// The seed scenarios through a real API server, against AirflowGuard installed from its chart with the image built
/// from this checkout (<see cref="ChartInstalledInK3s"/>): the webhook configurations, Service, certificates,
/// policies ConfigMap and Deployment are the chart's, nothing is registered by hand.
/// </summary>
public sealed class K3sEndToEndTests(ChartInstalledInK3s cluster) : IClassFixture<ChartInstalledInK3s>
{
    private const string Namespace = ChartInstalledInK3s.AirflowNamespace;

    private Kubernetes Client => cluster.Client;

    [DockerFact]
    public async Task UnsafePod_IsRefusedByTheApiServer_WithTheRulesMessage()
    {
        var pod = AirflowObjects.Scheduler("unsafe", AirflowObjects.HostPathDags);

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.CreateNamespacedPodAsync(pod, Namespace));

        Assert.Equal(HttpStatusCode.Forbidden, refused.Response.StatusCode);
        Assert.Contains("no-host-path-dags-or-logs", refused.Response.Content, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task SafePod_IsStored_AndDryRunGetsTheSameVerdictWithoutStoring()
    {
        var safe = await Client.CoreV1.CreateNamespacedPodAsync(AirflowObjects.Scheduler("safe", AirflowObjects.EmptyDirDags), Namespace);
        var dryRefused = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.CreateNamespacedPodAsync(
            AirflowObjects.Scheduler("dry", AirflowObjects.HostPathDags), Namespace, dryRun: "All"));

        Assert.Equal("safe", safe.Metadata.Name);
        Assert.Equal(HttpStatusCode.Forbidden, dryRefused.Response.StatusCode);
        var pods = await Client.CoreV1.ListNamespacedPodAsync(Namespace);
        Assert.DoesNotContain(pods.Items, p => p.Metadata.Name == "dry");
    }

    [DockerFact]
    public async Task OssPersistentVolume_IsStoredWithTheMountOptionsAdded()
    {
        var created = await Client.CoreV1.CreatePersistentVolumeAsync(AirflowObjects.OssPersistentVolume("airflow-logs-oss"));

        Assert.Contains("uid=50000", created.Spec.Csi.VolumeAttributes["otherOpts"], StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task UnsafeDeployment_IsRefused_SayingItsPodTemplateIsWrong()
    {
        var deployment = AirflowObjects.SchedulerDeployment("scheduler-on-host-path", AirflowObjects.HostPathDags);

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, Namespace));

        Assert.Equal(HttpStatusCode.Forbidden, refused.Response.StatusCode);
        Assert.Contains($"denied the pod template of Deployment {Namespace}/scheduler-on-host-path", refused.Response.Content, StringComparison.Ordinal);
        Assert.Contains("no-host-path-dags-or-logs", refused.Response.Content, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task InlineOssVolume_IsGivenItsFuseMountOptions_ByTheMutatingWebhook()
    {
        var pod = AirflowObjects.Scheduler("inline-oss", AirflowObjects.InlineOssDags);

        var admitted = await Client.CoreV1.CreateNamespacedPodAsync(pod, Namespace, dryRun: "All");

        // the API server added its service-account token volume beside the DAGs volume
        var dags = admitted.Spec.Volumes.Single(v => v.Name == "dags");
        Assert.Equal("-o uid=50000 -o gid=0 -o umask=002 -o allow_other", dags.Csi.VolumeAttributes["otherOpts"]);
    }

    [DockerFact]
    public async Task UnsafePod_InTheReleaseNamespace_IsNeverSentToTheWebhook()
    {
        var pod = AirflowObjects.Scheduler("unsafe-beside-airflowguard", AirflowObjects.HostPathDags);

        var admitted = await Client.CoreV1.CreateNamespacedPodAsync(pod, ChartInstalledInK3s.ReleaseNamespace, dryRun: "All");

        Assert.Equal("unsafe-beside-airflowguard", admitted.Metadata.Name);
    }

    [DockerFact]
    public async Task AnAirflowPolicyException_LetsTheWaivedPodIn_UntilItIsDeleted()
    {
        await cluster.ApplyAsync($$"""
            apiVersion: airflowguard.dev/v1
            kind: AirflowPolicyException
            metadata: { name: waived-host-path-dags, namespace: {{Namespace}} }
            spec:
              policy: no-host-path-dags-or-logs
              rules: [no-host-path-dags]
              match: { kinds: [Pod], names: ["waived-*"] }
              reason: the end-to-end test of exceptions
              expires: "2099-01-01"
            """, "exception");

        // the webhook's cache sees the exception within a watch event
        var admitted = await Eventually(async () =>
        {
            try
            {
                return await Client.CoreV1.CreateNamespacedPodAsync(AirflowObjects.Scheduler($"waived-{Guid.NewGuid():N}"[..20], AirflowObjects.HostPathDags), Namespace, dryRun: "All");
            }
            catch (HttpOperationException)
            {
                return null;
            }
        });
        await cluster.KubectlAsync("delete", "airflowpolicyexception", "waived-host-path-dags", "--namespace", Namespace);
        var refusedAgain = await Eventually(async () =>
        {
            try
            {
                await Client.CoreV1.CreateNamespacedPodAsync(AirflowObjects.Scheduler("waived-again", AirflowObjects.HostPathDags), Namespace, dryRun: "All");
                return null;
            }
            catch (HttpOperationException refused) when (refused.Response.StatusCode == HttpStatusCode.Forbidden)
            {
                return refused;
            }
        });

        Assert.NotNull(admitted);
        Assert.Contains("no-host-path-dags-or-logs", refusedAgain.Response.Content, StringComparison.Ordinal);
    }

    /// <summary>
    /// <c>export vap</c>'s objects for the export tests' policy set, applied as a user applies them: the API server alone
    /// refuses an Airflow scheduler running an image tagged latest (pinned-images, Enforce → Deny) and admits a pinned one.
    /// </summary>
    [DockerFact]
    public async Task ExportedAdmissionPolicies_AreEnforcedByTheApiServerAlone()
    {
        var load = Engine.Policies.PolicyLoader.LoadPaths([Path.Combine(Repository.Root, "tests", "AirflowGuard.Cli.Tests", "TestData", "vap", "policies.yaml")]);
        Assert.True(load.Succeeded, string.Join("\n", load.Errors));
        using var yaml = new StringWriter();
        Engine.Yaml.YamlWriter.WriteDocuments(Engine.Export.AdmissionPolicyExport.Of(load.Set!).Objects, yaml);
        await cluster.ApplyAsync(yaml.ToString(), "exported-vap");
        try
        {
            var latest = AirflowObjects.Scheduler("scheduler-latest", AirflowObjects.EmptyDirDags);
            latest.Spec.Containers[0].Image = "apache/airflow:latest";
            // the API server takes a new policy and binding into force within seconds: dry-run until it refuses
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            HttpOperationException? refused = null;
            while (refused is null && DateTime.UtcNow < deadline)
            {
                try
                {
                    await Client.CoreV1.CreateNamespacedPodAsync(latest, Namespace, dryRun: "All");
                    await Task.Delay(500);
                }
                catch (HttpOperationException ex) when (ex.Response.Content.Contains("pinned-images/no-latest", StringComparison.Ordinal))
                {
                    refused = ex;
                }
            }

            Assert.NotNull(refused);
            Assert.Contains("ValidatingAdmissionPolicy 'airflowguard-pinned-images'", refused.Response.Content, StringComparison.Ordinal);
            var pinned = await Client.CoreV1.CreateNamespacedPodAsync(AirflowObjects.Scheduler("scheduler-pinned", AirflowObjects.EmptyDirDags), Namespace, dryRun: "All");
            Assert.Equal("scheduler-pinned", pinned.Metadata.Name);
        }
        finally
        {
            await cluster.KubectlAsync("delete", "--filename", "/tmp/exported-vap.yaml");
        }
    }

    [DockerFact]
    public async Task WhatRuns_IsReportedInAPolicyReportOfItsNamespace()
    {
        // a scheduler whose logs nothing bounds: admitted with a warning, then reported by the leader's next round
        var pod = AirflowObjects.Scheduler("reported-scheduler", AirflowObjects.EmptyDirDags);
        pod.Spec.Containers[0].VolumeMounts.Add(new k8s.Models.V1VolumeMount { Name = "logs", MountPath = "/opt/airflow/logs" });
        pod.Spec.Volumes.Add(new k8s.Models.V1Volume { Name = "logs", EmptyDir = new k8s.Models.V1EmptyDirVolumeSource() });
        await Client.CoreV1.CreateNamespacedPodAsync(pod, Namespace);

        var report = await Eventually(async () =>
        {
            try
            {
                var json = await cluster.KubectlAsync("get", "policyreport", $"airflowguard-{Namespace}", "--namespace", Namespace, "--output", "json");
                return json.Contains("reported-scheduler", StringComparison.Ordinal) ? json : null;
            }
            catch (InvalidOperationException)
            {
                return null; // not written yet
            }
        });

        Assert.Contains("local-logs-bounded", report, StringComparison.Ordinal);
        var leases = await cluster.KubectlAsync("get", "lease", $"{ChartInstalledInK3s.Release}-reports", "--namespace", ChartInstalledInK3s.ReleaseNamespace, "--output", "jsonpath={.spec.holderIdentity}");
        Assert.StartsWith(ChartInstalledInK3s.Release, leases, StringComparison.Ordinal); // one of the Deployment's pods
    }

    /// <summary>The first non-null answer within two minutes (the cache's watch, the report's period).</summary>
    private static async Task<T> Eventually<T>(Func<Task<T?>> attempt) where T : class
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            if (await attempt() is { } answer)
            {
                return answer;
            }
            Assert.True(DateTime.UtcNow < deadline, "no answer within two minutes");
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }
}
