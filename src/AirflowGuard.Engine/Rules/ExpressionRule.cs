using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Expressions;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// A rule written by the policy author in CEL (<c>validate: { expression, message, messageExpression }</c>):
/// true passes, false is a violation. The expression sees the raw <c>object</c>, <c>oldObject</c>,
/// <c>request</c> and the Airflow-aware <c>airflow</c> view the built-in rules use (see <see cref="AirflowView"/>).
/// An expression that fails to evaluate (a key that is not there, a wrong type) is reported as not checked.
/// </summary>
public sealed class ExpressionRule : Rule
{
    public static readonly IReadOnlyCollection<string> Placeholders = ["pod", "component", "kind"];

    public override string Kind => "validate";

    public required CelExpression Expression { get; init; }

    /// <summary>A CEL expression giving the message (a string); the static message when it fails.</summary>
    public CelExpression? MessageExpression { get; init; }

    internal override void Check(EvaluationContext context, RuleReport report) =>
        Check(context.Variables, context.Pod.DisplayName, context.Component.ToName(), context.Pod.SourceKind, report);

    /// <summary>Checks any object (a ConfigMap, a Secret) against the variables it was given.</summary>
    internal void Check(ExpressionVariables variables, string subject, string component, string kind, RuleReport report)
    {
        var result = Expression.Evaluate(variables.Values, out var error);
        if (error is not null)
        {
            report.Unresolved($"the expression could not be evaluated on {subject}: {error}", null);
            return;
        }
        if (result is not bool passed)
        {
            report.Unresolved($"the expression must give true or false, and gave {Describe(result)} on {subject}", null);
            return;
        }
        if (passed)
        {
            return;
        }
        var values = new MessageValues { Pod = subject, Component = component, Kind = kind };
        if (MessageExpression?.Evaluate(variables.Values, out _) is string message && message.Length > 0)
        {
            report.Violation(values, null, overrideMessage: message);
            return;
        }
        report.Violation(values, null);
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string => "a string",
        long or ulong => "an int",
        double => "a double",
        _ => value.GetType().Name,
    };
}
