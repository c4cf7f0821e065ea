using AirflowGuard.Engine.Expressions;
using AirflowGuard.Engine.Expressions.Cel;
using AirflowGuard.Engine.Rules;
using AirflowGuard.Engine.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AirflowGuard.Engine.Policies;

/// <summary>
/// Reads <c>validate: { expression, message, messageExpression }</c>. Expressions are parsed and
/// compiled here, once, when the policy loads; an error points at the expression's line and column in
/// the policy file, with a caret under the place.
/// </summary>
internal static class ExpressionRuleReader
{
    public static Rule? Read(YamlNodeReader reader, MapNode rule, YamlNode body, string name, SourceLocation location)
    {
        var map = reader.Map(body, "validate", "expression", "message", "messageExpression");
        if (map is null)
        {
            return null;
        }
        var expression = Compile(reader, map, "expression", required: true);
        var messageExpression = Compile(reader, map, "messageExpression", required: false);
        var messageText = map.String("message") ?? rule.String("message") ?? $"rule {name}: the expression is false";
        var message = MessageTemplate.Parse(messageText.Trim(), ExpressionRule.Placeholders, out var error);
        if (error is not null)
        {
            reader.Error(map.Get("message") ?? rule.Get("message") ?? map.Node, $"message: {error}");
        }
        return expression is null ? null : new ExpressionRule
        {
            Name = name,
            Location = location,
            Expression = expression,
            MessageExpression = messageExpression,
            Message = message,
            Fix = RuleReader.Message(reader, rule, "fix", ExpressionRule.Placeholders, null),
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
