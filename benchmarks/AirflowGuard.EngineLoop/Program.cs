// The engine alone, as the Native AOT binary runs it: PolicyEngine.Evaluate on EvaluationBenchmarks' scheduler
// pod (3 containers, 30 env vars, 6 volumes, airflow.cfg in a ConfigMap, claims resolved) against the bundled
// pack, in a loop on one thread. Prints one line, "µs_per_evaluate bytes_per_evaluate", after a warm-up.
// BenchmarkDotNet's NativeAOT job measures the same call (EvaluationBenchmarks); this exists so that
// benchmarks/engine/ab.sh can build it against two commits' engines and alternate them in one run.
// Usage: AirflowGuard.EngineLoop [seconds]   (2)
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;

var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 2;
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
            PolicyEngine.Evaluate(pod, pack, cluster);
        }
        calls += 1000;
    }
    return (stopwatch.Elapsed.TotalMicroseconds / calls, (GC.GetAllocatedBytesForCurrentThread() - allocated) / calls);
}
