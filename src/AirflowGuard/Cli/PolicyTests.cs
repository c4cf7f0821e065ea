using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Cli;

/// <summary>
/// Reads PolicyTest documents (<c>kind: PolicyTest</c>), in the spirit of <c>kyverno test</c> and
/// <c>gator verify</c>. Paths inside a test are relative to the test file; every mistake is reported
/// with file:line:column.
/// </summary>
internal static class PolicyTests
{
    public static readonly string[] Results = ["pass", "fail", "warn", "skip"];

    public static (List<PolicyTestCase> Tests, IReadOnlyList<PolicyError> Errors) Read(string file, string text)
    {
        var reader = new YamlNodeReader(file);
        var tests = new List<PolicyTestCase>();
        var stream = YamlText.Load(text, out var syntaxError);
        if (stream is null)
        {
            reader.Error(syntaxError!.Value.Line, syntaxError.Value.Column, syntaxError.Value.Message);
            return (tests, reader.Errors);
        }
        var folder = Path.GetDirectoryName(file) ?? ".";
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is YamlScalarNode { Value: null or "" })
            {
                continue;
            }
            var root = reader.Map(document.RootNode, "the document", "apiVersion", "kind", "metadata", "spec");
            if (root is null || root.String("kind") != "PolicyTest")
            {
                continue; // policies may live beside their tests
            }
            if (root.String("apiVersion", required: true) is { } apiVersion && apiVersion != PolicyLoader.ApiVersion)
            {
                reader.Error(root.Get("apiVersion")!, $"apiVersion must be {PolicyLoader.ApiVersion}, found \"{apiVersion}\"");
            }
            var name = reader.Map(root.Get("metadata"), "metadata", "name", "description")?.String("name", required: true) ?? "(unnamed)";
            var spec = reader.Map(root.Get("spec"), "spec", "policies", "resources", "namespace", "results");
            if (spec is null)
            {
                reader.Error(root.Node, "a PolicyTest needs a spec with resources and results");
                continue;
            }
            var results = new List<ExpectedResult>();
            foreach (var node in spec.List("results", required: true))
            {
                var map = reader.Map(node, "a result", "resource", "policy", "rule", "result", "patchedResource");
                if (map?.String("resource", required: true) is not { } resource)
                {
                    continue;
                }
                var result = map.String("result");
                if (result is not null && !Results.Contains(result))
                {
                    reader.Error(map.Get("result")!, $"result must be pass, fail, warn or skip, found \"{result}\"");
                }
                var patched = map.String("patchedResource");
                if (result is null && patched is null)
                {
                    reader.Error(map.Node, "a result needs result (with policy) or patchedResource");
                }
                if (result is not null && !map.Has("policy"))
                {
                    reader.Error(map.Node, "a result with result: needs the policy it is about");
                }
                results.Add(new ExpectedResult(resource, map.String("policy"), map.String("rule"), result,
                    patched is null ? null : Path.Combine(folder, patched), reader.Location(map.Node)));
            }
            tests.Add(new PolicyTestCase(
                name,
                file,
                spec.StringList("policies").Select(p => Path.Combine(folder, p.Value)).ToList(),
                spec.StringList("resources", required: true).Select(r => Path.Combine(folder, r.Value)).ToList(),
                spec.String("namespace") ?? "default",
                results));
        }
        return (tests, reader.Errors);
    }
}
