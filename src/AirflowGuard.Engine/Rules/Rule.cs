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
    public IReadOnlySet<Airflow.AirflowComponent> Components
    {
        get;
        internal set
        {
            field = value;
            _components = Airflow.ComponentMask.Of(value);
        }
    } = new HashSet<Airflow.AirflowComponent>();

    private uint _components; // Components as bits, for AppliesTo

    /// <summary>Whether the rule checks pods of <paramref name="component"/> (its policy matching them): no <c>match.components</c> of its own, or one that names it.</summary>
    internal bool AppliesTo(Airflow.AirflowComponent component) => _components == 0 || (_components & Airflow.ComponentMask.Bit(component)) != 0;
}
