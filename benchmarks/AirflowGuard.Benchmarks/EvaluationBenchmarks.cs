using System.Text;
using System.Text.Json;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;
using BenchmarkDotNet.Attributes;

namespace AirflowGuard.Benchmarks;

/// <summary>
/// One realistic official-chart scheduler pod (3 containers, 30 env vars, 6 volumes, airflow.cfg in
/// a ConfigMap, claims resolved to EFS) against the default pack. Baseline: parsing the pod's JSON,
/// which every admission request pays anyway.
/// </summary>
[MemoryDiagnoser]
public class EvaluationBenchmarks
{
    private PolicySet _pack = null!;
    private ManifestClusterState _cluster = null!;
    private byte[] _podJson = null!;
    private JsonDocument _podDocument = null!;
    private PodView _pod = null!;

    [GlobalSetup]
    public void Setup()
    {
        var load = PolicyLoader.LoadTexts(Resources.DefaultPack());
        _pack = load.Set ?? throw new InvalidOperationException(string.Join(Environment.NewLine, load.Errors));
        var (objects, errors) = ManifestBundle.Read("scheduler-pod.yaml", Resources.Text("fixtures/scheduler-pod.yaml"));
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
        }
        _cluster = new ManifestClusterState(objects);
        var podObject = objects.Single(o => KubeObjectReader.Kind(o.Json) == "Pod");
        _podJson = Encoding.UTF8.GetBytes(podObject.Json.GetRawText());
        _podDocument = JsonDocument.Parse(_podJson);
        var readErrors = new InputErrors();
        _pod = PodReader.Read(_podDocument.RootElement, null, "", readErrors) ?? throw new InvalidOperationException("the fixture has no pod");

        if (ReadPodOnePass() is null)
        {
            throw new InvalidOperationException("the one-pass reader gave up on the fixture");
        }
        var decision = PolicyEngine.Evaluate(_pod, _pack, _cluster);
        if (_pod.Containers.Count != 3 || _pod.Volumes.Count != 6 || decision.PoliciesApplied.Count == 0)
        {
            throw new InvalidOperationException("the fixture is not the pod this benchmark describes");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _podDocument.Dispose();

    [Benchmark(Baseline = true, Description = "parse pod JSON")]
    public int ParseJson()
    {
        using var document = JsonDocument.Parse(_podJson);
        return document.RootElement.GetPropertyCount();
    }

    [Benchmark(Description = "read pod view (from the parsed element)")]
    public PodView? ReadPod() => PodReader.Read(_podDocument.RootElement, null, "", new InputErrors());

    /// <summary>What the webhook does for a bare pod: the view straight from the bytes, no document (compare with parse + read).</summary>
    [Benchmark(Description = "read pod view in one pass from UTF-8")]
    public PodView? ReadPodOnePass()
    {
        var reader = new JsonCursor(_podJson);
        reader.Read();
        return PodReader.Read(ref reader, _podJson, null, new JsonPath("request.object"), new InputErrors(), out _);
    }

    [Benchmark(Description = "evaluate (engine)")]
    public Decision Evaluate() => PolicyEngine.Evaluate(_pod, _pack, _cluster);

    [Benchmark(Description = "read + evaluate")]
    public ObjectVerdict ReadAndEvaluate() => ObjectEvaluator.Evaluate(_podDocument.RootElement, "", _pack, _cluster);
}
