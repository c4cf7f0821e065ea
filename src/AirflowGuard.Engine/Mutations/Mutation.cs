using AirflowGuard.Engine.Evaluation;
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
