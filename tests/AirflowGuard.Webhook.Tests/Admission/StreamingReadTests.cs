using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Yaml;
using AirflowGuard.Webhook.Admission;
using AirflowGuard.Webhook.Policies;
using AirflowGuard.Webhook.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace AirflowGuard.Webhook.Tests;

/// <summary>
/// The one-pass read of pod reviews (<see cref="AdmissionStreamReader"/>) against the thorough one: the
/// handler must answer every review byte for byte alike either way, on the pods of every chart render and
/// example in the repository, on the load benchmark's reviews, and on those reviews damaged.
/// </summary>
public class StreamingReadTests
{
    private static readonly WebhookOptions Options = new() { Dev = true };
    private static readonly AdmissionHandler Streaming = Handler(streaming: true);
    private static readonly AdmissionHandler Thorough = Handler(streaming: false);

    private static AdmissionHandler Handler(bool streaming)
    {
        var metrics = new WebhookMetrics();
        var store = new PolicyStore(Options, metrics, NullLogger<PolicyStore>.Instance);
        store.ReloadIfChanged();
        return new AdmissionHandler(store, NoClusterState.Instance, Options, metrics, DecisionLog.Off, NullLogger<AdmissionHandler>.Instance) { StreamingRead = streaming };
    }

    public static TheoryData<string> Files() =>
    [
        .. new[] { Path.Combine(Root, "tests", "charts"), Path.Combine(Root, "examples") }
            .SelectMany(f => Directory.EnumerateFiles(f, "*.yaml", SearchOption.AllDirectories))
            .Where(f => !f.EndsWith(".values.yaml", StringComparison.Ordinal) && !f.EndsWith("expectations.yaml", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Root, f))
            .Order(StringComparer.Ordinal),
    ];

    [Theory]
    [MemberData(nameof(Files))]
    public void PodsOfTheRepositorysManifests_AreAnsweredAlike(string file)
    {
        var (objects, _) = ManifestBundle.Read(file, File.ReadAllText(Path.Combine(Root, file)));
        var reviews = 0;
        foreach (var obj in objects)
        {
            if (PodOf(JsonNode.Parse(obj.Json.GetRawText())!.AsObject()) is { } pod)
            {
                var review = Reviews.Review($"uid-{reviews++}", "CREATE", pod, null, dryRun: false);
                // each of these valid pods goes the fast way, so the comparison below compares two paths
                Assert.NotNull(AdmissionStreamReader.TryRead(Encoding.UTF8.GetBytes(review), Options.MaxJsonDepth));
                AssertAlike(review);
            }
        }
    }

    [Fact]
    public void TheLoadBenchmarksReviews_TakeTheFastPath_AndAreAnsweredAlike()
    {
        foreach (var name in new[] { "small-review.json", "scheduler-review.json", "large-review.json" })
        {
            var body = File.ReadAllBytes(Path.Combine(Root, "benchmarks", "load", name));
            Assert.NotNull(AdmissionStreamReader.TryRead(body, Options.MaxJsonDepth));
            AssertAlike(Encoding.UTF8.GetString(body));
        }
    }

    [Fact]
    public void DamagedReviews_AreAnsweredAlike()
    {
        var bodies = new[] { "small-review.json", "scheduler-review.json" }.Select(n => File.ReadAllText(Path.Combine(Root, "benchmarks", "load", n))).ToArray();
        var random = new Random(523);
        var fastReads = 0;
        for (var i = 0; i < 3000; i++)
        {
            var review = JsonNode.Parse(bodies[random.Next(bodies.Length)])!.AsObject();
            var objects = new List<JsonObject>();
            Collect(review, objects);
            var target = objects[random.Next(objects.Count)];
            if (target.Count == 0)
            {
                continue;
            }
            var key = target.ElementAt(random.Next(target.Count)).Key;
            target[key] = random.Next(5) switch
            {
                0 => null,
                1 => 7,
                2 => "",
                3 => new JsonObject(),
                _ => new JsonArray(),
            };
            var text = review.ToJsonString();
            fastReads += AdmissionStreamReader.TryRead(Encoding.UTF8.GetBytes(text), Options.MaxJsonDepth) is null ? 0 : 1;
            AssertAlike(text);
        }
        Assert.InRange(fastReads, 300, 2900); // both paths are exercised
    }

    private static void AssertAlike(string review)
    {
        var body = Encoding.UTF8.GetBytes(review);
        foreach (var endpoint in new[] { AdmissionEndpoint.Validate, AdmissionEndpoint.Mutate })
        {
            var fast = Streaming.Handle(body, endpoint);
            var thorough = Thorough.Handle(body, endpoint);
            Assert.Equal(Encoding.UTF8.GetString(thorough.Body), Encoding.UTF8.GetString(fast.Body));
            Assert.Equal(thorough with { Body = [] }, fast with { Body = [] }, OutcomeComparer.Instance);
        }
    }

    /// <summary>A workload's pod template (or a Pod) as a bare Pod, as the API server sends it when the pod is created.</summary>
    private static JsonObject? PodOf(JsonObject obj)
    {
        var template = obj["kind"]?.GetValue<string>() switch
        {
            "Pod" => obj,
            "Deployment" or "StatefulSet" or "DaemonSet" or "Job" => obj["spec"]?["template"] as JsonObject,
            "CronJob" => obj["spec"]?["jobTemplate"]?["spec"]?["template"] as JsonObject,
            _ => null,
        };
        if (template?["spec"] is not JsonObject spec)
        {
            return null;
        }
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = template["metadata"]?.DeepClone(), ["spec"] = spec.DeepClone() };
    }

    private static void Collect(JsonNode? node, List<JsonObject> objects)
    {
        if (node is JsonObject obj)
        {
            objects.Add(obj);
            foreach (var (_, value) in obj)
            {
                Collect(value, objects);
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                Collect(item, objects);
            }
        }
    }

    private static string Root { get; } = AdmissionContractTests.RepoRoot();

    /// <summary>Outcomes compared field by field (the rules list by content).</summary>
    private sealed class OutcomeComparer : IEqualityComparer<AdmissionOutcome>
    {
        public static readonly OutcomeComparer Instance = new();

        public bool Equals(AdmissionOutcome? x, AdmissionOutcome? y) =>
            JsonSerializer.Serialize(x) == JsonSerializer.Serialize(y);

        public int GetHashCode(AdmissionOutcome obj) => 0;
    }
}
