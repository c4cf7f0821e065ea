using System.Text.Json.Nodes;
using AirflowGuard.Checking;
using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Export;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Cli.Tests.Export;

/// <summary>
/// <c>export vap</c>: the exported ValidatingAdmissionPolicies, run as the API server runs them
/// (<see cref="ApiServerEvaluation"/>, the project's CEL), decide what the engine decides, object by object and rule by
/// rule, on every chart render, seed and policy-test fixture in the repository, in several namespaces.
/// </summary>
public class AdmissionPolicyExportTests
{
    private static readonly string Root = Cli.Root;

    private static PolicySet Load(params string[] files)
    {
        var result = PolicyLoader.LoadPaths(files.Select(f => Path.Combine(Root, f)));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Set!;
    }

    private static readonly string TestPolicies = Path.Combine("tests", "AirflowGuard.Cli.Tests", "TestData", "vap", "policies.yaml");

    /// <summary>Every manifest the repository holds from real charts and field reports, and the policy tests' fixtures.</summary>
    private static List<string> Corpus() =>
    [
        .. Directory.EnumerateFiles(Path.Combine(Root, "tests", "charts"), "*.yaml", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".values.yaml", StringComparison.Ordinal) && Path.GetFileName(f) != "expectations.yaml"),
        .. Directory.EnumerateFiles(Path.Combine(Root, "examples", "seeds"), "*.yaml"),
        .. Directory.EnumerateFiles(Path.Combine(Root, "policies", "tests", "fixtures"), "*.yaml", SearchOption.AllDirectories),
        Path.Combine(Root, "tests", "AirflowGuard.Cli.Tests", "TestData", "vap", "objects.yaml"),
    ];

    [Fact]
    public void TheExportedPolicies_DecideWhatTheEngineDecides_OnEveryRenderSeedAndFixture()
    {
        var policies = Load(TestPolicies, Path.Combine("policies", "examples", "cel-cookbook.yaml"));
        var export = AdmissionPolicyExport.Of(policies);
        var evaluations = export.Objects.Where(o => (string?)o["kind"] == "ValidatingAdmissionPolicy").Select(o => new ApiServerEvaluation(o)).ToList();
        Assert.Equal(["pinned-images", "production-task-pods", "labelled-release", "config-maps-name-their-release", "worker-grace-period", "airflow-cfg-without-examples"],
            evaluations.Select(e => e.PolicyName));

        var disagreements = new List<string>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var files = Corpus();
        Assert.True(files.Count > 90, $"{files.Count} files");
        foreach (var ns in new[] { "airflow", "airflow-sandbox", "airflow-migration", "data-1" })
        {
            foreach (var file in files)
            {
                var report = new ManifestCheck(policies, ns) { KeepObjects = true }.Run([ManifestSource.FromFile(file, file)]);
                foreach (var check in report.Objects.Where(o => o.Source.EmbeddedIn is null && o.Verdict is { Errors.Count: 0 }))
                {
                    var decision = check.Verdict!.Decision;
                    var obj = JsonNode.Parse(check.Source.Json.GetRawText())!.AsObject();
                    var metadata = (obj["metadata"] ??= new JsonObject()).AsObject();
                    var objectNamespace = (string?)metadata["namespace"] ?? ns;
                    metadata["namespace"] = objectNamespace; // the API server sets it before admission
                    var where = $"{Path.GetRelativePath(Root, file)}:{check.Source.Line} {obj["kind"]} {objectNamespace}/{metadata["name"]}";
                    foreach (var evaluation in evaluations)
                    {
                        var outcome = evaluation.Evaluate(obj, objectNamespace);
                        if (outcome?.Component is { } component && check.Verdict.Pod is not null)
                        {
                            Count(counts, "component " + component);
                            if (component != decision.Component.ToName())
                            {
                                disagreements.Add($"{where}: the API server sees {component}, the engine {decision.Component.ToName()} ({decision.Evidence})");
                            }
                        }
                        var engineApplies = decision.PoliciesApplied.Contains(evaluation.PolicyName);
                        var serverApplies = outcome?.Applies ?? false;
                        if (engineApplies != serverApplies)
                        {
                            disagreements.Add($"{where}: {evaluation.PolicyName} applies for the {(engineApplies ? "engine" : "API server")} only");
                            continue;
                        }
                        if (!engineApplies)
                        {
                            continue;
                        }
                        foreach (var (rule, result) in outcome!.Results)
                        {
                            var findings = decision.Findings.Where(f => f.Policy == evaluation.PolicyName && f.Rule == rule).ToList();
                            var engine = findings.Any(f => f.Kind == FindingKind.Violation) ? "fail" : findings.Any(f => f.Kind == FindingKind.Unresolved) ? "error" : "pass";
                            Count(counts, $"{evaluation.PolicyName}/{rule} {result}");
                            if (engine != result)
                            {
                                disagreements.Add($"{where}: {evaluation.PolicyName}/{rule}: the engine says {engine}, the API server {result}");
                            }
                        }
                    }
                }
            }
        }

        Assert.True(disagreements.Count == 0, $"{disagreements.Count} disagreement(s):\n{string.Join("\n", disagreements.Distinct().Take(40))}");
        // the corpus exercises both answers of every rule, and every component the charts run
        foreach (var rule in new[] { "pinned-images/no-latest", "production-task-pods/never-restart", "production-task-pods/scheduler-replicas", "labelled-release/grace-period",
                     "config-maps-name-their-release/release-label", "worker-grace-period/grace-covers-task-timeout", "airflow-cfg-without-examples/cfg-load-examples-off" })
        {
            Assert.True(counts.GetValueOrDefault($"{rule} pass") > 0, $"{rule} never passes: {string.Join(", ", counts.Where(c => c.Key.StartsWith(rule, StringComparison.Ordinal)))}");
            Assert.True(counts.GetValueOrDefault($"{rule} fail") > 0, $"{rule} never fails: {string.Join(", ", counts.Where(c => c.Key.StartsWith(rule, StringComparison.Ordinal)))}");
        }
        foreach (var component in new[] { "scheduler", "webserver", "api-server", "worker", "triggerer", "dag-processor", "task", "pod-operator", "other", "not-airflow" })
        {
            Assert.True(counts.GetValueOrDefault("component " + component) > 0, $"no {component} in the corpus");
        }
    }

    private static void Count(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    [Fact]
    public void EveryRuleLeftOut_IsListedWithItsReason_AndTheDefaultPackNeedsTheWebhookThroughout()
    {
        var pack = BundledPolicies.Load().Set!;
        var export = AdmissionPolicyExport.Of(pack);

        // every rule of the default pack reads the airflow view or other objects: none runs in the API server alone
        Assert.Empty(export.Objects);
        Assert.Equal(pack.Policies.Sum(p => p.Rules.Count + p.Mutations.Count), export.LeftOut.Count);
        Assert.All(export.LeftOut, l => Assert.False(string.IsNullOrWhiteSpace(l.Reason)));
        Assert.Contains(export.LeftOut, l => l.Policy == "fuse-mount-options" && l.Reason.StartsWith("a mutation", StringComparison.Ordinal));
        Assert.Contains(export.LeftOut, l => l.Policy == "logs-not-on-object-storage" && l.Reason.Contains("PersistentVolumeClaim", StringComparison.Ordinal));

        var mixed = AdmissionPolicyExport.Of(Load(TestPolicies));
        var view = Assert.Single(mixed.LeftOut);
        Assert.Equal(("config-maps-name-their-release", "reads-the-view"), (view.Policy, view.Rule));
        Assert.Contains("reads the airflow view", view.Reason, StringComparison.Ordinal);
        Assert.Equal(5, mixed.Exported);
    }

    [Fact]
    public void EveryBuiltInRuleKind_SaysWhyTheApiServerCannotRunIt()
    {
        foreach (var kind in RuleKinds.All)
        {
            Assert.True(kind.Key == "validate" ? kind.ApiServerGap is null : kind.ApiServerGap is { Length: > 20 }, kind.Key);
        }
    }

    [Fact]
    public void ExportVap_WritesPoliciesAndBindings_ThatReadBackAsAdmissionRegistrationV1()
    {
        var (code, output, error) = Cli.Run("export", "vap", "--policies", TestPolicies);

        Assert.True(code == 0, error);
        Assert.Contains("5 rule(s) in 4 ValidatingAdmissionPolicies; 1 rule(s) and mutation(s) left to the webhook", error, StringComparison.Ordinal);
        Assert.Contains("#   config-maps-name-their-release/reads-the-view: the expression reads the airflow view", output, StringComparison.Ordinal);
        var stream = new YamlStream();
        stream.Load(new StringReader(output));
        var objects = stream.Documents.Select(d => YamlJson.ToJson(d.RootNode)!.AsObject()).ToList();
        Assert.Equal(8, objects.Count);
        Assert.All(objects, o => Assert.Equal("admissionregistration.k8s.io/v1", (string?)o["apiVersion"]));
        var bindings = objects.Where(o => (string?)o["kind"] == "ValidatingAdmissionPolicyBinding").ToDictionary(o => (string)o["spec"]!["policyName"]!);
        Assert.Equal(["Deny"], bindings["airflowguard-pinned-images"]["spec"]!["validationActions"]!.AsArray().Select(a => (string?)a));
        Assert.Equal(["Warn"], bindings["airflowguard-production-task-pods"]["spec"]!["validationActions"]!.AsArray().Select(a => (string?)a));
        Assert.Equal(["Audit"], bindings["airflowguard-labelled-release"]["spec"]!["validationActions"]!.AsArray().Select(a => (string?)a));
        var production = objects.Single(o => (string?)o["metadata"]!["name"] == "airflowguard-production-task-pods" && (string?)o["kind"] == "ValidatingAdmissionPolicy");
        Assert.Equal("Ignore", (string?)production["spec"]!["failurePolicy"]);
        Assert.Equal("(request.namespace.matches('^airflow.*$') || request.namespace.matches('^data-.$') || request.namespace == 'default') && !(request.namespace == 'airflow-sandbox')",
            (string?)production["spec"]!["matchConditions"]![0]!["expression"]);
        // the API server refuses a validation message with a line break
        Assert.All(objects.Where(o => (string?)o["kind"] == "ValidatingAdmissionPolicy").SelectMany(o => o["spec"]!["validations"]!.AsArray()),
            v => Assert.DoesNotContain('\n', (string)v!["message"]!));
        // every expression compiles among the API server's variables, and the YAML reads back as what was exported
        Assert.Equal(AdmissionPolicyExport.Of(Load(TestPolicies)).Objects.Select(o => o.ToJsonString()), objects.Select(o => o.ToJsonString()));

        var (jsonCode, json, _) = Cli.Run("export", "vap", "--policies", TestPolicies, "-o", "json");
        Assert.Equal(0, jsonCode);
        var list = JsonNode.Parse(json)!;
        Assert.Equal(8, list["items"]!.AsArray().Count);
        Assert.Equal("reads-the-view", (string?)list["leftOut"]![0]!["rule"]);
    }

    [Fact]
    public void ExportVap_OfBrokenPolicies_IsExit2_WithFileLineAndColumn()
    {
        using var folder = new Support.TempFolder();
        var broken = folder.Write("broken.yaml", "apiVersion: airflowguard.dev/v1\nkind: AirflowPolicy\nmetadata: { name: b }\nspec:\n  rules:\n    - name: r\n      validate: { expression: \"object.kind ==\" }\n");

        var (code, output, error) = Cli.Run("export", "vap", "--policies", broken);

        Assert.Equal(2, code);
        Assert.Contains("broken.yaml:7:", error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    [Theory]
    [InlineData("prod-*", "prod-data", true)]
    [InlineData("prod-*", "production", false)]
    [InlineData("data-?", "data-1", true)]
    [InlineData("data-?", "data-12", false)]
    [InlineData("a.b*", "a.bc", true)]
    [InlineData("a.b*", "axbc", false)]
    [InlineData("(x)+[y]", "(x)+[y]", true)]
    public void Globs_BecomeAnchoredRegularExpressions_ThatMatchWhatTheGlobMatches(string pattern, string text, bool matches)
    {
        Assert.Equal(matches, new Glob(pattern).IsMatch(text));
        var program = AdmissionPolicyExport.Environment.Compile(AdmissionPolicyExport.GlobTest("request", new Glob(pattern)));
        var value = program.Evaluate(Engine.Expressions.Cel.CelActivation.Of(Engine.Expressions.Cel.CelValue.Null, Engine.Expressions.Cel.CelValue.Null, Engine.Expressions.Cel.CelValue.String(text)));
        Assert.Equal(matches, value.AsBool);
    }
}
