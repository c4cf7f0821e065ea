using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Expressions;
using AirflowGuard.Engine.Expressions.Cel;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// A rule written by the policy author in CEL (<c>validate: { expression, message, messageExpression }</c>):
/// true passes, false is a violation. The expression sees the raw <c>object</c>, <c>oldObject</c>,
/// <c>request</c> and the Airflow-aware <c>airflow</c> view the built-in rules use (see <see cref="AirflowView"/>).
/// An expression that fails to evaluate (a key that is not there, a wrong type) is reported as not checked.
/// </summary>
public sealed class ExpressionRule : PodRule, IObjectRule
{
    public static readonly IReadOnlyCollection<string> Placeholders = ["pod", "component", "kind"];

    public override string Kind => "validate";

    public required CelExpression Expression { get; init; }

    /// <summary>A CEL expression giving the message (a string); the static message when it fails.</summary>
    public CelExpression? MessageExpression { get; init; }

    internal override void Check(EvaluationContext context, RuleReport report) =>
        Check(context.Variables, context.Pod.DisplayName, context.Component.ToName(), context.Pod.SourceKind, report);

    /// <summary>Checks any object (a ConfigMap, a Secret) against the variables it was given.</summary>
    void IObjectRule.Check(ExpressionVariables variables, string subject, string component, string kind, RuleReport report) =>
        Check(variables, subject, component, kind, report);

    private void Check(ExpressionVariables variables, string subject, string component, string kind, RuleReport report)
    {
        var result = Expression.Evaluate(variables);
        if (result.IsError)
        {
            report.Unresolved($"the expression could not be evaluated on {subject}: {OneLine(result.ErrorMessage)}", null);
            return;
        }
        if (result.Kind != CelKind.Bool)
        {
            report.Unresolved($"the expression must give true or false, and gave {Describe(result)} on {subject}", null);
            return;
        }
        if (result.AsBool)
        {
            return;
        }
        var values = new MessageValues { Pod = subject, Component = component, Kind = kind };
        if (MessageExpression?.Evaluate(variables) is { Kind: CelKind.String } message && message.AsString.Length > 0)
        {
            report.Violation(values, null, overrideMessage: message.AsString);
            return;
        }
        report.Violation(values, null);
    }

    private static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }

    private static string Describe(CelValue value) => value.Kind switch
    {
        CelKind.Null => "null",
        CelKind.String => "a string",
        CelKind.Int or CelKind.Uint => "an int",
        CelKind.Double => "a double",
        CelKind.List => "a list",
        CelKind.Map => "a map",
        _ => value.Kind.ToString(),
    };
}
