using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;
using BenchmarkDotNet.Attributes;

namespace AirflowGuard.Benchmarks;

/// <summary>Where `check` spends its time on 1,000 generated pods: reading YAML, and evaluating.</summary>
[MemoryDiagnoser]
public class CheckBenchmarks
{
    private string _text = null!;
    private List<ManifestObject> _objects = null!;
    private ManifestClusterState _cluster = null!;
    private PolicySet _pack = null!;

    [GlobalSetup]
    public void Setup()
    {
        _text = Resources.Text("fixtures/generated-1000-pods.yaml");
        _pack = PolicyLoader.LoadTexts(Resources.DefaultPack()).Set!;
        _objects = ManifestReader.Read(new StringReader(_text), "g.yaml").Select(r => r.Object!).ToList();
        _cluster = new ManifestClusterState(_objects);
    }

    [Benchmark(Baseline = true, Description = "YAML events only (1,000 pods)")]
    public int Events()
    {
        var parser = new YamlDotNet.Core.Parser(new StringReader(_text));
        var count = 0;
        while (parser.MoveNext())
        {
            count++;
        }
        return count;
    }

    [Benchmark(Description = "read manifests (1,000 pods)")]
    public int Read() => ManifestReader.Read(new StringReader(_text), "g.yaml").Count();

    [Benchmark(Description = "evaluate (1,000 pods)")]
    public int Evaluate()
    {
        var denied = 0;
        foreach (var obj in _objects)
        {
            denied += ObjectEvaluator.Evaluate(obj.Json, "", _pack, _cluster, "default").Decision.Allowed ? 0 : 1;
        }
        return denied;
    }
}
