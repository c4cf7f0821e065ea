// The engine alone, as the Native AOT binary runs it: PolicyEngine.Evaluate on EvaluationBenchmarks' scheduler
// pod (3 containers, 30 env vars, 6 volumes, airflow.cfg in a ConfigMap, claims resolved) against the bundled
// pack, in a loop on one thread. Prints one line, "µs_per_evaluate bytes_per_evaluate", after a warm-up.
// BenchmarkDotNet's NativeAOT job measures the same call (EvaluationBenchmarks); this exists so that
// benchmarks/engine/ab.sh can build it against two commits' engines and alternate them in one run.
// With --expression POLICY it times one rule of the CEL cookbook (policies/examples/cel-cookbook.yaml, its match blocks
// dropped) instead: the expression alone, its airflow view built for the pod on each call, over an evaluation context
// whose settings and backing are already resolved (ExpressionBenchmarks' "one cookbook expression").
// Usage: AirflowGuard.EngineLoop [seconds] [--expression POLICY]   (2)
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Expressions;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;

var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 2;
var expressionPolicy = Array.IndexOf(args, "--expression") is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
var pack = BundledPolicies.Load().Set ?? throw new InvalidOperationException("the bundled pack did not load");
using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("scheduler-pod.yaml")!;
var (objects, errors) = ManifestBundle.Read("scheduler-pod.yaml", new StreamReader(stream).ReadToEnd());
if (errors.Count > 0)
{
    throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
}
var cluster = new ManifestClusterState(objects);
// the same call in every commit ab.sh compares with
var pod = ObjectEvaluator.Evaluate(objects.Single(o => KubeObjectReader.Kind(o.Json) == "Pod").Json, "", PolicySet.Empty, cluster).Pod
    ?? throw new InvalidOperationException("the fixture has no pod");
if (PolicyEngine.Evaluate(pod, pack, cluster).PoliciesApplied.Count == 0)
{
    throw new InvalidOperationException("no policy applied to the fixture");
}

Action call = () => PolicyEngine.Evaluate(pod, pack, cluster);
if (expressionPolicy is not null)
{
    try
    {
        call = CookbookExpression(expressionPolicy);
    }
    catch (InvalidOperationException ex)
    {
        Console.Error.WriteLine($"--expression {expressionPolicy}: {ex.Message}");
        return 2;
    }
}

Run(TimeSpan.FromSeconds(Math.Min(1, seconds / 2))); // warm-up: caches filled, pages touched
var (micros, bytes) = Run(TimeSpan.FromSeconds(seconds));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{micros:F2} {bytes}"));
return 0;

(double Micros, long Bytes) Run(TimeSpan length)
{
    var allocated = GC.GetAllocatedBytesForCurrentThread();
    var stopwatch = Stopwatch.StartNew();
    long calls = 0;
    while (stopwatch.Elapsed < length)
    {
        for (var i = 0; i < 1000; i++)
        {
            call();
        }
        calls += 1000;
    }
    return (stopwatch.Elapsed.TotalMicroseconds / calls, (GC.GetAllocatedBytesForCurrentThread() - allocated) / calls);
}

Action CookbookExpression(string policy)
{
    using var cookbookStream = Assembly.GetExecutingAssembly().GetManifestResourceStream("cel-cookbook.yaml")!;
    var document = new StreamReader(cookbookStream).ReadToEnd().Split("\n---\n").SingleOrDefault(d => d.Contains($"name: {policy}\n", StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"the cookbook has no policy {policy}");
    var set = PolicyLoader.LoadText("cel-cookbook.yaml", AirflowGuard.Benchmarks.CookbookText.WithoutMatch(document)).Set ?? throw new InvalidOperationException($"{policy} does not load");
    var expression = set.Policies[0].Rules.OfType<AirflowGuard.Engine.Rules.ExpressionRule>().First().Expression;
    var raw = JsonDocument.Parse(Encoding.UTF8.GetBytes(objects.Single(o => KubeObjectReader.Kind(o.Json) == "Pod").Json.GetRawText())).RootElement;
    var context = new EvaluationContext(pod, ComponentRecognizer.Recognize(pod, pack.Recognition), cluster, pack.Drivers, pack.Recognition, raw);
    expression.Evaluate(context.Variables); // resolves what the built-in rules would have
    var request = ExpressionRequest.Create(pod.Metadata.Namespace);
    Func<AirflowView> view = () => AirflowView.Of(context);
    return () => expression.Evaluate(new ExpressionVariables(raw, request, view));
}
