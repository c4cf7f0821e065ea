using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Cli.Tests;

/// <summary>
/// `airflowguard check` over real `helm template` renders of the official (1.16, 1.19), community and
/// Bitnami Airflow charts and the upstream pod_template_file examples (tests/charts), against
/// tests/charts/expectations.yaml: verdicts written from Airflow's behaviour, before the tool was run
/// on them. Every render must parse without an error (or exactly with the read errors its `read_errors` lists: a
/// user's release that helm installs may still hold what YAML forbids), every listed object must get its verdict and
/// exactly its rules, and every object not listed must be clean.
/// </summary>
public class ChartRenderTests
{
    private sealed record Expected(string Object, string Verdict, IReadOnlyList<string> Rules, string Why);

    private sealed record ExpectedRender(string File, IReadOnlyList<Expected> Objects, IReadOnlyList<(string Claim, string Rule)> Release, IReadOnlyList<string> ReadErrors);

    private static readonly Lazy<IReadOnlyList<ExpectedRender>> Expectations = new(Load);

    public static TheoryData<string> Renders()
    {
        var data = new TheoryData<string>();
        foreach (var render in Expectations.Value)
        {
            data.Add(render.File);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Renders))]
    public void Render_GetsTheVerdictAirflowsBehaviourCallsFor(string file)
    {
        var expected = Expectations.Value.Single(r => r.File == file);
        var path = Path.Combine("tests", "charts", file);

        var (code, output, error) = Cli.Run("check", path, "--namespace", "airflow", "--output", "json", "--fail-on", "never");

        if (expected.ReadErrors.Count == 0)
        {
            Assert.True(code == 0, error);
            Assert.Equal("", error); // zero parse failures, zero bad objects
        }
        else
        {
            // the listed read errors, each once, and nothing else; the objects are still checked
            Assert.True(code == 2, error);
            var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(expected.ReadErrors.Count, lines.Length);
            Assert.All(expected.ReadErrors, e => Assert.Single(lines, l => l.Contains(e, StringComparison.Ordinal)));
        }
        using var document = JsonDocument.Parse(output);
        var objects = document.RootElement.GetProperty("objects").EnumerateArray().ToList();
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var obj in objects)
        {
            var name = obj.GetProperty("object").GetString()!;
            var violations = obj.GetProperty("findings").EnumerateArray()
                .Where(f => f.GetProperty("kind").GetString() == "violation").Select(f => f.GetProperty("rule").GetString()!).Distinct().Order(StringComparer.Ordinal).ToList();
            if (name.EndsWith("(across the release)", StringComparison.Ordinal))
            {
                foreach (var rule in violations)
                {
                    var claim = name[..name.IndexOf(" (", StringComparison.Ordinal)].Replace(" ", "/", StringComparison.Ordinal);
                    if (!expected.Release.Contains((claim, rule)))
                    {
                        problems.Add($"unexpected release finding {rule} on {claim}");
                    }
                    seen.Add($"release {claim} {rule}");
                }
                continue;
            }
            var id = $"{obj.GetProperty("kind").GetString()}/{(obj.GetProperty("namespace").GetString() ?? "airflow")}/{obj.GetProperty("name").GetString()}";
            var verdict = !obj.GetProperty("allowed").GetBoolean() ? "deny" : violations.Count > 0 ? "warn" : "clean";
            seen.Add(id);
            var want = expected.Objects.FirstOrDefault(e => e.Object == id);
            if (want is null)
            {
                if (verdict != "clean")
                {
                    problems.Add($"{id}: not in the expectations, but {verdict} [{string.Join(", ", violations)}]");
                }
                continue;
            }
            if (want.Verdict != verdict || !want.Rules.Order(StringComparer.Ordinal).SequenceEqual(violations))
            {
                problems.Add($"{id}: expected {want.Verdict} [{string.Join(", ", want.Rules)}] ({want.Why}), got {verdict} [{string.Join(", ", violations)}]");
            }
        }
        problems.AddRange(expected.Objects.Where(e => !seen.Contains(e.Object)).Select(e => $"{e.Object}: expected {e.Verdict}, but not checked at all"));
        problems.AddRange(expected.Release.Where(r => !seen.Contains($"release {r.Claim} {r.Rule}")).Select(r => $"release finding {r.Rule} on {r.Claim} expected, not reported"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void EveryRender_IsListedInTheExpectations()
    {
        var listed = Expectations.Value.Select(r => r.File).ToHashSet(StringComparer.Ordinal);
        var root = Path.Combine(Cli.Root, "tests", "charts");
        var renders = Directory.GetFiles(root, "*.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => f != "expectations.yaml" && !f.EndsWith(".values.yaml", StringComparison.Ordinal) && !f.EndsWith(".extra.yaml", StringComparison.Ordinal));

        Assert.DoesNotContain(renders, r => !listed.Contains(r));
    }

    private static List<ExpectedRender> Load()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Cli.Root, "tests", "charts", "expectations.yaml"))));
        var renders = new List<ExpectedRender>();
        foreach (var render in ((YamlSequenceNode)((YamlMappingNode)stream.Documents[0].RootNode)["renders"]).Children.Cast<YamlMappingNode>())
        {
            var objects = ((YamlSequenceNode)render["objects"]).Children.Cast<YamlMappingNode>().Select(o => new Expected(
                Text(o, "object"), Text(o, "verdict"), ((YamlSequenceNode)o["rules"]).Children.Select(r => ((YamlScalarNode)r).Value!).ToList(), Text(o, "why"))).ToList();
            var release = render.Children.TryGetValue(new YamlScalarNode("release"), out var node) && node is YamlSequenceNode list
                ? list.Children.Cast<YamlMappingNode>().Select(r => (Text(r, "claim"), Text(r, "rule"))).ToList()
                : [];
            var readErrors = render.Children.TryGetValue(new YamlScalarNode("read_errors"), out var errors) && errors is YamlSequenceNode texts
                ? texts.Children.Select(t => ((YamlScalarNode)t).Value ?? "").ToList()
                : [];
            renders.Add(new ExpectedRender(Text(render, "file"), objects, release, readErrors));
        }
        return renders;
    }

    private static string Text(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value ?? "";
}
