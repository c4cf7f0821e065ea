using AirflowGuard.Engine.Airflow;
using AirflowGuard.Engine.Evaluation;
using AirflowGuard.Engine.Expressions;
using AirflowGuard.Engine.Expressions.Cel;
using AirflowGuard.Engine.Policies;
using AirflowGuard.Engine.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Rules;

/// <summary>
/// A rule written by the policy author in CEL (<c>validate: { expression, message, messageExpression }</c>):
/// true passes, false is a violation. The expression sees the raw <c>object</c>, <c>oldObject</c>,
/// <c>request</c> and the Airflow-aware <c>airflow</c> view the built-in rules use (see <see cref="AirflowView"/>).
/// An expression that fails to evaluate (a key that is not there, a wrong type) is reported as not checked.
/// </summary>
internal sealed class ExpressionRule : PodRule, IObjectRule
{
    internal static RuleKind Definition { get; } = new("validate", "a CEL expression over object, oldObject, request and the airflow view")
    {
        ApiServerGap = null,
        Placeholders = ["pod", "component", "kind"],
        BodySchema = """
            {
              "description": "a CEL expression over object, oldObject, request and the airflow view; true passes, false is a violation",
              "type": "object",
              "additionalProperties": false,
              "required": [
                "expression"
              ],
              "properties": {
                "expression": {
                  "type": "string",
                  "minLength": 1
                },
                "message": {
                  "$ref": "#/definitions/message"
                },
                "messageExpression": {
                  "type": "string",
                  "minLength": 1
                }
              }
            }
            """,
        Read = Read,
    };

    public override string Kind => Definition.Key;

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

    /// <summary>
    /// Reads <c>validate: { expression, message, messageExpression }</c>. Expressions are parsed and compiled here, once,
    /// when the policy loads; an error points at the expression's line and column in the policy file, with a caret under
    /// the place.
    /// </summary>
    private static ExpressionRule? Read(KindBody body)
    {
        var reader = body.Reader;
        var map = body.Map("expression", "message", "messageExpression");
        if (map is null)
        {
            return null;
        }
        var expression = Compile(reader, map, "expression", required: true);
        var messageExpression = Compile(reader, map, "messageExpression", required: false);
        // the message may be written inside validate, as ValidatingAdmissionPolicy writes it, or beside it as other rules do
        var message = map.Has("message") ? body.Template("message", null, within: map)! : body.Template("message", $"rule {body.Name}: the expression is false")!;
        return expression is null ? null : new ExpressionRule
        {
            Name = body.Name,
            Location = body.Location,
            Expression = expression,
            MessageExpression = messageExpression,
            Message = message,
            Fix = body.Fix(),
        };
    }

    private static CelExpression? Compile(YamlNodeReader reader, MapNode map, string key, bool required)
    {
        var text = map.String(key, required);
        if (text is null)
        {
            return null;
        }
        var node = (YamlScalarNode)map.Get(key)!;
        var keyNode = map.Node.Children.Keys.OfType<YamlScalarNode>().First(k => k.Value == key);
        var compiled = CelExpression.Compile(text, out var error);
        if (error is { } e)
        {
            var (line, column) = PlaceInFile(node, keyNode, e.Line, e.Column);
            reader.Error(line, column, $"{key}: {e.Message}\n{Caret(text, e.Line, e.Column)}");
            return null;
        }
        var wanted = required ? CelKind.Bool : CelKind.String;
        if (compiled!.ResultType.Kind is { } kind && kind != wanted)
        {
            var (line, column) = PlaceInFile(node, keyNode, 1, 1);
            reader.Error(line, column, $"{key}: gives {compiled.ResultType}, and must give {(required ? "true or false (a bool)" : "a string")}\n{Caret(text, 1, 1)}");
            return null;
        }
        return compiled;
    }

    /// <summary>Where a place in the expression text lies in the policy file.</summary>
    private static (int Line, int Column) PlaceInFile(YamlScalarNode node, YamlScalarNode key, int line, int column)
    {
        if (node.Style is ScalarStyle.Literal or ScalarStyle.Folded)
        {
            // the content starts on the line after the indicator, indented (as usual) two columns past the key
            return ((int)node.Start.Line + line, (int)key.Start.Column + 2 + column - 1);
        }
        var quote = node.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? 1 : 0;
        return line == 1 ? ((int)node.Start.Line, (int)node.Start.Column + quote + column - 1) : ((int)node.Start.Line + line - 1, column);
    }

    private static string Caret(string text, int line, int column)
    {
        var lines = text.Split('\n');
        var source = line >= 1 && line <= lines.Length ? lines[line - 1] : text;
        return $"    {source}\n    {new string(' ', Math.Max(0, Math.Min(column - 1, source.Length)))}^";
    }
}
