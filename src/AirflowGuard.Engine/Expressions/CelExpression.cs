using AirflowGuard.Engine.Expressions.Cel;

namespace AirflowGuard.Engine.Expressions;

/// <summary>
/// One CEL expression of a policy, parsed, checked and compiled to closures once when its policy loads
/// (AirflowGuard's own CEL, <see cref="Cel"/>), evaluated per object against the variables
/// <c>object</c>, <c>oldObject</c>, <c>request</c> and <c>airflow</c>.
/// </summary>
internal sealed class CelExpression
{
    /// <summary>The variables policy expressions see, with what the checker knows of them.</summary>
    public static readonly CelEnvironment Environment = new CelEnvironment()
        .Declare("object", CelStaticType.Dyn)
        .Declare("oldObject", CelStaticType.Dyn)
        .Declare("request", CelStaticType.ObjectOf(ExpressionRequestView.Type))
        .Declare("airflow", CelStaticType.ObjectOf(AirflowView.Type));

    private readonly CelProgram _program;

    private CelExpression(CelProgram program) => _program = program;

    public string Text => _program.Text;

    /// <summary>The result type as far as the checker knows it (<see cref="CelStaticType.Dyn"/> when only evaluation tells).</summary>
    public CelStaticType ResultType => _program.Type;

    /// <summary>The checker's static cost estimate (see <see cref="CelProgram.EstimatedCost"/>).</summary>
    public double EstimatedCost => _program.EstimatedCost;

    /// <summary>Compiles <paramref name="text"/>; on a syntax or check error returns null and where (1-based line and column in the expression) and why.</summary>
    public static CelExpression? Compile(string text, out (int Line, int Column, string Message)? error)
    {
        try
        {
            error = null;
            return new CelExpression(Environment.Compile(text));
        }
        catch (CelSyntaxException ex)
        {
            error = Locate(text, ex.Offset, ex.Message);
            return null;
        }
    }

    /// <summary>Evaluates the expression; an evaluation error (no such key, no such overload, the cost limit) is an error value, never an exception.</summary>
    public CelValue Evaluate(ExpressionVariables variables) => _program.Evaluate(variables);

    /// <summary>The 1-based line and column of an offset in the text.</summary>
    private static (int Line, int Column, string Message) Locate(string text, int offset, string message)
    {
        offset = Math.Clamp(offset, 0, text.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return (line, offset - lineStart + 1, message);
    }
}
