using System.Diagnostics;
using System.Text;
using AirflowGuard.Webhook;
using AirflowGuard.Webhook.Admission;

namespace AirflowGuard.Benchmarks;

/// <summary>
/// `profile [validate|mutate] [seconds] [--allocations]` (or `profile evaluate`, below): prints what each stage of one request allocates, then calls the
/// admission handler in a loop on the 5.6 KB scheduler review for a profiler to attach to (see docs/performance.md,
/// "Profiling"); with --allocations, what the garbage is made of. Prints the rate at the end; not a benchmark.
/// </summary>
internal static class Profile
{
    public static int Run(string[] args)
    {
        if (args.Length > 1 && args[1] == "evaluate")
        {
            return EvaluateFixture();
        }
        var endpoint = args.Length > 1 && args[1] == "mutate" ? AdmissionEndpoint.Mutate : AdmissionEndpoint.Validate;
        var seconds = args.Length > 2 && !args[2].EndsWith(".json", StringComparison.Ordinal) ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20;
        var file = Array.Find(args, a => a.EndsWith(".json", StringComparison.Ordinal));
        var review = file is null ? Encoding.UTF8.GetBytes(Resources.Text("fixtures/scheduler-review.json")) : File.ReadAllBytes(file);
        var (handler, pack) = Handlers.Create(new WebhookOptions { Dev = true });
        PrintStageAllocations(review, pack);
        using var sampler = args.Contains("--allocations") ? new AllocationSampler() : null;
        var stopwatch = Stopwatch.StartNew();
        long calls = 0;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        while (stopwatch.Elapsed.TotalSeconds < seconds)
        {
            for (var i = 0; i < 1000; i++)
            {
                handler.Handle(review, endpoint);
            }
            calls += 1000;
        }
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        sampler?.Print();
        Console.WriteLine($"{calls} calls in {stopwatch.Elapsed.TotalSeconds:F1} s: {stopwatch.Elapsed.TotalMicroseconds / calls:F1} µs and {allocated / calls:N0} B per call");
        return 0;
    }

    /// <summary>
    /// `profile evaluate`: what evaluating EvaluationBenchmarks' scheduler pod (its ConfigMaps and claims in view)
    /// allocates, stage by stage and policy by policy: the engine's share of the garbage without the webhook's.
    /// </summary>
    private static int EvaluateFixture()
    {
        var load = Engine.Policies.PolicyLoader.LoadTexts(Resources.DefaultPack());
        var (objects, _) = Engine.Yaml.ManifestBundle.Read("scheduler-pod.yaml", Resources.Text("fixtures/scheduler-pod.yaml"));
        var cluster = new Engine.Kubernetes.ManifestClusterState(objects);
        var pod = objects.Single(o => Engine.Kubernetes.KubeObjectReader.Kind(o.Json) == "Pod").Json;
        PrintStageAllocations(pod, load.Set!, cluster);
        var view = Engine.Kubernetes.PodReader.Read(pod, null, "", new Engine.Kubernetes.InputErrors())!;
        using (var sampler = new AllocationSampler())
        {
            for (var i = 0; i < 200_000; i++)
            {
                Engine.Evaluation.PolicyEngine.Evaluate(view, load.Set!, cluster);
            }
            sampler.Print(40);
        }
        return 0;
    }

    /// <summary>Bytes allocated by each stage of one request (after warm-up): where the garbage comes from.</summary>
    private static void PrintStageAllocations(byte[] review, Engine.Policies.PolicySet pack)
    {
        using var document = System.Text.Json.JsonDocument.Parse(review);
        PrintStageAllocations(document.RootElement.GetProperty("request").GetProperty("object"), pack, Engine.Kubernetes.NoClusterState.Instance);
    }

    private static void PrintStageAllocations(System.Text.Json.JsonElement pod, Engine.Policies.PolicySet pack, Engine.Kubernetes.IClusterState cluster)
    {
        for (var round = 0; round < 2; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var view = Engine.Kubernetes.PodReader.Read(pod, null, "request.object", new Engine.Kubernetes.InputErrors())!;
            var read = GC.GetAllocatedBytesForCurrentThread();
            var decision = Engine.Evaluation.PolicyEngine.Evaluate(view, pack, cluster);
            var evaluated = GC.GetAllocatedBytesForCurrentThread();
            if (round == 1)
            {
                var recognition = Engine.Airflow.ComponentRecognizer.Recognize(view, pack.Recognition);
                var a0 = GC.GetAllocatedBytesForCurrentThread();
                var context = new Engine.Evaluation.EvaluationContext(view, recognition, cluster, pack.Drivers, pack.Recognition);
                var a1 = GC.GetAllocatedBytesForCurrentThread();
                foreach (var container in context.AirflowContainers)
                {
                    context.SettingsOf(container);
                }
                var a2 = GC.GetAllocatedBytesForCurrentThread();
                foreach (var volume in view.Volumes)
                {
                    context.BackingOf(volume);
                }
                var a3 = GC.GetAllocatedBytesForCurrentThread();
                Console.WriteLine($"recognise+context: {a1 - a0:N0} B; settings of {context.AirflowContainers.Count} containers: {a2 - a1:N0} B; backing of {view.Volumes.Count} volumes: {a3 - a2:N0} B");
                foreach (var policy in pack.Policies)
                {
                    var b0 = GC.GetAllocatedBytesForCurrentThread();
                    var alone = Engine.Evaluation.PolicyEngine.Evaluate(view, pack with { Policies = [policy] }, cluster, mutations: false);
                    Console.WriteLine($"  policy {policy.Name} alone (context included): {GC.GetAllocatedBytesForCurrentThread() - b0:N0} B, {alone.Findings.Count} findings");
                }
                Console.WriteLine($"read pod view: {read - before:N0} B; evaluate: {evaluated - read:N0} B ({decision.Findings.Count} findings)");
            }
        }
    }
}
