using System.Text;
using System.Text.Json.Nodes;
using AirflowGuard.Engine.Yaml;
using AirflowGuard.Webhook;
using AirflowGuard.Webhook.Admission;
using BenchmarkDotNet.Attributes;

namespace AirflowGuard.Benchmarks;

/// <summary>
/// A Deployment whose Airflow container and git-sync sidecar carry <see cref="Mounts"/> mounts each
/// (issue 11: evaluation was quadratic, ~2 s at 20,000). The whole /validate path in process, against
/// parsing the same review as the baseline.
/// </summary>
[MemoryDiagnoser]
public class HostilePodBenchmarks
{
    private byte[] _review = null!;
    private AdmissionHandler _handler = null!;

    [Params(2_000, 20_000)]
    public int Mounts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var (objects, errors) = ManifestBundle.Read("wide.yaml", Pod(Mounts));
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(errors[0].ToString());
        }
        var review = new JsonObject
        {
            ["apiVersion"] = "admission.k8s.io/v1",
            ["kind"] = "AdmissionReview",
            ["request"] = new JsonObject
            {
                ["uid"] = "bench",
                ["kind"] = new JsonObject { ["group"] = "apps", ["version"] = "v1", ["kind"] = "Deployment" },
                ["operation"] = "CREATE",
                ["namespace"] = "airflow",
                ["object"] = JsonNode.Parse(objects[0].Json.GetRawText()),
            },
        };
        _review = Encoding.UTF8.GetBytes(review.ToJsonString());
        (_handler, _) = Handlers.Create(new WebhookOptions { Dev = true, MaxRequestBytes = 64 * 1024 * 1024 });
        if (_handler.Handle(_review, AdmissionEndpoint.Validate).StatusCode != 200)
        {
            throw new InvalidOperationException("the review was not answered");
        }
    }

    [Benchmark(Baseline = true, Description = "parse review JSON")]
    public int Parse()
    {
        using var document = System.Text.Json.JsonDocument.Parse(_review, new System.Text.Json.JsonDocumentOptions { MaxDepth = 64 });
        return document.RootElement.GetPropertyCount();
    }

    [Benchmark(Description = "handle /validate")]
    public AdmissionOutcome Validate() => _handler.Handle(_review, AdmissionEndpoint.Validate);

    private static string Pod(int mounts)
    {
        var text = new StringBuilder("apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: wide, namespace: airflow }\nspec:\n  template:\n    metadata: { labels: { tier: airflow, component: webserver } }\n    spec:\n      containers:\n");
        foreach (var (name, image) in new[] { ("webserver", "apache/airflow:2.10.5"), ("git-sync", "registry.k8s.io/git-sync/git-sync:v4.2.3") })
        {
            text.Append($"        - name: {name}\n          image: {image}\n          volumeMounts:\n            - {{ name: dags, mountPath: /opt/airflow/dags }}\n");
            for (var i = 0; i < mounts - 1; i++)
            {
                text.Append($"            - {{ name: v{i}, mountPath: /data/{name}/m{i} }}\n");
            }
        }
        text.Append("      volumes:\n        - { name: dags, persistentVolumeClaim: { claimName: dags } }\n");
        for (var i = 0; i < mounts - 1; i++)
        {
            text.Append($"        - {{ name: v{i}, emptyDir: {{}} }}\n");
        }
        return text.ToString();
    }
}
