using System.Text.RegularExpressions;
using Cel;

namespace AirflowGuard.Engine.Expressions;

/// <summary>
/// One CEL expression, parsed and compiled once when its policy loads, evaluated per object against
/// the variables <c>object</c>, <c>oldObject</c>, <c>request</c> and <c>airflow</c>. Uses the Cel
/// package (telus-oss/cel-net), a C# implementation of the CEL spec.
/// </summary>
public sealed partial class CelExpression
{
    private static readonly Lazy<CelEnvironment> Environment = new(() => new CelEnvironment(null, null));
    private static readonly Lock CompileLock = new();

    private readonly Func<IDictionary<string, object?>, object?> _program;

    private CelExpression(string text, Func<IDictionary<string, object?>, object?> program)
    {
        Text = text;
        _program = program;
    }

    public string Text { get; }

    /// <summary>Compiles <paramref name="text"/>; on a syntax error, or a function or macro CEL does not have, returns null and where (1-based line and column in the expression) and why.</summary>
    public static CelExpression? Compile(string text, out (int Line, int Column, string Message)? error)
    {
        error = null;
        try
        {
            Func<IDictionary<string, object?>, object?> program;
            lock (CompileLock) // the environment is shared; compile is rare (policy load)
            {
                var compiled = Environment.Value.Compile(text);
                program = variables => compiled(variables);
            }
            return new CelExpression(text, program);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            error = Locate(ex.Message);
            return null;
        }
    }

    /// <summary>Evaluates the expression; a CEL evaluation error (no such key, no such overload) comes back as a message, never an exception.</summary>
    public object? Evaluate(IDictionary<string, object?> variables, out string? error)
    {
        error = null;
        try
        {
            return _program(variables);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not InsufficientExecutionStackException)
        {
            error = OneLine(ex.Message);
            return null;
        }
    }

    /// <summary>"Line 1:49 mismatched input …" from the parser: the place, and the rest as the message.</summary>
    private static (int Line, int Column, string Message) Locate(string message)
    {
        var match = ParserPosition().Match(message);
        return match.Success
            ? (int.Parse(match.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture),
               int.Parse(match.Groups[2].ValueSpan, System.Globalization.CultureInfo.InvariantCulture) + 1,
               OneLine(message[match.Length..].Trim()))
            : (1, 1, OneLine(message));
    }

    private static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }

    [GeneratedRegex(@"^Line (\d+):(\d+)")]
    private static partial Regex ParserPosition();
}
