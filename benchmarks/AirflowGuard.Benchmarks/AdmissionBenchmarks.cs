using System.Text;
using System.Text.Json;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Webhook;
using AirflowGuard.Webhook.Admission;
using BenchmarkDotNet.Attributes;

namespace AirflowGuard.Benchmarks;

/// <summary>
/// The webhook's work for one AdmissionReview, without the network: parse, read, evaluate, answer,
/// count. Baseline: parsing the review's JSON.
/// </summary>
[MemoryDiagnoser]
public class AdmissionBenchmarks
{
    private byte[] _review = null!;
    private AdmissionHandler _handler = null!;
    private JsonDocument _document = null!;
    private Engine.Policies.PolicySet _pack = null!;

    [GlobalSetup]
    public void Setup()
    {
        _review = Encoding.UTF8.GetBytes(Resources.Text("fixtures/scheduler-review.json"));
        (_handler, _pack) = Handlers.Create(new WebhookOptions { Dev = true });
        _document = JsonDocument.Parse(_review);
        if (_handler.Handle(_review, AdmissionEndpoint.Validate).StatusCode != 200)
        {
            throw new InvalidOperationException("the review was not answered");
        }
    }

    [Benchmark(Baseline = true, Description = "parse review JSON")]
    public int Parse()
    {
        using var document = JsonDocument.Parse(_review);
        return document.RootElement.GetPropertyCount();
    }

    [Benchmark(Description = "read + evaluate, no cluster")]
    public Engine.Evaluation.ObjectVerdict ReadAndEvaluate() =>
        Engine.Evaluation.ObjectEvaluator.Evaluate(_document.RootElement.GetProperty("request").GetProperty("object"), "request.object", _pack, NoClusterState.Instance, "airflow");

    [Benchmark(Description = "handle /validate")]
    public AdmissionOutcome Validate() => _handler.Handle(_review, AdmissionEndpoint.Validate);

    [Benchmark(Description = "handle /mutate")]
    public AdmissionOutcome Mutate() => _handler.Handle(_review, AdmissionEndpoint.Mutate);
}
