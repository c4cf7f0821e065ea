using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AirflowGuard.Cli.Tests.ChartRun;

/// <summary>
/// The chart runs as installed, without a cluster: for every values file in
/// deploy/helm/airflowguard/ci/, render the chart, start what it renders the way the kubelet would
/// (<see cref="ChartPod"/>), run its probes as declared, send an AdmissionReview to each registered
/// webhook as the API server would and scrape metrics as the ServiceMonitor says
/// (<see cref="ClusterSide"/>). Set AIRFLOWGUARD_CHART_RUN_BINARY and AIRFLOWGUARD_CHART_RUN_CHART to
/// run it against another build (an older commit).
/// </summary>
public class ChartRunTests
{
    private static readonly string ChartFolder = Environment.GetEnvironmentVariable("AIRFLOWGUARD_CHART_RUN_CHART") ?? Path.Combine(Cli.Root, "deploy", "helm", "airflowguard");

    public static TheoryData<string> ValuesFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(ChartFolder, "ci"), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public async Task ValuesFile_RenderedAndStartedAsTheKubeletWould_ServesProbesAdmissionAndMetrics(string valuesFile)
    {
        using var apiServerCa = new TestAuthority("kube-apiserver client CA");
        using var certManagerCa = new TestAuthority("cert-manager test CA");
        var folder = Directory.CreateTempSubdirectory("airflowguard-chart-values-").FullName;
        var values = Path.Combine(ChartFolder, "ci", valuesFile);
        var extra = new List<string>();
        if (File.ReadAllText(values).Contains("clientCA:", StringComparison.Ordinal))
        {
            // the values file's CA is swapped for one whose key the test holds, to sign the API server's certificate
            var caFile = Path.Combine(folder, "client-ca.crt");
            File.WriteAllText(caFile, apiServerCa.AuthorityPem);
            extra.AddRange(["--set-file", $"webhook.clientCA={caFile}"]);
        }
        var (chart, error) = RenderedChart.Render(values, ChartFolder, [.. extra]);
        Assert.True(chart is not null, $"helm template failed: {error}");

        var secrets = CertManager(chart, certManagerCa);
        using var pod = ChartPod.Start(chart, Binary(), Path.Combine(ChartFolder, "..", "..", "..", "Dockerfile"), secrets);
        var (started, last) = await pod.WaitForStartupAsync();
        Assert.True(started, $"the startup probe never passed ({last}); log:\n{pod.Log}");

        var (alive, lastLiveness) = await pod.PassesAsync("livenessProbe");
        Assert.True(alive, $"liveness {lastLiveness}; log:\n{pod.Log}");
        var cacheMode = pod.Args.FirstOrDefault(a => a.StartsWith("--cluster-cache=", StringComparison.Ordinal))?["--cluster-cache=".Length..];
        // a probe that timed out on a loaded machine (status 0) is tried again, as the kubelet would: it is no answer
        var readiness = await Eventually(() => pod.ProbeAsync("readinessProbe"), r => cacheMode == "required" ? r.Status != 0 : r.Status == 200, TimeSpan.FromSeconds(5));
        if (cacheMode == "required")
        {
            // no cluster here: "required" promises exactly this, not ready and saying why
            Assert.Equal(503, readiness.Status);
            Assert.Contains("cluster cache cannot start", readiness.Body, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(readiness.Status == 200, $"readiness {readiness}; log:\n{pod.Log}");
        }
        if (cacheMode == "optional")
        {
            // one clear line (compact JSON: the template and its properties) saying why backing is unknown
            Assert.Contains("cluster cache (mode {Mode:l}) not started", pod.Log, StringComparison.Ordinal);
            Assert.Contains("no cluster configuration (no in-cluster service account, no usable kubeconfig)", pod.Log, StringComparison.Ordinal);
        }

        using var clientCertificate = pod.Args.Any(a => a.StartsWith("--tls-client-ca-file", StringComparison.Ordinal)) ? apiServerCa.Client() : null;
        var review = File.ReadAllText(Path.Combine(Cli.Root, "examples", "admission", "scheduler-logs-on-oss.json"));
        var webhooks = chart.OfKind("ValidatingWebhookConfiguration").Concat(chart.OfKind("MutatingWebhookConfiguration")).ToList();
        Assert.NotEmpty(webhooks);
        foreach (var configuration in webhooks)
        {
            foreach (var webhook in configuration["webhooks"]!.AsArray().Select(w => w!.AsObject()))
            {
                var caBundle = (string?)webhook["clientConfig"]!["caBundle"] ?? InjectedCa(chart, configuration, secrets);
                var (status, body) = await ClusterSide.AdmitAsync(chart, pod, webhook, caBundle, review, clientCertificate);
                Assert.True(status == 200, $"{webhook["name"]}: {status} {body}; log:\n{pod.Log}");
                using var answer = JsonDocument.Parse(body);
                Assert.Equal("705ab4f5-6393-11e8-b7cc-42010a800002", answer.RootElement.GetProperty("response").GetProperty("uid").GetString());
                if ((string?)configuration["kind"] == "ValidatingWebhookConfiguration")
                {
                    // the OSS logs break an Enforce policy: denied where Enforce policies judge, allowed where only Warn ones do
                    var warnOnly = (string?)webhook["clientConfig"]!["service"]!["path"] == "/validate/warn";
                    Assert.True(answer.RootElement.GetProperty("response").GetProperty("allowed").GetBoolean() == warnOnly, $"{webhook["name"]}: {body}");
                }
            }
        }

        if (chart.OfKind("ServiceMonitor").SingleOrDefault() is { } serviceMonitor)
        {
            var (status, body) = await ClusterSide.ScrapeAsync(chart, pod, serviceMonitor, secrets);
            Assert.Equal(200, status);
            Assert.Contains("airflowguard_admission_requests_total", body, StringComparison.Ordinal);
        }
        Assert.False(pod.Exited, pod.Log);
    }

    [Theory]
    [InlineData("replicaCount: 1", "replicaCount: Must be greater than or equal to 2")]
    [InlineData("webhook: { clientCA: not-a-certificate }", "clientCA")]
    [InlineData("webhook: { monitoringPort: 8443 }", "webhook.monitoringPort must differ from webhook.port")]
    [InlineData("clusterCache: { mode: sometimes }", "clusterCache.mode")]
    [InlineData("certificates: { mode: vault }", "certificates.mode")]
    [InlineData("webhook: { failureMode: Maybe }", "failureMode")]
    [InlineData("policies: { bundled: false }", "the webhook refuses an empty policy set")]
    public void BadValues_RefusedAtRender_WithAClearError(string values, string message)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("airflowguard-chart-values-").FullName, "values.yaml");
        File.WriteAllText(file, values);

        var (chart, error) = RenderedChart.Render(file, ChartFolder);

        Assert.Null(chart);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    /// <summary>What cert-manager would create for each rendered Certificate: a kubernetes.io/tls Secret with ca.crt.</summary>
    private static Dictionary<string, JsonObject> CertManager(RenderedChart chart, TestAuthority ca)
    {
        var secrets = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var certificate in chart.OfKind("Certificate"))
        {
            var names = certificate["spec"]!["dnsNames"]!.AsArray().Select(n => (string)n!).ToList();
            using var issued = ca.Server(names);
            secrets[(string)certificate["spec"]!["secretName"]!] = new JsonObject
            {
                ["data"] = new JsonObject
                {
                    ["tls.crt"] = Base64(issued.ExportCertificatePem()),
                    ["tls.key"] = Base64(issued.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem()),
                    ["ca.crt"] = Base64(ca.AuthorityPem),
                },
            };
        }
        return secrets;
    }

    /// <summary>cert-manager's cainjector: the ca.crt of the Certificate named by cert-manager.io/inject-ca-from.</summary>
    private static string InjectedCa(RenderedChart chart, JsonObject configuration, Dictionary<string, JsonObject> secrets)
    {
        var from = (string?)configuration["metadata"]!["annotations"]?["cert-manager.io/inject-ca-from"]
            ?? throw new InvalidOperationException($"{configuration["kind"]} has neither a caBundle nor cert-manager.io/inject-ca-from: the API server could not trust the webhook");
        var certificate = chart.Find("Certificate", from.Split('/')[1]) ?? throw new InvalidOperationException($"inject-ca-from names {from}, which is not rendered");
        return (string)secrets[(string)certificate["spec"]!["secretName"]!]["data"]!["ca.crt"]!;
    }

    private static string Binary() =>
        Environment.GetEnvironmentVariable("AIRFLOWGUARD_CHART_RUN_BINARY")
        ?? Path.Combine(Cli.Root, "src", "AirflowGuard", "bin", AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug", "net10.0", "airflowguard");

    private static string Base64(string text) => Convert.ToBase64String(Encoding.ASCII.GetBytes(text));

    private static async Task<T> Eventually<T>(Func<Task<T>> attempt, Func<T, bool> done, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var result = await attempt();
            if (done(result) || DateTime.UtcNow > deadline)
            {
                return result;
            }
            await Task.Delay(200);
        }
    }
}
