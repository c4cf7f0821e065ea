using System.CommandLine;
using System.Text.Json.Nodes;
using AirflowGuard.Checking;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;
using AirflowGuard.Reports;

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
        var sources = new List<ManifestSource>();
        foreach (var resource in test.Resources)
        {
            if (!File.Exists(resource))
            {
                error.WriteLine($"{test.File}: test {test.Name}: no such resource file {resource}");
                broken++;
                continue;
            }
            sources.Add(ManifestSource.FromFile(resource, resource));
        }
        // the resources are checked as check checks a release: the same pipeline, release-wide rules included
        var report = new ManifestCheck(policies, test.Namespace)
        {
            KeepObjects = true,
            OnProblem = problem => error.WriteLine(problem.Text),
        }.Run(sources);
        broken += report.ReadErrors;
        foreach (var expected in test.Results)
        {
            var matches = report.Objects.Where(o => o.Source.EmbeddedIn is null && Identifies(expected.Resource, o.Source, test.Namespace)).ToList();
            if (matches.Count != 1)
            {
                outcomes.Add(new Outcome(test, expected, false, matches.Count == 0
                    ? $"no resource {expected.Resource} among the test's resources"
                    : $"{matches.Count} resources match {expected.Resource}; name it as Kind/namespace/name"));
                continue;
            }
            var check = matches[0];
            if (check.Verdict is not { Errors.Count: 0 } verdict)
            {
                outcomes.Add(new Outcome(test, expected, false, check.Problem ?? string.Join("\n", check.Verdict!.Errors)));
                continue;
            }
            if (expected.Result is not null)
            {
                if (policies.Policies.All(p => p.Name != expected.Policy))
                {
                    outcomes.Add(new Outcome(test, expected, false, $"the test's policies have no policy {expected.Policy}"));
                    continue;
                }
                var decision = WithRelease(verdict.Decision, check.Source, report, test.Namespace);
                var actual = ResultOf(decision, expected.Policy!, expected.Rule);
                outcomes.Add(new Outcome(test, expected, actual == expected.Result, $"expected {expected.Result}, got {actual}" + Because(decision, expected)));
            }
            if (expected.PatchedResource is not null)
            {
                outcomes.Add(ComparePatched(test, expected, check.Source, verdict.Decision));
            }
        }
        return broken;
    }

    /// <summary>A claim's own decision with what the release-wide rules decided about it: reports put those findings on the claim.</summary>
    private static Decision WithRelease(Decision decision, ManifestObject source, CheckReport report, string defaultNamespace)
    {
        if (source.Kind != "PersistentVolumeClaim" || Name(source, defaultNamespace) is not ({ } @namespace, { } name) ||
            report.Release.FirstOrDefault(r => r.Namespace == @namespace && r.Claim == name) is not { } release)
        {
            return decision;
        }
        return decision with
        {
            Findings = [.. decision.Findings, .. release.Decision.Findings],
            Exceptions = [.. decision.Exceptions, .. release.Decision.Exceptions],
            PoliciesApplied = [.. decision.PoliciesApplied.Union(release.Decision.PoliciesApplied)],
        };
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
        JsonNode actual;
        try
        {
            actual = PatchedObject.Of(source, decision.Patch);
        }
        catch (InvalidOperationException ex)
        {
            return new Outcome(test, expected, false, $"AirflowGuard could not apply its own patch ({ex.Message}); please report it");
        }
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
        var (@namespace, name) = Name(obj, defaultNamespace);
        return parts.Length switch
        {
            2 => parts[0] == obj.Kind && parts[1] == name,
            3 => parts[0] == obj.Kind && parts[1] == @namespace && parts[2] == name,
            _ => false,
        };
    }

    /// <summary>The object's namespace (the test's when it names none) and name.</summary>
    private static (string? Namespace, string? Name) Name(ManifestObject obj, string defaultNamespace)
    {
        var metadata = obj.Json.TryGetProperty("metadata", out var m) ? m : default;
        var name = metadata.ValueKind == System.Text.Json.JsonValueKind.Object && metadata.TryGetProperty("name", out var n) ? n.GetString() : null;
        var @namespace = metadata.ValueKind == System.Text.Json.JsonValueKind.Object && metadata.TryGetProperty("namespace", out var ns) ? ns.GetString() : defaultNamespace;
        return (@namespace, name);
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

    private static void WriteJunit(List<Outcome> outcomes, TextWriter output) =>
        JunitWriter.Write(outcomes.GroupBy(o => o.Test).Select(group => new JunitSuite(
            group.Key.Name,
            [.. group.Select(outcome => new JunitCase(
                group.Key.File,
                outcome.Expected.Result is null
                    ? $"{outcome.Expected.Resource} patched"
                    : $"{outcome.Expected.Resource} {outcome.Expected.Policy}{(outcome.Expected.Rule is null ? "" : "/" + outcome.Expected.Rule)} = {outcome.Expected.Result}",
                outcome.Passed ? [] : [new JunitFailure(null, outcome.Detail.Split('\n')[0], outcome.Detail)]))],
            group.Count(o => !o.Passed))), output);
}
