using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Tests.Support;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Engine.Tests;

/// <summary>
/// The webhook's one-pass pod reader against the thorough one, on the pods of every chart render,
/// example and fixture in the repository (helm template output of the official, community and Bitnami
/// charts): both must give the same view, and the fast one must give up wherever the thorough one
/// finds anything wrong or reads anything differently.
/// </summary>
public class PodStreamReaderTests
{
    /// <summary>Every pod in the repository's manifests, as a bare Pod (a workload's template with its metadata and spec).</summary>
    public static IEnumerable<(string Where, JsonObject Pod)> RealPods()
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
                if (obj is null || JsonNode.Parse(obj.Json.GetRawText()) is not JsonObject json || TemplateOf(json) is not { } template)
                {
                    continue;
                }
                yield return (obj.Location, template);
            }
        }
    }

    private static JsonObject? TemplateOf(JsonObject obj)
    {
        var kind = obj["kind"]?.GetValueKind() == JsonValueKind.String ? obj["kind"]!.GetValue<string>() : null;
        JsonNode? template = kind switch
        {
            "Pod" => obj,
            "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "Job" => obj["spec"]?["template"],
            "CronJob" => obj["spec"]?["jobTemplate"]?["spec"]?["template"],
            _ => null,
        };
        if (template is not JsonObject t || t["spec"] is not JsonObject)
        {
            return null;
        }
        var pod = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod" };
        foreach (var (name, value) in t)
        {
            if (name is not ("apiVersion" or "kind"))
            {
                pod[name] = value?.DeepClone();
            }
        }
        return pod;
    }

    [Fact]
    public void EveryRealPod_IsReadInOnePass_IntoTheViewTheThoroughReaderGives()
    {
        var pods = RealPods().ToList();
        Assert.True(pods.Count > 100, $"only {pods.Count} pods found");
        foreach (var (where, pod) in pods)
        {
            var utf8 = Encoding.UTF8.GetBytes(pod.ToJsonString());
            var (thorough, errors) = Thorough(utf8);
            Assert.True(errors.Count == 0, $"{where}: {string.Join("; ", errors)}");
            var fast = Fast(utf8);
            Assert.True(fast is not null, $"{where}: the fast path gave up on a valid pod");
            Assert.Equal(thorough, Describe(fast!));
        }
    }

    /// <summary>
    /// <c>check</c> evaluates a bare Pod read from its bytes (<see cref="ManifestObject.TryReadBarePod"/>) without parsing it:
    /// on every bare Pod of the repository's manifests (and a workload turned into one), with both policy packs, the verdict
    /// and what reports name the pod by must be what the parsed object gives.
    /// </summary>
    [Fact]
    public void EveryRealPod_ChecksFromItsBytes_AsFromTheParsedObject()
    {
        var pods = RealPods().ToList();
        var compared = 0;
        foreach (var pack in new[] { Packs.Default, Packs.Examples })
        {
            foreach (var (where, pod) in pods)
            {
                var utf8 = Encoding.UTF8.GetBytes(pod.ToJsonString());
                var lazy = new ManifestObject(JsonSource.FromUtf8(utf8), "pods.yaml", 1, 0) { NotedKind = "Pod" };
                var fast = lazy.TryReadBarePod(out var apiVersion);
                Assert.True(fast is not null, $"{where}: the fast path gave up on a valid pod");
                using var document = JsonDocument.Parse(utf8);
                var parsed = document.RootElement;
                var expected = Describe(ObjectEvaluator.Evaluate(parsed, "", pack, NoClusterState.Instance, "airflow"));
                var actual = Describe(ObjectEvaluator.EvaluatePod("Pod", fast!, lazy.Source, pack, NoClusterState.Instance, "airflow"));
                Assert.True(expected == actual, $"{where}:\nparsed: {expected}\nbytes:  {actual}");
                Assert.Equal(parsed.TryGetProperty("apiVersion", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null, apiVersion);
                var metadata = parsed.GetProperty("metadata");
                Assert.Equal(metadata.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null, fast!.Metadata.Name);
                Assert.Equal(metadata.TryGetProperty("namespace", out var ns) && ns.ValueKind == JsonValueKind.String ? ns.GetString() : null, fast.Metadata.Namespace);
                compared++;
            }
        }
        Assert.True(compared > 200, $"only {compared} verdicts compared");

        static string Describe(ObjectVerdict verdict) =>
            $"{verdict.Kind} {verdict.Decision.Component} errors [{string.Join("; ", verdict.Errors)}] findings [" +
            string.Join("; ", verdict.Decision.Findings.Select(f => $"{f.Policy}/{f.Rule} {f.Mode} {f.Kind} {f.Path} {f.Message} fix {f.Fix} assumed {f.Assumed}")) +
            "] patch [" + string.Join("; ", verdict.Decision.Patch.Select(p => $"{p.Op} {p.Path} {p.Value?.ToJsonString()}")) + "]";
    }

    [Fact]
    public void DamagedPods_AreEitherReadAlike_OrLeftToTheThoroughReader()
    {
        var pods = RealPods().Select(p => p.Pod).ToList();
        var random = new Random(1913);
        var fastReads = 0;
        for (var i = 0; i < 4000; i++)
        {
            var pod = (JsonObject)pods[random.Next(pods.Count)].DeepClone();
            var damage = Damage(pod, random);
            var utf8 = Encoding.UTF8.GetBytes(damage ?? pod.ToJsonString());
            var (thorough, errors) = Thorough(utf8);
            var fast = Fast(utf8);
            if (fast is null)
            {
                continue;
            }
            fastReads++;
            Assert.True(errors.Count == 0, $"the fast path read a pod the thorough reader refuses ({string.Join("; ", errors)}): {Encoding.UTF8.GetString(utf8)}");
            Assert.Equal(thorough, Describe(fast));
        }
        Assert.InRange(fastReads, 500, 3900); // both outcomes are exercised
    }

    [Fact]
    public void ResourcesAndTheObject_AreParsedOnlyWhenRead_AndMatchTheDocument()
    {
        var (_, pod) = RealPods().First(p => p.Pod["spec"]!["containers"]!.AsArray().Any(c => c!["resources"] is JsonObject { Count: > 0 }));
        var utf8 = Encoding.UTF8.GetBytes(pod.ToJsonString());
        var fast = Fast(utf8)!;
        var container = fast.Containers.First(c => c.Resources is { } r && r.EnumerateObject().Any());
        var expected = pod["spec"]!["containers"]!.AsArray().First(c => c!["name"]!.GetValue<string>() == container.Name)!["resources"]!.ToJsonString();
        Assert.Equal(expected, container.Resources!.Value.GetRawText());
    }

    [Theory]
    [InlineData("""{"kind":"Pod","spec":{"containers":[{"name":"a"}]},"spec":{"containers":[{"name":"b"}]}}""")] // a repeated field
    [InlineData("""{"kind":"Pod","spec":{"containers":[{"n\u0061me":"a"}]}}""")] // an escaped name
    [InlineData("""{"kind":"Pod","spec":{"containers":[{"name":""}]}}""")] // a container without a name
    [InlineData("""{"kind":"Pod","spec":{"containers":[]}}""")] // no container
    [InlineData("""{"kind":"Deployment","spec":{"template":{"spec":{"containers":[{"name":"a"}]}}}}""")] // not a bare pod
    [InlineData("""{"kind":"Pod","spec":{"containers":[{"name":"a","env":[{"name":"X","value":7}]}]}}""")] // a wrong type
    [InlineData("""{"kind":"Pod","spec":{"containers":[{"name":"a","volumeMounts":[{"name":"v"}]}]}}""")] // a mount without a path
    [InlineData("""{"kind":"Pod","spec":{"containers":[{"name":"a"}],"volumes":[{"name":"v","hostPath":"x"}]}}""")] // a volume error
    public void UnusualOrWrongPods_AreLeftToTheThoroughReader(string json) => Assert.Null(Fast(Encoding.UTF8.GetBytes(json)));

    /// <summary>The thorough reader's view, described while its document is alive.</summary>
    private static (string? Pod, IReadOnlyList<InputError> Errors) Thorough(byte[] utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        var errors = new InputErrors();
        var pod = KubeObjectReader.ReadPod(document.RootElement, new JsonPath("request.object"), errors);
        return (pod is null ? null : Describe(pod), errors.All);
    }

    private static PodView? Fast(byte[] utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        reader.Read();
        return PodStreamReader.TryRead(ref reader, utf8, new JsonPath("request.object"));
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
