using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;
using BenchmarkDotNet.Attributes;

namespace AirflowGuard.Benchmarks;

/// <summary>Where `check` spends its time on 1,000 generated pods: reading YAML (its own reader and YamlDotNet), and evaluating (from the bytes and from a parsed element).</summary>
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

    /// <summary>What <see cref="Read"/> cost before <see cref="BlockYamlReader"/>: every document through YamlDotNet's events.</summary>
    [Benchmark(Description = "read manifests, YamlDotNet only (1,000 pods)")]
    public int ReadWithYamlDotNet()
    {
        var count = 0;
        var index = 0;
        foreach (var chunk in YamlDocumentSplitter.Split(new StringReader(_text)))
        {
            foreach (var (document, _) in ManifestReader.ParseWithYamlDotNet(chunk, "g.yaml"))
            {
                count += ManifestReader.Convert(document!, "g.yaml", ref index).Count;
            }
        }
        return count;
    }

    /// <summary>check's path for a bare Pod: read in one pass from the JSON bytes, never parsed.</summary>
    [Benchmark(Description = "evaluate from the bytes (1,000 pods)")]
    public int EvaluateFromBytes()
    {
        var denied = 0;
        foreach (var obj in _objects)
        {
            var verdict = ObjectEvaluator.Evaluate(obj.Source, obj.Kind, ObjectEvaluator.RoleOf(obj.Kind, _pack), "", _pack, _cluster, "default");
            denied += verdict.Decision.Allowed ? 0 : 1;
        }
        return denied;
    }

    /// <summary>The parsed path (workloads, anything unusual); the element is parsed once and kept, so this is evaluation alone.</summary>
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
