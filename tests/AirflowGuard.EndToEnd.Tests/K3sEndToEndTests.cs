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
}
