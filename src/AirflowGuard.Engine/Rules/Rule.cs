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
