using System.Text;
using System.Text.Json;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;
using BenchmarkDotNet.Attributes;

namespace AirflowGuard.Benchmarks;

/// <summary>
/// What a CEL rule costs (issue 12): the official-chart scheduler pod evaluated by a policy with one
/// typical expression rule, against the same policy with a built-in rule (baseline) in the same run;
/// and loading a pack of 100 expression rules.
/// </summary>
[MemoryDiagnoser]
public class ExpressionBenchmarks
{
    private const string Head = "apiVersion: airflowguard.dev/v1\nkind: AirflowPolicy\nmetadata: { name: p }\nspec:\n  mode: Warn\n  rules:\n";

    private const string BuiltIn = Head + "    - name: r\n      forbidVolume: { at: logs, backing: [object-storage-fuse] }\n";

    private const string Expression = Head +
        "    - name: r\n      validate:\n        expression: \"airflow.containers.all(c, c.role != 'airflow' || (has(c.resources.limits) && has(c.resources.limits.memory)))\"\n";

    private PolicySet _builtIn = null!;
    private PolicySet _expression = null!;
    private ManifestClusterState _cluster = null!;
    private PodView _pod = null!;
    private JsonElement _raw;
    private string _hundred = null!;

    [GlobalSetup]
    public void Setup()
    {
        _builtIn = PolicyLoader.LoadText("b.yaml", BuiltIn).Set!;
        _expression = PolicyLoader.LoadText("e.yaml", Expression).Set ?? throw new InvalidOperationException("the expression does not compile");
        var (objects, _) = ManifestBundle.Read("scheduler-pod.yaml", Resources.Text("fixtures/scheduler-pod.yaml"));
        _cluster = new ManifestClusterState(objects);
        var pod = objects.Single(o => KubeObjectReader.Kind(o.Json) == "Pod");
        _raw = JsonDocument.Parse(Encoding.UTF8.GetBytes(pod.Json.GetRawText())).RootElement;
        _pod = KubeObjectReader.ReadPod(_raw, "", new InputErrors())!;
        var text = new StringBuilder();
        for (var i = 0; i < 100; i++)
        {
            text.Append($"---\napiVersion: airflowguard.dev/v1\nkind: AirflowPolicy\nmetadata: {{ name: p{i} }}\nspec:\n  rules:\n    - name: r\n      validate:\n" +
                $"        expression: \"airflow.containers.all(c, c.role != 'airflow' || c.image.startsWith('registry{i}.example.com/'))\"\n");
        }
        _hundred = text.ToString();
        if (PolicyEngine.Evaluate(_pod, _expression, _cluster, default, _raw).Findings.Count != 1)
        {
            throw new InvalidOperationException("the expression rule should flag the scheduler (no memory limit)");
        }
    }

    [Benchmark(Baseline = true, Description = "evaluate: one built-in rule")]
    public Decision BuiltInRule() => PolicyEngine.Evaluate(_pod, _builtIn, _cluster, default, _raw);

    [Benchmark(Description = "evaluate: one CEL rule")]
    public Decision ExpressionRule() => PolicyEngine.Evaluate(_pod, _expression, _cluster, default, _raw);

    [Benchmark(Description = "load 100 CEL rules")]
    public int LoadHundred() => PolicyLoader.LoadText("hundred.yaml", _hundred).Set!.Policies.Count;
}
