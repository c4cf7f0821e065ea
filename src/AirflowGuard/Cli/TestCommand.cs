using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Mutations;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;

namespace AirflowGuard.Cli;

/// <summary>
/// <c>airflowguard test [DIR|FILE…]</c>: runs PolicyTest files — policies, resources and the result
/// each resource should get per policy and rule, or its expected patched form — and reports every
/// difference. Exit 0 when all match, 1 on any mismatch, 2 on a broken test, policy or resource.
/// </summary>
internal static class TestCommand
{
    private const string Example = """
        A PolicyTest:
          apiVersion: airflowguard.dev/v1
          kind: PolicyTest
          metadata: { name: oss-logs }
          spec:
            policies: [../../policies]          # default: the bundled pack
            resources: [manifests.yaml]        # relative to the test file
            namespace: airflow                 # for resources that name none
            results:
              - resource: Deployment/airflow/airflow-scheduler
                policy: logs-not-on-object-storage
                rule: no-fuse-logs             # optional
                result: fail                   # pass, fail, warn or skip
              - resource: Pod/airflow/etl-task
                patchedResource: etl-task-patched.yaml
        """;

    private sealed record Outcome(PolicyTestCase Test, ExpectedResult Expected, bool Passed, string Detail);

    private static readonly Argument<string[]> PathsArgument = CommonOptions.Paths("DIR|FILE", "PolicyTest files, or folders searched recursively for them (default: .)");
    private static readonly Option<string> OutputOption = CommonOptions.Output("text", "junit");

    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("test", "run PolicyTest files: expected results and patches per resource\n\n" + Example) { PathsArgument, OutputOption };
        command.SetAction(parsed => Run(parsed, output, error));
        return command;
    }

    private static int Run(ParseResult parsed, TextWriter output, TextWriter error)
    {
        var format = parsed.GetValue(OutputOption)!;
        var paths = parsed.GetValue(PathsArgument) ?? [];
        var files = TestFiles(paths.Length == 0 ? ["."] : paths, error, out var missing);
        var broken = missing;
        var tests = new List<PolicyTestCase>();
        foreach (var file in files)
        {
            var (read, errors) = PolicyTests.Read(file, File.ReadAllText(file));
            tests.AddRange(read);
            foreach (var problem in errors)
            {
                error.WriteLine(problem.ToString());
                broken++;
            }
        }
        if (tests.Count == 0 && broken == 0)
        {
            error.WriteLine("airflowguard test: no PolicyTest documents found");
            return CommandLine.UsageError;
        }

        var outcomes = new List<Outcome>();
        foreach (var test in tests)
        {
            broken += RunTest(test, outcomes, error);
        }

        if (format == "junit")
        {
            WriteJunit(outcomes, output);
        }
        else
        {
            foreach (var outcome in outcomes)
            {
                var what = outcome.Expected.Result is null
                    ? $"{outcome.Expected.Resource} patched"
                    : $"{outcome.Expected.Resource} {outcome.Expected.Policy}{(outcome.Expected.Rule is null ? "" : "/" + outcome.Expected.Rule)}";
                output.WriteLine($"{(outcome.Passed ? "PASS" : "FAIL")}  {outcome.Test.Name}: {what}{(outcome.Passed ? "" : $"  ({outcome.Expected.Location})")}");
                if (!outcome.Passed)
                {
                    foreach (var line in outcome.Detail.Split('\n'))
                    {
                        output.WriteLine($"      {line}");
                    }
                }
            }
            var failed = outcomes.Count(o => !o.Passed);
            output.WriteLine($"{outcomes.Count} result(s) in {tests.Count} test(s): {outcomes.Count - failed} passed, {failed} failed");
        }
        return broken > 0 ? CommandLine.UsageError : outcomes.Any(o => !o.Passed) ? CommandLine.Violations : CommandLine.Clean;
    }

    /// <returns>The number of errors that kept parts of the test from running.</returns>
    private static int RunTest(PolicyTestCase test, List<Outcome> outcomes, TextWriter error)
    {
        var load = test.Policies.Count == 0 ? BundledPolicies.Load() : PolicyLoader.LoadPaths(test.Policies);
        if (load.Set is not { } policies)
        {
            foreach (var problem in load.Errors)
            {
                error.WriteLine(problem.ToString());
            }
            error.WriteLine($"{test.File}: test {test.Name} not run: its policies do not load");
            return 1;
        }
        var broken = 0;
        var objects = new List<ManifestObject>();
        foreach (var resource in test.Resources)
        {
            if (!File.Exists(resource))
            {
                error.WriteLine($"{test.File}: test {test.Name}: no such resource file {resource}");
                broken++;
                continue;
            }
            var (read, errors) = ManifestBundle.Read(resource, File.ReadAllText(resource));
            objects.AddRange(read);
            foreach (var problem in errors)
            {
                error.WriteLine(problem.ToString());
                broken++;
            }
        }
        var cluster = new ManifestClusterState(objects, test.Namespace, policies.Recognition);
        foreach (var expected in test.Results)
        {
            var matches = objects.Where(o => o.EmbeddedIn is null && Identifies(expected.Resource, o, test.Namespace)).ToList();
            if (matches.Count != 1)
            {
                outcomes.Add(new Outcome(test, expected, false, matches.Count == 0
                    ? $"no resource {expected.Resource} among the test's resources"
                    : $"{matches.Count} resources match {expected.Resource}; name it as Kind/namespace/name"));
                continue;
            }
            var source = matches[0];
            var verdict = ObjectEvaluator.Evaluate(source.Json, "", policies, cluster, test.Namespace);
            if (verdict.Errors.Count > 0)
            {
                outcomes.Add(new Outcome(test, expected, false, string.Join("\n", verdict.Errors)));
                continue;
            }
            if (expected.Result is not null)
            {
                if (policies.Policies.All(p => p.Name != expected.Policy))
                {
                    outcomes.Add(new Outcome(test, expected, false, $"the test's policies have no policy {expected.Policy}"));
                    continue;
                }
                var actual = ResultOf(verdict.Decision, expected.Policy!, expected.Rule);
                outcomes.Add(new Outcome(test, expected, actual == expected.Result, $"expected {expected.Result}, got {actual}" + Because(verdict.Decision, expected)));
            }
            if (expected.PatchedResource is not null)
            {
                outcomes.Add(ComparePatched(test, expected, source, verdict.Decision));
            }
        }
        return broken;
    }

    /// <summary>pass: the policy applied and the rule found nothing; fail / warn: an Enforce / Warn violation; skip: not applied, exempted or not checkable.</summary>
    private static string ResultOf(Decision decision, string policy, string? rule)
    {
        var findings = decision.Findings.Where(f => f.Policy == policy && (rule is null || f.Rule == rule) && !f.FromMutation).ToList();
        if (findings.Any(f => f.Kind == FindingKind.Violation && f.Mode == PolicyMode.Enforce))
        {
            return "fail";
        }
        if (findings.Any(f => f.Kind == FindingKind.Violation && f.Mode == PolicyMode.Warn))
        {
            return "warn";
        }
        var exempted = decision.Exceptions.Any(e => e.Policy == policy && (e.Rules.Count == 0 || rule is null || e.Rules.Contains(rule)));
        if (!decision.PoliciesApplied.Contains(policy) || exempted || findings.Any(f => f.Kind == FindingKind.Unresolved))
        {
            return "skip";
        }
        return "pass";
    }

    private static string Because(Decision decision, ExpectedResult expected)
    {
        var findings = decision.Findings.Where(f => f.Policy == expected.Policy && (expected.Rule is null || f.Rule == expected.Rule)).ToList();
        return findings.Count == 0 ? "" : "\n" + string.Join("\n", findings.Select(f => $"{f.Rule}: {f.Message}"));
    }

    private static Outcome ComparePatched(PolicyTestCase test, ExpectedResult expected, ManifestObject source, Decision decision)
    {
        if (!File.Exists(expected.PatchedResource))
        {
            return new Outcome(test, expected, false, $"no such file {expected.PatchedResource}");
        }
        var (read, errors) = ManifestBundle.Read(expected.PatchedResource, File.ReadAllText(expected.PatchedResource));
        if (errors.Count > 0 || read.Count != 1)
        {
            return new Outcome(test, expected, false, errors.Count > 0 ? string.Join("\n", errors) : $"{expected.PatchedResource} must hold exactly one object");
        }
        var actual = JsonNode.Parse(source.Json.GetRawText())!;
        PatchApplier.Apply(actual, decision.Patch);
        var wanted = JsonNode.Parse(read[0].Json.GetRawText())!;
        if (JsonNode.DeepEquals(actual, wanted))
        {
            return new Outcome(test, expected, true, "");
        }
        var differences = new List<string>();
        Diff(wanted, actual, "", differences);
        return new Outcome(test, expected, false, "the patched resource differs (- expected, + actual):\n" + string.Join("\n", differences.Take(40)));
    }

    private static void Diff(JsonNode? wanted, JsonNode? actual, string path, List<string> lines)
    {
        switch (wanted, actual)
        {
            case (JsonObject w, JsonObject a):
                foreach (var key in w.Select(p => p.Key).Union(a.Select(p => p.Key)))
                {
                    Diff(w[key], a[key], $"{path}/{JsonPointer.Escape(key)}", lines);
                }
                break;
            case (JsonArray w, JsonArray a):
                for (var i = 0; i < Math.Max(w.Count, a.Count); i++)
                {
                    Diff(i < w.Count ? w[i] : null, i < a.Count ? a[i] : null, $"{path}/{i}", lines);
                }
                break;
            default:
                if (!JsonNode.DeepEquals(wanted, actual))
                {
                    if (wanted is not null)
                    {
                        lines.Add($"- {path}: {wanted.ToJsonString()}");
                    }
                    if (actual is not null)
                    {
                        lines.Add($"+ {path}: {actual.ToJsonString()}");
                    }
                }
                break;
        }
    }

    /// <summary>"Kind/name" or "Kind/namespace/name".</summary>
    private static bool Identifies(string resource, ManifestObject obj, string defaultNamespace)
    {
        var parts = resource.Split('/');
        var metadata = obj.Json.TryGetProperty("metadata", out var m) ? m : default;
        var name = metadata.ValueKind == System.Text.Json.JsonValueKind.Object && metadata.TryGetProperty("name", out var n) ? n.GetString() : null;
        var @namespace = metadata.ValueKind == System.Text.Json.JsonValueKind.Object && metadata.TryGetProperty("namespace", out var ns) ? ns.GetString() : defaultNamespace;
        return parts.Length switch
        {
            2 => parts[0] == obj.Kind && parts[1] == name,
            3 => parts[0] == obj.Kind && parts[1] == @namespace && parts[2] == name,
            _ => false,
        };
    }

    private static List<string> TestFiles(IReadOnlyList<string> paths, TextWriter error, out int missing)
    {
        missing = 0;
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*.yaml", SearchOption.AllDirectories)
                    .Concat(Directory.EnumerateFiles(path, "*.yml", SearchOption.AllDirectories))
                    .Where(f => File.ReadAllText(f).Contains("kind: PolicyTest", StringComparison.Ordinal))
                    .Order(StringComparer.Ordinal));
            }
            else
            {
                error.WriteLine($"{path}: no such file or folder");
                missing++;
            }
        }
        return files;
    }

    private static void WriteJunit(List<Outcome> outcomes, TextWriter output)
    {
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("testsuites");
            foreach (var group in outcomes.GroupBy(o => o.Test))
            {
                xml.WriteStartElement("testsuite");
                xml.WriteAttributeString("name", group.Key.Name);
                xml.WriteAttributeString("tests", group.Count().ToString(CultureInfo.InvariantCulture));
                xml.WriteAttributeString("failures", group.Count(o => !o.Passed).ToString(CultureInfo.InvariantCulture));
                foreach (var outcome in group)
                {
                    xml.WriteStartElement("testcase");
                    xml.WriteAttributeString("classname", group.Key.File);
                    xml.WriteAttributeString("name", outcome.Expected.Result is null
                        ? $"{outcome.Expected.Resource} patched"
                        : $"{outcome.Expected.Resource} {outcome.Expected.Policy}{(outcome.Expected.Rule is null ? "" : "/" + outcome.Expected.Rule)} = {outcome.Expected.Result}");
                    if (!outcome.Passed)
                    {
                        xml.WriteStartElement("failure");
                        xml.WriteAttributeString("message", outcome.Detail.Split('\n')[0]);
                        xml.WriteString(outcome.Detail);
                        xml.WriteEndElement();
                    }
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
