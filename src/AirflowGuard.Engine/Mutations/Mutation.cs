using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Engine.Mutations;

/// <summary>
/// A compiled mutation. Each checks whether its change is already there before asking for it,
/// which is what makes a second run (API server reinvocation) produce an empty patch.
/// </summary>
public abstract class Mutation
{
    /// <summary>The YAML key of this kind of mutation: "setEnv".</summary>
    public abstract string Kind { get; }

    public SourceLocation Location { get; init; }

    internal abstract void Apply(EvaluationContext context, PodEdits edits, MutationReport report);
}

/// <summary>Which containers a mutation changes.</summary>
public sealed record ContainerTarget(ContainerTargetKind Kind, IReadOnlyList<Glob> Names, bool IncludeInit)
{
    public static ContainerTarget AirflowOnly { get; } = new(ContainerTargetKind.Airflow, [], false);

    public IEnumerable<ContainerView> Select(EvaluationContext context)
    {
        IEnumerable<ContainerView> containers = IncludeInit ? context.Pod.AllContainers : context.Pod.Containers;
        foreach (var container in containers)
        {
            var selected = Kind switch
            {
                ContainerTargetKind.Airflow => context.RoleOf(container) == Airflow.ContainerRole.Airflow,
                ContainerTargetKind.All => true,
                _ => Glob.AnyMatch(Names, container.Name),
            };
            if (selected)
            {
                yield return container;
            }
        }
    }
}

public enum ContainerTargetKind
{
    Airflow,
    All,
    Named,
}

/// <summary>Lets a mutation say that it held back, and why (the change is then not made).</summary>
internal readonly struct MutationReport(Policy policy, string mutation, List<Finding> sink)
{
    public void Skipped(string message, string? path) =>
        sink.Add(new Finding(policy.Name, mutation, policy.Mode, FindingKind.Unresolved, $"not mutated: {message}") { Path = path, FromMutation = true });
}
