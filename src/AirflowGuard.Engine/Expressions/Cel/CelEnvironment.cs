namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>The variables an expression may name, each with its index in the activation and its static type.</summary>
public sealed class CelEnvironment
{
    private readonly Dictionary<string, (int Index, CelStaticType Type)> _variables = new(StringComparer.Ordinal);

    /// <summary>Declares a variable; its index is the order of declaration.</summary>
    public CelEnvironment Declare(string name, CelStaticType type)
    {
        _variables[name] = (_variables.Count, type);
        return this;
    }

    public bool TryGetVariable(string name, out int index, out CelStaticType type)
    {
        if (_variables.TryGetValue(name, out var variable))
        {
            (index, type) = variable;
            return true;
        }
        index = -1;
        type = CelStaticType.Dyn;
        return false;
    }

    public IEnumerable<string> VariableNames => _variables.Keys;

    /// <summary>
    /// Without the checker, an unknown name or function, or an argument of the wrong type, is an error
    /// when evaluated rather than when compiled (cel-spec's <c>disable_check</c>; policies always check).
    /// </summary>
    public bool Unchecked { get; init; }

    /// <summary>Parses, checks and compiles <paramref name="text"/>; a <see cref="CelSyntaxException"/> on the first error.</summary>
    public CelProgram Compile(string text) => CelCompiler.Compile(this, text);
}

/// <summary>
/// The values of the variables for one evaluation, and the scratch space the compiled program needs:
/// comprehension variables live in <see cref="Slots"/>, lent by the thread for the evaluation, so
/// neither an activation nor a program allocates anything of its own to run.
/// </summary>
public abstract class CelActivation
{
    internal CelValue[] Slots = [];
    internal long Budget;

    /// <summary>The value of the variable declared at <paramref name="index"/>.</summary>
    public abstract CelValue Variable(int index);

    /// <summary>An activation over fixed values, in the order the environment declared them.</summary>
    public static CelActivation Of(params CelValue[] values) => new Fixed(values);

    private sealed class Fixed(CelValue[] values) : CelActivation
    {
        public override CelValue Variable(int index) => index < values.Length ? values[index] : CelValue.Error("no value for the variable");
    }
}

public delegate CelValue CelEval(CelActivation activation);

/// <summary>A compiled expression: closures over the activation, with its runtime cost limit.</summary>
public sealed class CelProgram
{
    /// <summary>Comprehension iterations one evaluation may take before it stops with an error.</summary>
    public const long IterationLimit = 1_000_000;

    private readonly CelEval _eval;
    private readonly int _slots;

    internal CelProgram(string text, CelEval eval, int slots, CelStaticType type, double estimatedCost)
    {
        Text = text;
        _eval = eval;
        _slots = slots;
        Type = type;
        EstimatedCost = estimatedCost;
    }

    public string Text { get; }

    /// <summary>The result type as far as the checker knows it.</summary>
    public CelStaticType Type { get; }

    /// <summary>The static cost estimate: the body of each comprehension counted once per element of a list of assumed size.</summary>
    public double EstimatedCost { get; }

    [ThreadStatic]
    private static CelValue[]? t_slots;

    public CelValue Evaluate(CelActivation activation)
    {
        // comprehension variables live in a per-thread array: evaluations on a thread never overlap
        var slots = t_slots;
        if (slots is null || slots.Length < _slots)
        {
            t_slots = slots = new CelValue[Math.Max(16, _slots)];
        }
        var saved = activation.Slots;
        activation.Slots = slots;
        activation.Budget = IterationLimit;
        try
        {
            var result = _eval(activation);
            return activation.Budget < 0 ? CelValue.Error($"cost limit exceeded: more than {IterationLimit} comprehension iterations") : result;
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            return CelValue.Error("the regular expression took too long");
        }
        catch (InsufficientExecutionStackException)
        {
            return CelValue.Error("the expression nests too deeply");
        }
        finally
        {
            // nothing of the object outlives its evaluation
            Array.Clear(slots, 0, _slots);
            activation.Slots = saved;
        }
    }
}
