using System.Text.Json;
using System.Text.Json.Nodes;
using AirflowGuard.Engine.Export;
using AirflowGuard.Engine.Expressions.Cel;

namespace AirflowGuard.Cli.Tests.Export;

/// <summary>
/// A ValidatingAdmissionPolicy run the way the API server runs it (KEP-3488): the object's resource against
/// <c>matchConstraints.resourceRules</c>, then every <c>matchCondition</c>, then the <c>variables</c> in order (each may
/// read the ones before it), then each validation; expressions evaluated with the project's CEL over the variables
/// the API server gives them (<c>object</c>, <c>oldObject</c>, <c>request</c>, <c>variables</c>).
/// </summary>
internal sealed class ApiServerEvaluation
{
    private static readonly Dictionary<string, string> Resources = new(StringComparer.Ordinal)
    {
        ["Pod"] = "pods",
        ["PodTemplate"] = "podtemplates",
        ["ReplicationController"] = "replicationcontrollers",
        ["Deployment"] = "deployments",
        ["StatefulSet"] = "statefulsets",
        ["DaemonSet"] = "daemonsets",
        ["ReplicaSet"] = "replicasets",
        ["Job"] = "jobs",
        ["CronJob"] = "cronjobs",
        ["ConfigMap"] = "configmaps",
        ["Secret"] = "secrets",
    };

    private readonly JsonObject _policy;
    private readonly List<(string Name, CelProgram Program)> _variables = [];
    private readonly List<CelProgram> _conditions = [];

    public ApiServerEvaluation(JsonObject policy)
    {
        _policy = policy;
        foreach (var condition in policy["spec"]!["matchConditions"] as JsonArray ?? [])
        {
            _conditions.Add(AdmissionPolicyExport.Environment.Compile((string)condition!["expression"]!));
        }
        foreach (var variable in policy["spec"]!["variables"] as JsonArray ?? [])
        {
            _variables.Add(((string)variable!["name"]!, AdmissionPolicyExport.Environment.Compile((string)variable["expression"]!)));
        }
        Validations = [.. policy["spec"]!["validations"]!.AsArray().Select(v => (
            Rule: ((string)v!["message"]!).Split(':')[0].Split('/')[1],
            Program: AdmissionPolicyExport.Environment.Compile((string)v["expression"]!)))];
    }

    public string PolicyName => (string)_policy["metadata"]!["labels"]!["airflowguard.dev/policy"]!;

    public IReadOnlyList<(string Rule, CelProgram Program)> Validations { get; }

    /// <summary>What the API server decides for the object: null when the policy does not match it, else each validation's value.</summary>
    public Outcome? Evaluate(JsonObject obj, string @namespace, string operation = "CREATE")
    {
        if (!Resources.TryGetValue((string?)obj["kind"] ?? "", out var resource) ||
            !_policy["spec"]!["matchConstraints"]!["resourceRules"]!.AsArray().Any(r => r!["resources"]!.AsArray().Any(x => (string?)x == resource)))
        {
            return null;
        }
        using var document = JsonDocument.Parse(obj.ToJsonString());
        var request = new CelMapLiteral();
        request.Add(CelValue.String("operation"), CelValue.String(operation));
        request.Add(CelValue.String("namespace"), CelValue.String(@namespace));
        request.Add(CelValue.String("name"), CelValue.String((string?)obj["metadata"]?["name"] ?? ""));
        request.Add(CelValue.String("dryRun"), CelValue.False);
        var variables = new CelMapLiteral();
        var activation = CelActivation.Of(CelJson.From(document.RootElement), CelValue.Null, CelValue.Map(request), CelValue.Map(variables));
        foreach (var condition in _conditions)
        {
            var matched = condition.Evaluate(activation);
            Assert.False(matched.IsError, $"{PolicyName}: a match condition failed: {matched.ErrorMessage}");
            if (!matched.AsBool)
            {
                return null;
            }
        }
        var values = new Dictionary<string, CelValue>(StringComparer.Ordinal);
        foreach (var (name, program) in _variables)
        {
            var value = program.Evaluate(activation);
            values[name] = value;
            variables.Add(CelValue.String(name), value);
        }
        return new Outcome(values, [.. Validations.Select(v => (v.Rule, Result(v.Program.Evaluate(activation))))]);
    }

    private static string Result(CelValue value) =>
        value.IsError ? "error" : value.Kind == CelKind.Bool ? (value.AsBool ? "pass" : "fail") : "error";

    /// <summary>The variables' values and each validation's result: pass, fail or error.</summary>
    public sealed record Outcome(IReadOnlyDictionary<string, CelValue> Variables, IReadOnlyList<(string Rule, string Result)> Results)
    {
        public bool Applies => Variables["applies"] is { Kind: CelKind.Bool, AsBool: true };

        public string? Component => Variables.TryGetValue("component", out var component) ? (component.IsError ? "error: " + component.ErrorMessage : component.AsString) : null;
    }
}
