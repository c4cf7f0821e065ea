using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AirflowGuard.Webhook.Hosting;
using DotNet.Testcontainers.Configurations;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Testcontainers.K3s;

namespace AirflowGuard.EndToEnd.Tests;

/// <summary>
/// The seed scenarios through a real API server: K3s in a container, the webhook on the host (reached
/// through Testcontainers' host port forwarding), the webhook configurations registered as the chart
/// registers them, and pods and PersistentVolumes created with the official client.
/// </summary>
public sealed class K3sEndToEndTests : IAsyncLifetime
{
    private const string HostName = "host.testcontainers.internal";
    private readonly string _folder = Directory.CreateTempSubdirectory("airflowguard-e2e-").FullName;
    private K3sContainer? _k3s;
    private WebApplication? _webhook;
    private Kubernetes? _client;

    public async Task InitializeAsync()
    {
        if (Docker.Unavailable() is not null)
        {
            return; // every test here is skipped
        }
        var port = FreePort();
        var caPem = WriteCertificates();
        var root = RepoRoot();
        _webhook = WebhookServer.Build([
            "--address", "any", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tls-cert-file", Path.Combine(_folder, "tls.crt"), "--tls-key-file", Path.Combine(_folder, "tls.key"),
            "--policies", $"{Path.Combine(root, "policies")},{Path.Combine(root, "policies", "examples", "fuse-mount-options-persistent-volumes.yaml")}",
            "--shutdown-delay-seconds", "0",
        ]);
        await _webhook.StartAsync();
        await TestcontainersSettings.ExposeHostPortsAsync((ushort)port);

        _k3s = new K3sBuilder("rancher/k3s:v1.31.2-k3s1").Build();
        await _k3s.StartAsync();
        var kubeconfig = await _k3s.GetKubeconfigAsync();
        await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(kubeconfig));
        _client = new Kubernetes(await KubernetesClientConfiguration.BuildConfigFromConfigFileAsync(stream));

        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "airflow" } });
        var caBundle = Encoding.UTF8.GetBytes(caPem);
        var service = $"https://{HostName}:{port}";
        await _client.AdmissionregistrationV1.CreateValidatingWebhookConfigurationAsync(new V1ValidatingWebhookConfiguration
        {
            Metadata = new V1ObjectMeta { Name = "airflowguard" },
            Webhooks =
            [
                new V1ValidatingWebhook
                {
                    Name = "validate.airflowguard.dev",
                    AdmissionReviewVersions = ["v1"],
                    SideEffects = "None",
                    FailurePolicy = "Fail",
                    TimeoutSeconds = 10,
                    ClientConfig = new Admissionregistrationv1WebhookClientConfig { Url = $"{service}/validate", CaBundle = caBundle },
                    NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "airflow" } },
                    Rules = [new V1RuleWithOperations { ApiGroups = [""], ApiVersions = ["v1"], Resources = ["pods"], Operations = ["CREATE", "UPDATE"] }],
                },
            ],
        });
        await _client.AdmissionregistrationV1.CreateMutatingWebhookConfigurationAsync(new V1MutatingWebhookConfiguration
        {
            Metadata = new V1ObjectMeta { Name = "airflowguard" },
            Webhooks =
            [
                new V1MutatingWebhook
                {
                    Name = "mutate-pv.airflowguard.dev",
                    AdmissionReviewVersions = ["v1"],
                    SideEffects = "None",
                    FailurePolicy = "Fail",
                    ReinvocationPolicy = "IfNeeded",
                    TimeoutSeconds = 10,
                    ClientConfig = new Admissionregistrationv1WebhookClientConfig { Url = $"{service}/mutate", CaBundle = caBundle },
                    Rules = [new V1RuleWithOperations { ApiGroups = [""], ApiVersions = ["v1"], Resources = ["persistentvolumes"], Operations = ["CREATE"] }],
                },
            ],
        });
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_k3s is not null)
        {
            await _k3s.DisposeAsync();
        }
        if (_webhook is not null)
        {
            await _webhook.StopAsync();
            await _webhook.DisposeAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }

    [DockerFact]
    public async Task UnsafePod_IsRefusedByTheApiServer_WithTheRulesMessage()
    {
        var pod = Pod("unsafe", new V1Volume { Name = "dags", HostPath = new V1HostPathVolumeSource { Path = "/data/dags" } });

        var refused = await Assert.ThrowsAsync<HttpOperationException>(() => _client!.CoreV1.CreateNamespacedPodAsync(pod, "airflow"));

        Assert.Equal(HttpStatusCode.Forbidden, refused.Response.StatusCode);
        Assert.Contains("no-host-path-dags-or-logs", refused.Response.Content, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task SafePod_IsStored_AndDryRunGetsTheSameVerdictWithoutStoring()
    {
        var safe = await _client!.CoreV1.CreateNamespacedPodAsync(Pod("safe", new V1Volume { Name = "dags", EmptyDir = new V1EmptyDirVolumeSource() }), "airflow");
        var dryRefused = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CoreV1.CreateNamespacedPodAsync(
            Pod("dry", new V1Volume { Name = "dags", HostPath = new V1HostPathVolumeSource { Path = "/data/dags" } }), "airflow", dryRun: "All"));

        Assert.Equal("safe", safe.Metadata.Name);
        Assert.Equal(HttpStatusCode.Forbidden, dryRefused.Response.StatusCode);
        var pods = await _client.CoreV1.ListNamespacedPodAsync("airflow");
        Assert.DoesNotContain(pods.Items, p => p.Metadata.Name == "dry");
    }

    [DockerFact]
    public async Task OssPersistentVolume_IsStoredWithTheMountOptionsAdded()
    {
        var created = await _client!.CoreV1.CreatePersistentVolumeAsync(new V1PersistentVolume
        {
            Metadata = new V1ObjectMeta { Name = "airflow-logs-oss", Labels = new Dictionary<string, string> { ["app.kubernetes.io/part-of"] = "airflow" } },
            Spec = new V1PersistentVolumeSpec
            {
                AccessModes = ["ReadWriteMany"],
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") },
                Csi = new V1CSIPersistentVolumeSource { Driver = "ossplugin.csi.alibabacloud.com", VolumeHandle = "airflow-logs-oss", VolumeAttributes = new Dictionary<string, string> { ["bucket"] = "logs" } },
            },
        });

        Assert.Contains("uid=50000", created.Spec.Csi.VolumeAttributes["otherOpts"], StringComparison.Ordinal);
    }

    private static V1Pod Pod(string name, V1Volume dags) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["tier"] = "airflow", ["component"] = "scheduler" } },
        Spec = new V1PodSpec
        {
            Containers =
            [
                new V1Container
                {
                    Name = "scheduler",
                    Image = "apache/airflow:2.9.3",
                    Args = ["bash", "-c", "exec airflow scheduler"],
                    VolumeMounts = [new V1VolumeMount { Name = "dags", MountPath = "/opt/airflow/dags", ReadOnlyProperty = true }],
                },
            ],
            Volumes = [dags],
        },
    };

    /// <summary>A CA, and a serving certificate for the name the API server calls; returns the CA as PEM.</summary>
    private string WriteCertificates()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=airflowguard e2e CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={HostName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(HostName);
        request.CertificateExtensions.Add(names.Build());
        using var leaf = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(8));
        File.WriteAllText(Path.Combine(_folder, "tls.crt"), leaf.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_folder, "tls.key"), key.ExportPkcs8PrivateKeyPem());
        return ca.ExportCertificatePem();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AirflowGuard.sln")))
        {
            dir = dir.Parent;
        }
        return dir!.FullName;
    }
}
