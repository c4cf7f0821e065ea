using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AirflowGuard.Cli;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Yaml;
using AirflowGuard.Webhook.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AirflowGuard.Webhook.Tests;

/// <summary>
/// `airflowguard check` and the webhook reach the same decisions and patches on every shipped
/// fixture: the CLI over the file, the webhook over each object as the API server would send it,
/// with the same file standing in for the cluster.
/// </summary>
public class CliAndWebhookAgreeTests
{
    /// <summary>The seeds and examples (namespace "default" where they name none), and every real chart render (namespace "airflow").</summary>
    public static TheoryData<string, string> Fixtures()
    {
        var data = new TheoryData<string, string>();
        var root = AdmissionContractTests.RepoRoot();
        foreach (var folder in new[] { Path.Combine("examples", "seeds"), Path.Combine("examples", "charts") })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(root, folder), "*.yaml").Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(root, file), "default");
            }
        }
        foreach (var file in Directory.GetFiles(Path.Combine(root, "tests", "charts"), "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (name != "expectations.yaml" && !name.EndsWith(".values.yaml", StringComparison.Ordinal) && !name.EndsWith(".extra.yaml", StringComparison.Ordinal))
            {
                data.Add(Path.GetRelativePath(root, file), "airflow");
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task SameDecisionsAndPatches(string fixture, string @namespace)
    {
        var root = AdmissionContractTests.RepoRoot();
        var (objects, errors) = ManifestBundle.Read(fixture, File.ReadAllText(Path.Combine(root, fixture)));
        // a duplicate key (a user's release in tests/charts has one) is reported, and its object still read with the last value
        Assert.All(errors, e => Assert.Contains("Duplicate key", e.Message, StringComparison.Ordinal));
        // the rest of the render stands in for the cluster, as the watch-backed cache would
        await using var webhook = await RunningWebhook.StartAsync(s => s.Services = services =>
            services.AddSingleton<IClusterState>(new ManifestClusterState(objects, @namespace)));
        var client = webhook.Client();

        var cli = RunCheck(root, fixture, @namespace);
        var checkedObjects = cli.GetProperty("objects").EnumerateArray().ToList();
        Assert.NotEmpty(checkedObjects);
        foreach (var expected in checkedObjects.Where(o => !o.GetProperty("object").GetString()!.EndsWith("(across the release)", StringComparison.Ordinal)))
        {
            var source = objects.Single(o => o.File == expected.GetProperty("file").GetString() && o.Line == expected.GetProperty("line").GetInt32());
            var obj = JsonNode.Parse(source.Json.GetRawText())!.AsObject();
            var what = $"{fixture}:{source.Line} {expected.GetProperty("object").GetString()}";

            if (obj["metadata"] is JsonObject metadata && metadata["namespace"] is null)
            {
                metadata["namespace"] = @namespace; // the API server sends objects with their namespace filled in
            }
            var (_, validate, _) = await webhook.PostAsync(client, "/validate", Reviews.Review("uid-x", "CREATE", obj.DeepClone().AsObject(), null, false));
            var answer = Reviews.Response(validate);
            Assert.True(expected.GetProperty("allowed").GetBoolean() == answer.GetProperty("allowed").GetBoolean(), what);
            var said = (answer.TryGetProperty("status", out var status) ? status.GetProperty("message").GetString() : "") + "\n" +
                string.Join("\n", Reviews.Warnings(validate));
            foreach (var finding in expected.GetProperty("findings").EnumerateArray())
            {
                var rule = $"{finding.GetProperty("policy").GetString()}/{finding.GetProperty("rule").GetString()}";
                Assert.True(said.Contains(rule, StringComparison.Ordinal), $"{what}: the webhook did not report {rule}:\n{said}");
            }

            if (source.Kind is "Pod" or "PersistentVolume" && source.EmbeddedIn is null)
            {
                var (_, mutate, _) = await webhook.PostAsync(client, "/mutate", Reviews.Review("uid-m", "CREATE", obj.DeepClone().AsObject(), null, false));
                var webhookPatch = Reviews.Response(mutate).TryGetProperty("patch", out var patch)
                    ? Encoding.UTF8.GetString(Convert.FromBase64String(patch.GetString()!))
                    : "[]";
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected.GetProperty("patch").GetRawText()), JsonNode.Parse(webhookPatch)), what);
            }
        }
    }

    private static JsonElement RunCheck(string root, string fixture, string @namespace)
    {
        var previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = root;
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var code = CommandLine.Run(["check", fixture, "--namespace", @namespace, "--output", "json", "--fail-on", "never"], output, error);
            Assert.True(code == 0 || (code == 2 && error.ToString().Contains("Duplicate key", StringComparison.Ordinal)), error.ToString());
            using var document = JsonDocument.Parse(output.ToString());
            return document.RootElement.Clone();
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }
}
