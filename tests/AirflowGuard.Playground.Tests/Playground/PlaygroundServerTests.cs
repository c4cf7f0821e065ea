using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;

namespace AirflowGuard.Playground.Tests;

/// <summary>The playground's HTTP server, started on a free loopback port per test class.</summary>
public sealed class PlaygroundServerTests : IAsyncLifetime, IDisposable
{
    private WebApplication? _app;
    private HttpClient _http = new();

    public async Task InitializeAsync()
    {
        // these tests read the answers, not the time limit (PlaygroundLimitsTests does): a first, cold evaluation on a
        // machine busy with the other test assemblies may take longer than the 5 s a user is given
        _app = PlaygroundServer.Build(new IPEndPoint(IPAddress.Loopback, 0), evaluationTimeout: TimeSpan.FromMinutes(2));
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(PlaygroundServer.Address(_app)) };
    }

    public async Task DisposeAsync() => await _app!.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Page_FromTheBinary_LoadsNothingFromElsewhere()
    {
        var html = await _http.GetStringAsync("/");
        var script = await _http.GetStringAsync("/static/app.js");

        Assert.Contains("<textarea id=\"manifests\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html + script, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html + script, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/static/../AirflowGuard.csproj")).StatusCode);
    }

    [Fact]
    public async Task Samples_ListEverySeedAndChartRender()
    {
        using var index = JsonDocument.Parse(await _http.GetStringAsync("/api/samples"));
        var ids = index.RootElement.EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToList();

        foreach (var seed in Directory.GetFiles(Path.Combine(Repository.Root, "examples/seeds")))
        {
            Assert.Contains($"examples/seeds/{Path.GetFileName(seed)}", ids);
        }
        Assert.Contains("tests/charts/official-1.19/k8s-logs-pvc-gitsync.yaml", ids);
        Assert.DoesNotContain(ids, id => id!.EndsWith(".values.yaml", StringComparison.Ordinal));
        var oss = index.RootElement.EnumerateArray().Single(s => s.GetProperty("id").GetString() == "tests/charts/official-1.19/oss-fuse-logs.yaml");
        Assert.Equal("tests/charts/official-1.19/oss-fuse-logs.extra.yaml", oss.GetProperty("cluster").GetString());
        Assert.Equal(Repository.Read("examples/seeds/000-oss-logs-unsafe.yaml"), await _http.GetStringAsync("/api/sample?id=examples/seeds/000-oss-logs-unsafe.yaml"));
    }

    [Fact]
    public async Task Evaluate_OssLogsSeed_DeniedAtTheMountLine_WithEvidenceAndTheWebhooksAnswer()
    {
        using var answer = await Evaluate(Repository.Read("examples/seeds/000-oss-logs-unsafe.yaml"));
        var root = answer.RootElement;

        var obj = Assert.Single(root.GetProperty("objects").EnumerateArray());
        Assert.Equal("deny", obj.GetProperty("verdict").GetString());
        Assert.Equal("scheduler", obj.GetProperty("component").GetString());
        var finding = Assert.Single(obj.GetProperty("findings").EnumerateArray());
        Assert.Equal("no-fuse-logs", finding.GetProperty("rule").GetString());
        Assert.Equal(61, finding.GetProperty("line").GetInt32());
        Assert.Contains("object-storage-fuse", obj.GetProperty("explain").GetString(), StringComparison.Ordinal);
        var review = obj.GetProperty("admission").GetProperty("validate").GetProperty("response");
        Assert.False(review.GetProperty("allowed").GetBoolean());
        Assert.Equal(403, review.GetProperty("status").GetProperty("code").GetInt32());
        Assert.Equal("2.1.0", root.GetProperty("reports").GetProperty("sarif").GetProperty("version").GetString());
        Assert.Equal(1, root.GetProperty("reports").GetProperty("json").GetProperty("summary").GetProperty("denied").GetInt32());
    }

    [Theory]
    [InlineData("api-server-own-jwt-secret", "jwt-secret-name", "components-share-the-key")]
    [InlineData("scheduler-no-log-groomer", "scheduler-no-log-groomer-storage-limit", "logs-have-a-bound")]
    [InlineData("k8s-s3-logs-irsa-scheduler-only", "k8s-s3-logs-irsa-all", "task-pods-have-the-identity")]
    [InlineData("k8s-pvc-dags-own-pod-template", "k8s-pvc-dags-pod-template-with-dags", "task-pods-match-the-scheduler")]
    [InlineData("celery-network-policies", "celery-network-policies-api-server", "api-server-reaches-log-ports")]
    public async Task Evaluate_TheReleaseComparingSamples_WarnOnTheUnsafeRender_AndNotOnItsTwin(string @unsafe, string safe, string rule)
    {
        async Task<List<string>> RulesOf(string sample)
        {
            var id = $"tests/charts/official-1.19/{sample}.yaml";
            var text = await _http.GetStringAsync($"/api/sample?id={id}");
            using var answer = await Evaluate(text); // a render holds its .extra.yaml objects already
            return [.. answer.RootElement.GetProperty("objects").EnumerateArray()
                .SelectMany(o => o.GetProperty("findings").EnumerateArray()).Select(f => f.GetProperty("rule").GetString()!)];
        }

        Assert.Contains(rule, await RulesOf(@unsafe));
        Assert.DoesNotContain(rule, await RulesOf(safe));
    }

    [Fact]
    public async Task Evaluate_AgreesWithCheck_OnEveryExample()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(Repository.Root, "examples"), "*.yaml", SearchOption.AllDirectories))
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            Cli.CommandLine.Run(["check", file, "--output", "json"], output, error);
            using var check = JsonDocument.Parse(output.ToString());
            using var answer = await Evaluate(File.ReadAllText(file));

            var playground = answer.RootElement.GetProperty("reports").GetProperty("json");
            Assert.Equal(check.RootElement.GetProperty("summary").GetRawText(), playground.GetProperty("summary").GetRawText());
            Assert.Equal(Findings(check.RootElement), Findings(playground));
        }

        static string Findings(JsonElement report) => string.Join("\n", report.GetProperty("objects").EnumerateArray()
            .Select(o => $"{o.GetProperty("line").GetInt32()} {o.GetProperty("object").GetString()} {o.GetProperty("findings").GetRawText()} {o.GetProperty("patch").GetRawText()}"));
    }

    [Fact]
    public async Task Evaluate_BrokenPolicy_ErrorAtFileLineColumnAndEditorLine_NothingChecked()
    {
        var policies = "# file: mine.yaml\napiVersion: airflowguard.dev/v1\nkind: AirflowPolicy\nmetadata:\n  name: x\nspec:\n  mode: [Warn\n";

        using var answer = await Evaluate(Repository.Read("examples/seeds/000-oss-logs-unsafe.yaml"), policies);

        var error = Assert.Single(answer.RootElement.GetProperty("policyErrors").EnumerateArray());
        Assert.StartsWith("mine.yaml:", error.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(error.GetProperty("line").GetInt32() + 1, error.GetProperty("editorLine").GetInt32());
        Assert.Contains("nothing was checked", answer.RootElement.GetProperty("stopped").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_BrokenManifest_LocatedError_AndTheRestChecked()
    {
        var manifests = "kind: Pod\nmetadata: { name: a\n---\n" + Repository.Read("examples/seeds/000-oss-logs-unsafe.yaml");

        using var answer = await Evaluate(manifests);

        var error = Assert.Single(answer.RootElement.GetProperty("manifestErrors").EnumerateArray());
        Assert.StartsWith("manifests.yaml:", error.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("manifests", error.GetProperty("editor").GetString());
        Assert.Equal(1, answer.RootElement.GetProperty("summary").GetProperty("denied").GetInt32());
    }

    [Fact]
    public async Task Evaluate_ClusterObjects_StandInForTheCluster()
    {
        var seed = Repository.Read("examples/seeds/000-oss-logs-unsafe.yaml");
        var documents = seed.Split("\n---\n");
        var pod = documents[^1];
        var storage = string.Join("\n---\n", documents[..^1]);

        using var alone = await Evaluate(pod);
        using var withCluster = await Evaluate(pod, cluster: storage);

        Assert.NotEqual("deny", alone.RootElement.GetProperty("objects")[0].GetProperty("verdict").GetString());
        Assert.Equal("deny", withCluster.RootElement.GetProperty("objects")[0].GetProperty("verdict").GetString());
        Assert.Equal(1, withCluster.RootElement.GetProperty("summary").GetProperty("checked").GetInt32());
    }

    [Fact]
    public async Task Evaluate_YamlBody_CheckedAgainstTheBundledPack()
    {
        using var content = new StringContent(Repository.Read("examples/seeds/000-oss-logs-unsafe.yaml"), Encoding.UTF8, "application/yaml");

        var response = await _http.PostAsync("/api/evaluate", content);

        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, answer.RootElement.GetProperty("summary").GetProperty("denied").GetInt32());
    }

    [Fact]
    public async Task Evaluate_BodyOverTheWebhooksLimit_Refused413()
    {
        using var content = new StringContent(new string(' ', PlaygroundServer.MaxBodyBytes + 1), Encoding.UTF8, "application/json");

        var response = await _http.PostAsync("/api/evaluate", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Evaluate_NotJson_Refused400WithWhere()
    {
        using var content = new StringContent("{\"manifests\": ", Encoding.UTF8, "application/json");

        var response = await _http.PostAsync("/api/evaluate", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid JSON (line 1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<JsonDocument> Evaluate(string manifests, string? policies = null, string cluster = "")
    {
        var response = await _http.PostAsJsonAsync("/api/evaluate", new Dictionary<string, string>
        {
            ["manifests"] = manifests,
            ["policies"] = policies ?? PolicyPack.BundledText(),
            ["cluster"] = cluster,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
