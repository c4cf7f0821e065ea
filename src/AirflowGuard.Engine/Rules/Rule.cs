using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Policies;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// A compiled validation rule. Each kind of rule is a subclass that knows the Airflow domain; the policy file supplies
/// its parameters, the message and the fix. What a rule looks at is its role: one pod (<see cref="PodRule"/>), a whole
/// release (<see cref="ReleaseRule"/>), or another object such as a ConfigMap (<see cref="IObjectRule"/>).
/// </summary>
public abstract class Rule
{
    public required string Name { get; init; }
    public required MessageTemplate Message { get; init; }
    public MessageTemplate? Fix { get; init; }
    public SourceLocation Location { get; init; }

    /// <summary>The YAML key of this kind of rule: "forbidVolume".</summary>
    public abstract string Kind { get; }

    /// <summary>The rule's own <c>match.components</c>, narrowing its policy's; empty: the policy's components.</summary>
    public IReadOnlySet<Airflow.AirflowComponent> Components { get; internal set; } = new HashSet<Airflow.AirflowComponent>();
}

/// <summary>A rule about one pod, or the pod template of a workload, as the engine sees it.</summary>
public abstract class PodRule : Rule
{
    internal abstract void Check(EvaluationContext context, RuleReport report);
}

/// <summary>A rule that also checks objects that are not pods (ConfigMaps, Secrets) against its policy's <c>match.kinds</c>; only <see cref="Rule"/>s implement it.</summary>
internal interface IObjectRule
{
    string Name { get; }

    void Check(Expressions.ExpressionVariables variables, string subject, string component, string kind, RuleReport report);
}

/// <summary>Turns what a rule found into <see cref="Finding"/>s stamped with the policy, rule and mode.</summary>
internal readonly struct RuleReport(Policy policy, Rule rule, List<Finding> sink)
{
    public void Violation(MessageValues values, string? path, string? assumed = null, string? overrideMessage = null) =>
        sink.Add(new Finding(policy.Name, rule.Name, policy.Mode, FindingKind.Violation, overrideMessage ?? rule.Message.Render(values))
        {
            Fix = rule.Fix?.Render(values),
            Path = path,
            Assumed = assumed,
        });

    /// <summary>True when the policy decides on assumptions: callers check it before building <see cref="MayDecideOn"/>'s message.</summary>
    public bool AcceptsAssumptions => policy.Assumptions == AssumptionMode.Accept;

    /// <summary>
    /// True when the rule may decide on something that rests on <paramref name="assumption"/> (or on
    /// nothing assumed); otherwise, under <c>assumptions: Warn</c>, the rule is reported as not checked.
    /// </summary>
    public bool MayDecideOn(string? assumption, string what, string? path)
    {
        if (assumption is null || policy.Assumptions == AssumptionMode.Accept)
        {
            return true;
        }
        Unresolved($"{what} rests on an assumption ({assumption}), and the policy says assumptions: Warn", path);
        return false;
    }

    public void Unresolved(string message, string? path) =>
        sink.Add(new Finding(policy.Name, rule.Name, policy.Mode, FindingKind.Unresolved, $"not checked: {message}") { Path = path });
}
