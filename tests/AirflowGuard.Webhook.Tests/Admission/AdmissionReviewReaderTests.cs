using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AirflowGuard.Engine.Yaml;
using AirflowGuard.Webhook.Admission;
using AirflowGuard.Webhook.Tests.Support;
using AirflowGuard.Webhook.Tests.Support.Oracle;

namespace AirflowGuard.Webhook.Tests;

/// <summary>
/// The one review reader against the thorough one it replaced (kept as a test oracle): on a review of every pod and
/// workload of every chart render and example in the repository, on the load benchmark's reviews, and on those damaged,
/// both read the same request or find the same problem, word for word.
/// </summary>
public class AdmissionReviewReaderTests
{
    private const int MaxDepth = 64;

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
    public void ReviewsOfTheRepositorysObjects_AreReadAsTheThoroughReaderReadsThem(string file)
    {
        var (objects, _) = ManifestBundle.Read(file, File.ReadAllText(Path.Combine(Root, file)));
        var reviews = 0;
        foreach (var obj in objects.Where(o => o.Kind is not null))
        {
            var review = Reviews.Review($"uid-{reviews++}", "CREATE", JsonNode.Parse(obj.Json.GetRawText())!.AsObject(), null, dryRun: false);
            var request = AssertAlike(review);
            Assert.NotNull(request);
            if (Engine.Kubernetes.PodReader.CarriesPods(obj.Kind))
            {
                Assert.True(request.PodRead, $"{obj.Location}: the pod was not read in the review's pass");
                Assert.Empty(request.PodErrors);
            }
        }
        Assert.True(reviews > 0);
    }

    [Fact]
    public void TheLoadBenchmarksReviews_AreReadAlike_WithThePodInTheSamePass()
    {
        foreach (var name in new[] { "small-review.json", "scheduler-review.json", "large-review.json" })
        {
            var request = AssertAlike(File.ReadAllText(Path.Combine(Root, "benchmarks", "load", name)));
            Assert.NotNull(request?.Pod);
        }
    }

    [Fact]
    public void DamagedReviews_AreReadAlike_OrRefusedForTheSameReason()
    {
        var bodies = new[] { "small-review.json", "scheduler-review.json" }.Select(n => File.ReadAllText(Path.Combine(Root, "benchmarks", "load", n))).ToArray();
        var random = new Random(523);
        var (read, refused) = (0, 0);
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
            if (AssertAlike(review.ToJsonString()) is null)
            {
                refused++;
            }
            else
            {
                read++;
            }
        }
        Assert.InRange(read, 300, 2900); // both outcomes are exercised
        Assert.InRange(refused, 30, 2700);
    }

    [Theory]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","operation":"CREATE","kind":{"kind":"Pod"},"object":{"kind":"Pod","spec":{}}}} x""")]
    [InlineData("""{"kind":"Nope", "request": [1, 2""")]
    [InlineData("")]
    public void JsonThatIsNotValid_IsSaidToBeSo_WhateverCameBefore(string body)
    {
        var thrown = Assert.ThrowsAny<JsonException>(() => AdmissionReviewReader.Read(Encoding.UTF8.GetBytes(body), MaxDepth, out _));
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
        Assert.NotNull(thrown.Message);
    }

    [Fact]
    public void AWorkloadsPodTemplate_IsReadInTheSamePass_WhenTheRequestsKindComesFirst()
    {
        var deployment = """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","namespace":"airflow"},"spec":{"replicas":2,"template":{"metadata":{"labels":{"component":"scheduler"}},"spec":{"containers":[{"name":"scheduler"}]}}}}""";
        const string Head = """{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","operation":"CREATE",""";
        const string Kind = """ "kind":{"group":"apps","version":"v1","kind":"Deployment"} """;
        var kindFirst = Head + Kind + ",\"object\":" + deployment + "}}";
        var kindLast = Head + "\"object\":" + deployment + "," + Kind + "}}";

        var first = AdmissionReviewReader.Read(Encoding.UTF8.GetBytes(kindFirst), MaxDepth, out _)!;
        var last = AdmissionReviewReader.Read(Encoding.UTF8.GetBytes(kindLast), MaxDepth, out _)!;

        Assert.Equal((2, "d"), (first.Pod!.Replicas, first.ObjectName));
        Assert.False(last.PodRead); // read from the object's bytes when the handler evaluates it
        Assert.Equal("Deployment", last.Kind);
    }

    /// <summary>Reads <paramref name="review"/> with both readers and asserts they agree; returns the one reader's request.</summary>
    private static AdmissionRequest? AssertAlike(string review)
    {
        var body = Encoding.UTF8.GetBytes(review);
        using var document = JsonDocument.Parse(body);
        var expected = ThoroughAdmissionRequestReader.Read(document.RootElement, out var expectedProblem);
        var actual = AdmissionReviewReader.Read(body, MaxDepth, out var problem);
        Assert.Equal(expectedProblem, problem);
        if (expected is null)
        {
            Assert.Null(actual);
            return null;
        }
        Assert.NotNull(actual);
        var objectText = actual.Object is { } obj ? Encoding.UTF8.GetString(obj.Text.Span) : null;
        Assert.Equal(expected, new ThoroughRequest(actual.Uid, actual.Operation, actual.Kind, actual.Namespace, actual.Name, actual.DryRun, objectText, actual.OldObject?.GetRawText()));
        return actual;
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
}
