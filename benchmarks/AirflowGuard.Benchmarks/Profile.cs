using System.Diagnostics;
using System.Text;
using AirflowGuard.Webhook;
using AirflowGuard.Webhook.Admission;

namespace AirflowGuard.Benchmarks;

/// <summary>
/// `profile [validate|mutate] [seconds] [--allocations]`: prints what each stage of one request allocates, then calls the
/// admission handler in a loop on the 5.6 KB scheduler review for a profiler to attach to (see docs/performance.md,
/// "Profiling"); with --allocations, what the garbage is made of. Prints the rate at the end; not a benchmark.
/// </summary>
internal static class Profile
{
    public static int Run(string[] args)
    {
        var endpoint = args.Length > 1 && args[1] == "mutate" ? AdmissionEndpoint.Mutate : AdmissionEndpoint.Validate;
        var seconds = args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20;
        var review = Encoding.UTF8.GetBytes(Resources.Text("fixtures/scheduler-review.json"));
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

    /// <summary>Bytes allocated by each stage of one request (after warm-up): where the garbage comes from.</summary>
    private static void PrintStageAllocations(byte[] review, Engine.Policies.PolicySet pack)
    {
        using var document = System.Text.Json.JsonDocument.Parse(review);
        var pod = document.RootElement.GetProperty("request").GetProperty("object");
        for (var round = 0; round < 2; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var view = Engine.Kubernetes.KubeObjectReader.ReadPod(pod, "request.object", new Engine.Kubernetes.InputErrors())!;
            var read = GC.GetAllocatedBytesForCurrentThread();
            var decision = Engine.Evaluation.PolicyEngine.Evaluate(view, pack, Engine.Kubernetes.NoClusterState.Instance);
            var evaluated = GC.GetAllocatedBytesForCurrentThread();
            if (round == 1)
            {
                var recognition = Engine.Airflow.ComponentRecognizer.Recognize(view, pack.Recognition);
                var a0 = GC.GetAllocatedBytesForCurrentThread();
                var context = new Engine.Evaluation.EvaluationContext(view, recognition, Engine.Kubernetes.NoClusterState.Instance, pack.Drivers, pack.Recognition);
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
                    var alone = Engine.Evaluation.PolicyEngine.Evaluate(view, pack with { Policies = [policy] }, Engine.Kubernetes.NoClusterState.Instance, mutations: false);
                    Console.WriteLine($"  policy {policy.Name} alone (context included): {GC.GetAllocatedBytesForCurrentThread() - b0:N0} B, {alone.Findings.Count} findings");
                }
                Console.WriteLine($"read pod view: {read - before:N0} B; evaluate: {evaluated - read:N0} B ({decision.Findings.Count} findings)");
            }
        }
    }
}
