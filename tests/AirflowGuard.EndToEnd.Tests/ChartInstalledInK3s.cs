using System.Globalization;
using System.Text;
using k8s;
using k8s.Autorest;
using Testcontainers.K3s;

namespace AirflowGuard.EndToEnd.Tests;

/// <summary>
/// AirflowGuard installed in K3s the way a user installs it, shared by the tests of <see cref="K3sEndToEndTests"/>:
/// <list type="number">
/// <item>K3s starts in a container while the image is built from the repository's Dockerfile (<see cref="LocalImage"/>);</item>
/// <item>the image is saved to a tar archive and imported into K3s's containerd (<c>ctr images import</c>), so the
/// kubelet finds it with <c>imagePullPolicy: Never</c>;</item>
/// <item>the chart is rendered by helm with values that point at that image (<see cref="ChartValues"/>) and the
/// rendered manifests are applied as they are (<c>kubectl apply</c> inside the K3s container);</item>
/// <item>the Deployment's rollout is awaited (its replicas ready as the chart's probes say), then the API server's
/// answer to an unsafe pod, until it carries AirflowGuard's verdict: the Service, the certificates the chart
/// generated, the webhook configurations' caBundle and matchConditions all work together.</item>
/// </list>
/// Where no Docker engine is reachable nothing starts: every test of the class is skipped (<see cref="DockerFactAttribute"/>).
/// A step that fails says which one and brings the pods' state and logs.
/// </summary>
public sealed class ChartInstalledInK3s : IAsyncLifetime
{
    /// <summary>The release, and so the chart's full name (the Deployment, Service and webhook configurations).</summary>
    public const string Release = "airflowguard";

    public const string ReleaseNamespace = "airflowguard";

    /// <summary>Where the scenarios create their objects: any namespace but kube-system, kube-node-lease and the release's.</summary>
    public const string AirflowNamespace = "airflow";

    private const string K3sImage = "rancher/k3s:v1.31.2-k3s1";
    private const string ImageArchive = "airflowguard-image.tar";
    private const string ManifestsFile = "/tmp/airflowguard-manifests.yaml";
    private static readonly TimeSpan RolloutTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(2);
    private readonly string _folder = Directory.CreateTempSubdirectory("airflowguard-e2e-").FullName;
    private K3sContainer? _k3s;
    private Kubernetes? _client;

    /// <summary>The API server's client, as cluster-admin (K3s's kubeconfig).</summary>
    public Kubernetes Client => _client ?? throw new InvalidOperationException("K3s is not running: no Docker engine");

    public async Task InitializeAsync()
    {
        if (Docker.Unavailable() is not null)
        {
            return; // every test here is skipped
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(40)); // the first image build pulls the SDK
        var ct = timeout.Token;
        HelmChart.EnsureHelm();

        _k3s = new K3sBuilder(K3sImage).Build();
        var starting = _k3s.StartAsync(ct);
        var building = LocalImage.BuildAsync(ct);
        await Task.WhenAll(starting, building);
        var image = await building;

        await ImportAsync(image, ct);
        await KubectlAsync(ct, "create", "namespace", ReleaseNamespace);
        await KubectlAsync(ct, "create", "namespace", AirflowNamespace);
        var manifests = HelmChart.Render(Release, ReleaseNamespace, ChartValues(image));
        await _k3s.CopyAsync(Encoding.UTF8.GetBytes(manifests), ManifestsFile, ct: ct);
        await KubectlAsync(ct, "apply", "--server-side", "--filename", ManifestsFile);
        await KubectlAsync(ct, "rollout", "status", $"deployment/{Release}", "--namespace", ReleaseNamespace,
            $"--timeout={RolloutTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s");

        var kubeconfig = await _k3s.GetKubeconfigAsync();
        await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(kubeconfig));
        _client = new Kubernetes(await KubernetesClientConfiguration.BuildConfigFromConfigFileAsync(stream));
        await WaitForTheWebhooksAnswerAsync(ct);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_k3s is not null)
        {
            await _k3s.DisposeAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>
    /// The chart's defaults (two replicas, PodDisruptionBudget, NetworkPolicy, self-signed certificates, cluster cache
    /// optional, matchConditions narrowing to Airflow objects, validation by mode (Fail for the Enforce policies) and
    /// mutation Ignore, the AirflowPolicyException CRD), with the local image, never pulled, the example policy that gives
    /// Airflow's object-storage PersistentVolumes their mount options (policies.extra, as the README shows), and the
    /// PolicyReports loop with its CRD.
    /// </summary>
    private static string[] ChartValues(string image)
    {
        var (repository, tag) = LocalImage.Split(image);
        var pvPolicy = Path.Combine(Repository.Root, "policies", "examples", "fuse-mount-options-persistent-volumes.yaml");
        return
        [
            "--set-string", $"image.repository={repository}",
            "--set-string", $"image.tag={tag}",
            "--set-string", "image.pullPolicy=Never",
            "--set-file", $"policies.extra.fuse-mount-options-persistent-volumes\\.yaml={pvPolicy}",
            // the standing report of what runs, every 10 s, with its CRD (no Kyverno here)
            "--set", "reports.enabled=true",
            "--set", "reports.periodSeconds=10",
            "--set", "reports.crd.create=true",
        ];
    }

    /// <summary>The image into K3s's containerd (namespace k8s.io, the kubelet's), as k3d's image import does it.</summary>
    private async Task ImportAsync(string image, CancellationToken ct)
    {
        var archive = Path.Combine(_folder, ImageArchive);
        await LocalImage.SaveAsync(image, archive, ct);
        await _k3s!.CopyAsync(new FileInfo(archive), "/tmp", ct: ct);
        await ExecAsync(ct, "ctr", "--namespace", "k8s.io", "images", "import", $"/tmp/{ImageArchive}");
    }

    /// <summary>
    /// Dry-runs an unsafe pod until the API server answers with AirflowGuard's denial: before the Service has ready
    /// endpoints (or the API server has read the new webhook configurations) it answers otherwise.
    /// </summary>
    private async Task WaitForTheWebhooksAnswerAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + AnswerTimeout;
        string last;
        while (true)
        {
            try
            {
                await Client.CoreV1.CreateNamespacedPodAsync(AirflowObjects.Scheduler("webhook-probe", AirflowObjects.HostPathDags), AirflowNamespace, dryRun: "All", cancellationToken: ct);
                last = "the unsafe pod was admitted (the webhook configurations not in force yet)";
            }
            catch (HttpOperationException ex) when (ex.Response.Content.Contains("no-host-path-dags-or-logs", StringComparison.Ordinal))
            {
                return;
            }
            catch (HttpOperationException ex)
            {
                last = $"{(int)ex.Response.StatusCode}: {ex.Response.Content}";
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"the API server never carried AirflowGuard's verdict within {AnswerTimeout}; last answer: {last}\n{await DiagnosticsAsync()}");
            }
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    private Task<string> KubectlAsync(CancellationToken ct, params string[] args) => ExecAsync(ct, ["kubectl", .. args]);

    /// <summary>kubectl inside the K3s container, for what the API client here has no typed call for (custom resources); stdout, or an exception with stderr.</summary>
    public Task<string> KubectlAsync(params string[] args) => KubectlAsync(CancellationToken.None, args);

    /// <summary>Writes <paramref name="yaml"/> into the K3s container and applies it.</summary>
    public async Task ApplyAsync(string yaml, string name)
    {
        var file = $"/tmp/{name}.yaml";
        await _k3s!.CopyAsync(Encoding.UTF8.GetBytes(yaml), file);
        await KubectlAsync(CancellationToken.None, "apply", "--filename", file);
    }

    /// <summary>A command inside the K3s container (kubectl and ctr are K3s's own, with its admin kubeconfig).</summary>
    private async Task<string> ExecAsync(CancellationToken ct, params string[] command)
    {
        var result = await _k3s!.ExecAsync(command, ct);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{string.Join(' ', command)}` exited with {result.ExitCode}: {result.Stderr}{result.Stdout}\n{await DiagnosticsAsync()}");
        }
        return result.Stdout;
    }

    /// <summary>What a failed step needs explained: the nodes and pods, the webhook pods' events and logs, the imported images.</summary>
    private async Task<string> DiagnosticsAsync()
    {
        string[][] commands =
        [
            ["kubectl", "get", "nodes,pods", "--all-namespaces", "--output", "wide"],
            ["kubectl", "describe", "pods", "--namespace", ReleaseNamespace],
            ["kubectl", "logs", "--namespace", ReleaseNamespace, "--selector", "app.kubernetes.io/name=airflowguard", "--prefix", "--tail", "40"],
            ["ctr", "--namespace", "k8s.io", "images", "list", "--quiet"],
        ];
        var text = new StringBuilder();
        foreach (var command in commands)
        {
            try
            {
                var result = await _k3s!.ExecAsync(command);
                text.Append(CultureInfo.InvariantCulture, $"$ {string.Join(' ', command)}\n{result.Stdout}{result.Stderr}\n");
            }
            catch (Exception ex) // best effort: the failed step's own error is what the test reports
            {
                text.Append(CultureInfo.InvariantCulture, $"$ {string.Join(' ', command)}\n{ex.Message}\n");
            }
        }
        return text.ToString();
    }
}
