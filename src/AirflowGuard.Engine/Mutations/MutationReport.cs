using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Engine.Mutations;

/// <summary>Lets a mutation say that it held back, and why (the change is then not made).</summary>
internal readonly struct MutationReport(Policy policy, string mutation, List<Finding> sink)
{
    public void Skipped(string message, string? path) =>
        sink.Add(new Finding(policy.Name, mutation, policy.Mode, FindingKind.Unresolved, $"not mutated: {message}") { Path = path, FromMutation = true });
}
