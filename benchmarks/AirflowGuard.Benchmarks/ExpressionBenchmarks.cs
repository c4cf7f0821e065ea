using System.Text;
using System.Text.Json;
using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Expressions;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;
using BenchmarkDotNet.Attributes;

namespace AirflowGuard.Benchmarks;

/// <summary>
/// What a CEL rule costs (issue 12): the official-chart scheduler pod evaluated by a policy with one
/// typical expression rule, and by each rule of the CEL cookbook (policies/examples/cel-cookbook.yaml,
/// its <c>match</c> blocks dropped so that every rule runs on the pod), against the same policy with a
/// built-in rule (baseline) and the default pack of built-in rules in the same run; and loading a pack
/// of 100 expression rules.
/// </summary>
[MemoryDiagnoser]
public class ExpressionBenchmarks
{
    private const string Head = "apiVersion: airflowguard.dev/v1\nkind: AirflowPolicy\nmetadata: { name: p }\nspec:\n  mode: Warn\n  rules:\n";

    private const string BuiltIn = Head + "    - name: r\n      forbidVolume: { at: logs, backing: [object-storage-fuse] }\n";

    private const string Expression = Head +
        "    - name: r\n      validate:\n        expression: \"airflow.containers.all(c, c.role != 'airflow' || (has(c.resources.limits) && has(c.resources.limits.memory)))\"\n";

    private PolicySet _builtIn = null!;
    private PolicySet _defaultPack = null!;
    private Dictionary<string, PolicySet> _cookbook = null!;
    private PolicySet _wholeCookbook = null!;
    private PolicySet _defaultPackAndCookbook = null!;
    private PolicySet _trivial = null!;
    private PolicySet _passing = null!;
    private EvaluationContext _context = null!;
    private Func<AirflowView> _view = null!;
    private ExpressionRequest _request = null!;
    private CelExpression _typical = null!;
    private CelExpression[] _cookbookExpressions = null!;
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
        _pod = PodReader.Read(_raw, null, "", new InputErrors())!;
        var text = new StringBuilder();
        for (var i = 0; i < 100; i++)
        {
            text.Append($"---\napiVersion: airflowguard.dev/v1\nkind: AirflowPolicy\nmetadata: {{ name: p{i} }}\nspec:\n  rules:\n    - name: r\n      validate:\n" +
                $"        expression: \"airflow.containers.all(c, c.role != 'airflow' || c.image.startsWith('registry{i}.example.com/'))\"\n");
        }
        _hundred = text.ToString();
        _defaultPack = PolicyLoader.LoadTexts(Resources.DefaultPack()).Set!;
        var cookbook = CookbookText.WithoutMatch(Resources.Text("examples/cel-cookbook.yaml"));
        _wholeCookbook = PolicyLoader.LoadText("cel-cookbook.yaml", cookbook).Set ?? throw new InvalidOperationException("the cookbook does not load");
        _defaultPackAndCookbook = PolicyLoader.LoadTexts([.. Resources.DefaultPack(), ("cel-cookbook.yaml", cookbook)]).Set!;
        _passing = PolicyLoader.LoadText("p.yaml", Head + "    - name: r\n      validate:\n        expression: \"airflow.containers.all(c, c.role != 'airflow' || c.image.startsWith('apache/airflow:'))\"\n").Set!;
        if (PolicyEngine.Evaluate(_pod, _passing, _cluster, default, _raw).Findings.Count != 0)
        {
            throw new InvalidOperationException("the passing expression rule should pass the scheduler");
        }
        // the expressions alone, on a context whose settings and backing the built-in rules already resolved
        _context = new EvaluationContext(_pod, ComponentRecognizer.Recognize(_pod, _defaultPack.Recognition), _cluster, _defaultPack.Drivers, _defaultPack.Recognition, _raw);
        _view = () => AirflowView.Of(_context);
        _request = ExpressionRequest.Create(_pod.Metadata.Namespace);
        _typical = CelExpression.Compile("airflow.containers.all(c, c.role != 'airflow' || (has(c.resources.limits) && has(c.resources.limits.memory)))", out _)!;
        _cookbookExpressions = [.. _wholeCookbook.Policies.SelectMany(p => p.Rules).OfType<AirflowGuard.Engine.Rules.ExpressionRule>().Select(r => r.Expression)];
        foreach (var expression in _cookbookExpressions)
        {
            expression.Evaluate(_context.Variables); // resolves what the built-in rules would have
        }
        _trivial = PolicyLoader.LoadText("t.yaml", Head + "    - name: r\n      validate: { expression: \"true\" }\n").Set!;
        _cookbook = cookbook.Split("\n---\n").Select(d => PolicyLoader.LoadText("cel-cookbook.yaml", d).Set!)
            .ToDictionary(s => s.Policies[0].Name, StringComparer.Ordinal);
        if (PolicyEngine.Evaluate(_pod, _expression, _cluster, default, _raw).Findings.Count != 1)
        {
            throw new InvalidOperationException("the expression rule should flag the scheduler (no memory limit)");
        }
    }

    [Benchmark(Baseline = true, Description = "evaluate: one built-in rule")]
    public Decision BuiltInRule() => PolicyEngine.Evaluate(_pod, _builtIn, _cluster, default, _raw);

    [Benchmark(Description = "evaluate: one CEL rule")]
    public Decision ExpressionRule() => PolicyEngine.Evaluate(_pod, _expression, _cluster, default, _raw);

    [Benchmark(Description = "evaluate: one CEL rule that passes (registry allowlist)")]
    public Decision PassingExpressionRule() => PolicyEngine.Evaluate(_pod, _passing, _cluster, default, _raw);

    [Benchmark(Description = "evaluate: one CEL rule \"true\" (the engine's own work)")]
    public Decision TrivialExpressionRule() => PolicyEngine.Evaluate(_pod, _trivial, _cluster, default, _raw);

    [Benchmark(Description = "evaluate: the default pack (built-in rules)")]
    public Decision DefaultPack() => PolicyEngine.Evaluate(_pod, _defaultPack, _cluster, default, _raw);

    [Benchmark(Description = "evaluate: the whole CEL cookbook (9 rules)")]
    public Decision WholeCookbook() => PolicyEngine.Evaluate(_pod, _wholeCookbook, _cluster, default, _raw);

    [Benchmark(Description = "evaluate: the default pack + the CEL cookbook")]
    public Decision DefaultPackAndCookbook() => PolicyEngine.Evaluate(_pod, _defaultPackAndCookbook, _cluster, default, _raw);

    [Benchmark(Description = "CEL alone: the typical rule, its view built for the pod")]
    public bool TypicalExpressionAlone() => _typical.Evaluate(new ExpressionVariables(_raw, _request, _view)).AsBool;

    [Benchmark(Description = "CEL alone: the 9 cookbook expressions sharing one view")]
    public int CookbookExpressionsAlone()
    {
        var variables = new ExpressionVariables(_raw, _request, _view);
        var passed = 0;
        foreach (var expression in _cookbookExpressions)
        {
            passed += expression.Evaluate(variables) is { Kind: AirflowGuard.Engine.Expressions.Cel.CelKind.Bool, AsBool: true } ? 1 : 0;
        }
        return passed;
    }

    public static IEnumerable<string> CookbookRules() =>
        ["task-memory-limit", "no-smb-dag-volumes", "airflow-image-registry", "no-example-dags-in-production", "dags-read-only-but-the-writer",
         "worker-grace-period", "remote-logs-to-the-company-bucket", "one-executor", "airflow-cfg-without-examples"];

    [Benchmark(Description = "CEL alone: one cookbook expression, its view built for the pod")]
    [ArgumentsSource(nameof(CookbookRules))]
    public bool CookbookExpressionAlone(string policy) =>
        _cookbook[policy].Policies[0].Rules.OfType<AirflowGuard.Engine.Rules.ExpressionRule>().First().Expression
            .Evaluate(new ExpressionVariables(_raw, _request, _view)).Kind == AirflowGuard.Engine.Expressions.Cel.CelKind.Bool;

    [Benchmark(Description = "load 100 CEL rules")]
    public int LoadHundred() => PolicyLoader.LoadText("hundred.yaml", _hundred).Set!.Policies.Count;
}
