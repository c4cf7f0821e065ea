using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Tests.Support;
using AirflowGuard.Engine.Tests.Support.Oracle;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Engine.Tests;

/// <summary>
/// The one pod reader against the thorough reader it replaced (kept as a test oracle), on every pod and workload of every
/// chart render, example and fixture in the repository (helm template output of the official, community and Bitnami
/// charts), and on thousands of damaged ones: where both read an object they give the same view and the same verdict,
/// and the one reader never accepts what the thorough one refuses.
/// </summary>
public class PodReaderTests
{
    private static readonly string[] PodKinds = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob", "PodTemplate"];

    /// <summary>Every object in the repository's manifests that runs pods, as written.</summary>
    public static IEnumerable<(string Where, JsonObject Object)> RealObjects()
    {
        var folders = new[] { Repo.Path("tests", "charts"), Repo.Path("examples"), Repo.Path("policies", "tests", "fixtures") };
        foreach (var file in folders.SelectMany(f => Directory.EnumerateFiles(f, "*.yaml", SearchOption.AllDirectories)).Order(StringComparer.Ordinal))
        {
            if (file.EndsWith(".values.yaml", StringComparison.Ordinal) || file.EndsWith("expectations.yaml", StringComparison.Ordinal))
            {
                continue;
            }
            using var reader = new StreamReader(file);
            foreach (var (obj, _) in ManifestReader.Read(reader, file))
            {
                if (obj is not null && PodKinds.Contains(obj.Kind) && JsonNode.Parse(obj.Json.GetRawText()) is JsonObject json)
                {
                    yield return (obj.Location, json);
                }
            }
        }
    }

    [Fact]
    public void EveryRealObject_IsReadInOnePass_IntoTheViewTheThoroughReaderGives()
    {
        var objects = RealObjects().ToList();
        Assert.True(objects.Count > 150, $"only {objects.Count} objects found");
        Assert.Contains(objects, o => o.Object["kind"]!.GetValue<string>() == "StatefulSet");
        foreach (var (where, obj) in objects)
        {
            var utf8 = Encoding.UTF8.GetBytes(obj.ToJsonString());
            var (thorough, thoroughErrors) = Thorough(utf8);
            var (one, errors) = One(utf8);
            Assert.True(thoroughErrors.Count == 0 && errors.Count == 0, $"{where}: {string.Join("; ", thoroughErrors.Concat(errors))}");
            Assert.True(thorough == one, $"{where}:\nthorough: {thorough}\none pass: {one}");
        }
    }

    /// <summary>The verdict on a pod read by the one reader is the verdict on the thorough reader's view, with both policy packs.</summary>
    [Fact]
    public void EveryRealObject_GetsTheVerdictTheThoroughReadersViewGets()
    {
        var compared = 0;
        var objects = RealObjects().ToList();
        foreach (var pack in new[] { Packs.Default, Packs.Examples })
        {
            foreach (var (where, obj) in objects)
            {
                var utf8 = Encoding.UTF8.GetBytes(obj.ToJsonString());
                var kind = obj["kind"]!.GetValue<string>();
                var actual = Describe(ObjectEvaluator.Evaluate(JsonSource.FromUtf8(utf8), kind, ObjectRole.Pods, "", pack, NoClusterState.Instance, "airflow"));
                using var document = JsonDocument.Parse(utf8);
                var view = ThoroughPodReader.ReadPod(document.RootElement, "", new InputErrors())!;
                var expected = Describe(ObjectEvaluator.EvaluatePod(kind, view, document.RootElement, pack, NoClusterState.Instance, "airflow"));
                Assert.True(expected == actual, $"{where}:\nthorough: {expected}\none pass: {actual}");
                compared++;
            }
        }
        Assert.True(compared > 300, $"only {compared} verdicts compared");

        static string Describe(ObjectVerdict verdict) =>
            $"{verdict.Kind} {verdict.Decision.Component} errors [{string.Join("; ", verdict.Errors)}] findings [" +
            string.Join("; ", verdict.Decision.Findings.Select(f => $"{f.Policy}/{f.Rule} {f.Mode} {f.Kind} {f.Path} {f.Message} fix {f.Fix} assumed {f.Assumed}")) +
            "] patch [" + string.Join("; ", verdict.Decision.Patch.Select(p => $"{p.Op} {p.Path} {p.Value?.ToJsonString()}")) + "]";
    }

    /// <summary>
    /// Damaged objects (a field removed, null, of the wrong type, empty, repeated, or named with an escape): what the one reader
    /// accepts, the thorough one accepts and reads alike; what the thorough one refuses, the one reader refuses too. The one
    /// reader may refuse more (a wrong value the thorough one never looked at, or a repeated field's first, wrong value).
    /// </summary>
    [Fact]
    public void DamagedObjects_AreReadAlike_OrRefusedByBoth()
    {
        var objects = RealObjects().Select(o => o.Object).ToList();
        var random = new Random(1913);
        var (accepted, refused) = (0, 0);
        for (var i = 0; i < 4000; i++)
        {
            var obj = (JsonObject)objects[random.Next(objects.Count)].DeepClone();
            var damage = Damage(obj, random);
            var utf8 = Encoding.UTF8.GetBytes(damage ?? obj.ToJsonString());
            var (thorough, thoroughErrors) = Thorough(utf8);
            var (one, errors) = One(utf8);
            var text = Encoding.UTF8.GetString(utf8);
            if (errors.Count == 0)
            {
                accepted++;
                Assert.True(thoroughErrors.Count == 0, $"the one reader read an object the thorough reader refuses ({string.Join("; ", thoroughErrors)}): {text}");
                Assert.True(thorough == one, $"read differently: {text}\nthorough: {thorough}\none pass: {one}");
            }
            else
            {
                refused++;
                Assert.All(errors, e => Assert.False(string.IsNullOrEmpty(e.Message)));
            }
            if (thoroughErrors.Count > 0)
            {
                Assert.True(errors.Count > 0, $"the one reader accepted what the thorough reader refuses ({string.Join("; ", thoroughErrors)}): {text}");
            }
        }
        Assert.InRange(accepted, 500, 3900); // both outcomes are exercised
        Assert.InRange(refused, 100, 3500);
    }

    [Fact]
    public void AWorkloadWhoseKindComesAfterItsSpec_IsReadAsIfItCameFirst()
    {
        const string First = """{"kind":"Deployment","metadata":{"name":"w","namespace":"n"},"spec":{"replicas":3,"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":"1"}}}]}}}}""";
        const string Last = """{"metadata":{"name":"w","namespace":"n"},"spec":{"replicas":3,"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":"1"}}}]}}},"kind":"Deployment"}""";

        var (first, _) = One(Encoding.UTF8.GetBytes(First));
        var (last, errors) = One(Encoding.UTF8.GetBytes(Last));

        Assert.Empty(errors);
        Assert.Equal(first, last);
        Assert.Contains("\"Replicas\": 3", last, StringComparison.Ordinal);
    }

    [Fact]
    public void EscapedFieldNames_AreReadAsTheirText()
    {
        var (escaped, errors) = One(Encoding.UTF8.GetBytes("""{"kind":"Pod","spec":{"cont\u0061iners":[{"n\u0061me":"a","env":[{"name":"X","v\u0061lue":"1"}]}]}}"""));
        var (plain, _) = One(Encoding.UTF8.GetBytes("""{"kind":"Pod","spec":{"containers":[{"name":"a","env":[{"name":"X","value":"1"}]}]}}"""));

        Assert.Empty(errors);
        Assert.Equal(plain, escaped);
    }

    [Theory]
    [InlineData("""{"kind":"Pod","spec":{"containers":[{"name":"a","env":[{"name":"X","value":7}]}]}}""", "request.object.spec.containers[0].env[0].value", "expected a string, found the number 7")]
    [InlineData("""{"kind":"Pod","spec":{"containers":[{"name":"a","volumeMounts":[{"name":"v"}]}]}}""", "request.object.spec.containers[0].volumeMounts[0]", "a volume mount needs a name and a mountPath")]
    [InlineData("""{"kind":"Pod","spec":{"containers":[{"name":"a"}],"volumes":[{"name":"v","hostPath":"x"}]}}""", "request.object.spec.volumes[0].hostPath", "expected an object, found a string")]
    [InlineData("""{"kind":"Pod","spec":{"containers":[]}}""", "request.object.spec.containers", "a pod needs at least one container")]
    [InlineData("""{"kind":"Pod","spec":{"containers":[{"name":""}]}}""", "request.object.spec.containers[0].name", "a container needs a name")]
    [InlineData("""{"kind":"Deployment","spec":{"replicas":1}}""", "request.object.spec.template", "a Deployment needs spec.template")]
    [InlineData("""{"kind":"CronJob","spec":{"jobTemplate":{"spec":"x"}}}""", "request.object.spec.jobTemplate.spec", "a CronJob needs spec.jobTemplate.spec.template")]
    [InlineData("""{"kind":"Service","spec":{}}""", "request.object.kind", "kind Service does not run pods")]
    [InlineData("""{"kind":"Pod","metadata":{"labels":{"app.kubernetes.io/name":3}},"spec":{"containers":[{"name":"a"}]}}""", "request.object.metadata.labels[\"app.kubernetes.io/name\"]", "expected a string, found the number 3")]
    public void WrongObjects_AreReported_WithTheirPath(string json, string path, string message)
    {
        var (_, errors) = One(Encoding.UTF8.GetBytes(json));

        Assert.Contains(errors, e => e.Path == path && e.Message == message);
    }

    [Fact]
    public void ResourcesAndTheObject_AreParsedOnlyWhenRead_AndMatchTheDocument()
    {
        var (_, obj) = RealObjects().First(o => o.Object["kind"]!.GetValue<string>() == "Pod" &&
            o.Object["spec"]!["containers"]!.AsArray().Any(c => c!["resources"] is JsonObject { Count: > 0 }));
        var utf8 = Encoding.UTF8.GetBytes(obj.ToJsonString());
        var pod = PodReader.Read(utf8, null, "", new InputErrors())!;
        var container = pod.Containers.First(c => c.Resources is { } r && r.EnumerateObject().Any());
        var expected = obj["spec"]!["containers"]!.AsArray().First(c => c!["name"]!.GetValue<string>() == container.Name)!["resources"]!.ToJsonString();
        Assert.Equal(expected, container.Resources!.Value.GetRawText());
    }

    /// <summary>The thorough reader's view, described while its document is alive.</summary>
    private static (string? Pod, IReadOnlyList<InputError> Errors) Thorough(byte[] utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        var errors = new InputErrors();
        try
        {
            var pod = document.RootElement.ValueKind == JsonValueKind.Object ? ThoroughPodReader.ReadPod(document.RootElement, new JsonPath("request.object"), errors) : null;
            return (pod is null ? null : Describe(pod), errors.All);
        }
        catch (InvalidOperationException ex)
        {
            // the thorough reader looked into a value of the wrong type (it did, for a claim template's metadata or spec)
            errors.Add("(thorough reader)", $"threw: {ex.Message}");
            return (null, errors.All);
        }
    }

    private static (string? Pod, IReadOnlyList<InputError> Errors) One(byte[] utf8)
    {
        var errors = new InputErrors();
        var pod = PodReader.Read(utf8, null, new JsonPath("request.object"), errors);
        return (pod is null ? null : Describe(pod), errors.All);
    }

    /// <summary>The view as JSON, every public property (computed pointers and names included), for comparing two views.</summary>
    private static string Describe(PodView pod) => JsonSerializer.Serialize(pod, Indented);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// One random change of the kind malformed or unusual input has: a field removed, set to null, to the
    /// wrong type, to an empty string, repeated, or named with an escape. Returns raw text when the damage
    /// cannot be expressed as a JsonObject (repeated or escaped names), else changes <paramref name="pod"/>.
    /// </summary>
    private static string? Damage(JsonObject pod, Random random)
    {
        var objects = new List<JsonObject>();
        Collect(pod, objects);
        var target = objects[random.Next(objects.Count)];
        if (target.Count == 0)
        {
            return null;
        }
        var key = target.ElementAt(random.Next(target.Count)).Key;
        switch (random.Next(7))
        {
            case 0:
                target.Remove(key);
                return null;
            case 1:
                target[key] = null;
                return null;
            case 2:
                target[key] = 42;
                return null;
            case 3:
                target[key] = "";
                return null;
            case 4:
                target[key] = new JsonArray("x");
                return null;
            case 5:
                var text = pod.ToJsonString();
                var quoted = JsonSerializer.Serialize(key);
                var at = text.IndexOf(quoted + ":", StringComparison.Ordinal);
                return at < 0 ? null : text.Insert(at, $"{quoted}:{{}},");
            default:
                var plain = pod.ToJsonString();
                var name = JsonSerializer.Serialize(key);
                var first = plain.IndexOf(name + ":", StringComparison.Ordinal);
                return first < 0 || key.Length == 0 ? null : plain[..(first + 1)] + $"\\u{(int)key[0]:x4}" + plain[(first + 2)..];
        }
    }

    private static void Collect(JsonNode? node, List<JsonObject> objects)
    {
        switch (node)
        {
            case JsonObject obj:
                objects.Add(obj);
                foreach (var (_, value) in obj)
                {
                    Collect(value, objects);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, objects);
                }
                break;
        }
    }
}
