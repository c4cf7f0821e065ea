using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Tests.Support;

namespace AirflowGuard.Engine.Tests;

/// <summary>What the rule kinds' tests share: one policy with one rule of the kind, and the findings it gives an object.</summary>
internal static class RuleKindTest
{
    /// <summary>A policy holding one rule, written as a policy author writes it.</summary>
    public static PolicySet Policy(string rule, string mode = "Enforce") => Packs.FromYaml($$"""
        apiVersion: airflowguard.dev/v1
        kind: AirflowPolicy
        metadata: { name: p }
        spec:
          mode: {{mode}}
          rules:
            - {{rule}}
        """);

    /// <summary>The findings of the policy's rule on the object of that kind and name in a seed.</summary>
    public static IReadOnlyList<Finding> Findings(PolicySet policy, string seed, string kind, string name) =>
        Bundle.Seed(seed).Verdict(policy, kind, name).Decision.Findings;

    /// <summary>The loader's errors for a policy with that rule.</summary>
    public static IReadOnlyList<PolicyError> Errors(string rule) =>
        PolicyLoader.LoadText("p.yaml", $"apiVersion: airflowguard.dev/v1\nkind: AirflowPolicy\nmetadata: {{ name: p }}\nspec:\n  rules:\n    - {rule}\n").Errors;
}
