using AirflowGuard.Engine.Evaluation;

namespace AirflowGuard.Engine.Rules;

/// <summary>A rule about one pod, or the pod template of a workload, as the engine sees it.</summary>
internal abstract class PodRule : Rule
{
    internal abstract void Check(EvaluationContext context, RuleReport report);
}
