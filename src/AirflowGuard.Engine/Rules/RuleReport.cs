using AirflowGuard.Engine.Charts;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Kubernetes;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Engine.Rules;

/// <summary>Turns what a rule found into <see cref="Finding"/>s stamped with the policy, rule and mode.</summary>
internal readonly struct RuleReport(Policy policy, Rule rule, List<Finding> sink)
{
    /// <param name="remedy">What repairs it, whatever chart rendered the object: the engine turns it into the chart's values keys.</param>
    public void Violation(MessageValues values, JsonPlace path, string? assumed = null, string? overrideMessage = null, Remedy? remedy = null) =>
        sink.Add(new Finding(policy.Name, rule.Name, policy.Mode, FindingKind.Violation, overrideMessage ?? rule.Message.Render(values))
        {
            Fix = rule.Fix?.Render(values),
            Place = path,
            Assumed = assumed,
            Remedy = remedy,
        });

    /// <summary>True when the policy decides on assumptions: callers check it before building <see cref="MayDecideOn"/>'s message.</summary>
    public bool AcceptsAssumptions => policy.Assumptions == AssumptionMode.Accept;

    /// <summary>
    /// True when the rule may decide on something that rests on <paramref name="assumption"/> (or on
    /// nothing assumed); otherwise, under <c>assumptions: Warn</c>, the rule is reported as not checked.
    /// </summary>
    public bool MayDecideOn(string? assumption, string what, JsonPlace path)
    {
        if (assumption is null || policy.Assumptions == AssumptionMode.Accept)
        {
            return true;
        }
        Unresolved($"{what} rests on an assumption ({assumption}), and the policy says assumptions: Warn", path);
        return false;
    }

    public void Unresolved(string message, JsonPlace path) =>
        sink.Add(new Finding(policy.Name, rule.Name, policy.Mode, FindingKind.Unresolved, $"not checked: {message}") { Place = path });
}
