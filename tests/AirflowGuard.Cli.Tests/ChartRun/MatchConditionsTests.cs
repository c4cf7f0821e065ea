using System.Text.Json;
using System.Text.Json.Nodes;
using AirflowGuard.Engine.Expressions.Cel;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Cli.Tests.ChartRun;

/// <summary>
/// The webhook configurations' matchConditions, as the chart renders them, evaluated offline with a
/// CEL implementation (the engine's own, <see cref="CelEnvironment"/>): every object AirflowGuard checks in the real chart renders (tests/charts) and the
/// seeds reaches the webhook, and on a realistic cluster mix (TestData/cluster-mix.yaml) the share
/// the API server no longer sends is measured.
/// </summary>
public class MatchConditionsTests(ITestOutputHelper log)
{
    private static readonly Lazy<(Func<JsonObject, bool> Workloads, Func<JsonObject, bool> Volumes)> Conditions = new(Compile);

    public static TheoryData<string> Renders()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(Cli.Root, "tests", "charts"), "*.yaml", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(Cli.Root, "examples", "seeds"), "*.yaml"))
            .Where(f => !f.EndsWith(".values.yaml", StringComparison.Ordinal) && !f.EndsWith("expectations.yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Cli.Root, file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public void EveryObjectAirflowGuardChecks_PassesTheMatchConditions(string file)
    {
        var (_, output, _) = Cli.Run("check", file, "--namespace", "airflow", "--output", "json", "--fail-on", "never");
        using var report = JsonDocument.Parse(output);
        var checkedObjects = report.RootElement.GetProperty("objects").EnumerateArray()
            .Where(o => o.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String
                && o.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                && !o.GetProperty("object").GetString()!.EndsWith("(across the release)", StringComparison.Ordinal)) // check alone: no admission
            .Select(o => (o.GetProperty("kind").GetString()!, o.GetProperty("name").GetString()!))
            .ToHashSet();
        var missed = new List<string>();
        var admittedCount = 0;
        foreach (var obj in Read(Path.Combine(Cli.Root, file)))
        {
            var kind = (string?)obj["kind"] ?? "";
            var name = (string?)obj["metadata"]?["name"] ?? "";
            // a bare pod spec (the upstream pod_template_file examples) is what task pods are made from
            var admitted = checkedObjects.Contains((kind, name)) || (kind == "Pod" && file.Contains("pod-templates", StringComparison.Ordinal));
            var condition = kind == "PersistentVolume" ? Conditions.Value.Volumes : Conditions.Value.Workloads;
            admittedCount += admitted ? 1 : 0;
            if (admitted && !condition(obj))
            {
                missed.Add($"{kind}/{name}");
            }
        }
        Assert.Empty(missed);
        Assert.True(admittedCount > 0 || checkedObjects.Count == 0, "no object of the file was evaluated");
    }

    [Fact]
    public void ClusterMix_NonAirflowRequestsFilteredOut_AirflowOnesSent()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "cluster-mix.yaml"));
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var entries = (JsonArray)RenderedChart.ToJson(stream.Documents[0].RootNode)!;
        int total = 0, sent = 0, airflowMissed = 0, filtered = 0;
        foreach (var entry in entries.Select(e => e!.AsObject()))
        {
            var count = (int)entry["count"]!;
            var airflow = (bool)entry["airflow"]!;
            var passes = Conditions.Value.Workloads(entry["object"]!.AsObject());
            total += count;
            sent += passes ? count : 0;
            filtered += passes ? 0 : count;
            airflowMissed += airflow && !passes ? count : 0;
            log.WriteLine($"{count,3} × {(string)entry["what"]!}: {(passes ? "sent" : "filtered out")}");
        }
        log.WriteLine($"filtered out {filtered} of {total} requests ({100.0 * filtered / total:F0} %); sent {sent}");

        Assert.Equal(100, total);
        Assert.Equal(0, airflowMissed);
        Assert.Equal(70, filtered); // every request that is not Airflow's and carries none of its labels
    }

    [Fact]
    public void NarrowToAirflowOff_RendersNoMatchConditions()
    {
        var values = Path.Combine(Directory.CreateTempSubdirectory("airflowguard-chart-values-").FullName, "values.yaml");
        File.WriteAllText(values, "webhook: { narrowToAirflow: false }");

        var (chart, error) = RenderedChart.Render(values, Path.Combine(Cli.Root, "deploy", "helm", "airflowguard"));

        Assert.True(chart is not null, error);
        Assert.All(chart.OfKind("ValidatingWebhookConfiguration").Concat(chart.OfKind("MutatingWebhookConfiguration"))
            .SelectMany(c => c["webhooks"]!.AsArray()), w => Assert.Null(w!["matchConditions"]));
    }

    private static (Func<JsonObject, bool>, Func<JsonObject, bool>) Compile()
    {
        var (chart, error) = RenderedChart.Render(Path.Combine(Cli.Root, "deploy", "helm", "airflowguard", "ci", "default-values.yaml"), Path.Combine(Cli.Root, "deploy", "helm", "airflowguard"));
        Assert.True(chart is not null, error);
        var webhooks = chart.OfKind("ValidatingWebhookConfiguration").Concat(chart.OfKind("MutatingWebhookConfiguration"))
            .SelectMany(c => c["webhooks"]!.AsArray()).Select(w => w!.AsObject()).ToList();
        // the default pack mixes modes: its Enforce and its Warn policies get a validating webhook each, with one matchConditions
        var enforce = webhooks.Single(w => (string?)w["name"] == "enforce.validate.airflowguard.dev");
        var validate = webhooks.Single(w => (string?)w["name"] == "warn.validate.airflowguard.dev");
        var mutatePods = webhooks.Single(w => (string?)w["name"] == "mutate.airflowguard.dev");
        var mutateVolumes = webhooks.Single(w => (string?)w["name"] == "mutate-pv.airflowguard.dev");
        Assert.Equal(validate["matchConditions"]!.ToJsonString(), mutatePods["matchConditions"]!.ToJsonString());
        Assert.Equal(validate["matchConditions"]!.ToJsonString(), enforce["matchConditions"]!.ToJsonString());
        return (All(validate), All(mutateVolumes));
    }

    /// <summary>All conditions true, as the API server requires; an evaluation error fails the test (the API server would apply failurePolicy).</summary>
    private static Func<JsonObject, bool> All(JsonObject webhook)
    {
        var environment = new CelEnvironment().Declare("object", CelStaticType.Dyn);
        var programs = webhook["matchConditions"]!.AsArray().Select(c => environment.Compile((string)c!["expression"]!)).ToList();
        return obj =>
        {
            using var json = JsonDocument.Parse(obj.ToJsonString());
            var activation = CelActivation.Of(CelJson.From(json.RootElement));
            return programs.All(p => p.Evaluate(activation) is var result && (result.Kind == CelKind.Bool ? result.AsBool : throw new InvalidOperationException($"{p.Text}: {result.Display()}")));
        };
    }

    /// <summary>The objects of a file, read as AirflowGuard reads them (helm's block scalars included).</summary>
    private static IEnumerable<JsonObject> Read(string file) =>
        AirflowGuard.Engine.Yaml.ManifestBundle.Read(file, File.ReadAllText(file)).Objects
            .Select(o => JsonNode.Parse(o.Json.GetRawText())!.AsObject())
            .Where(o => o["spec"] is not null);
}
