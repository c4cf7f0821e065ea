using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Tests.Support;

namespace AirflowGuard.Engine.Tests;

/// <summary>The release-wide rules' decisions over a whole manifest file, as check runs them.</summary>
internal static class ReleaseRuleTest
{
    public static IReadOnlyList<ReleaseDecision> Decisions(string rule, string file) =>
        PolicyEngine.EvaluateRelease(RuleKindTest.Policy(rule, mode: "Warn"), Bundle.FromFile(file).Cluster);

    public static string Release(string name) => Repo.Path("examples", "release", name);
}
