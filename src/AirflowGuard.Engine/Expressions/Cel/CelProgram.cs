namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>A compiled expression: closures over the activation, with its runtime cost limit.</summary>
internal sealed class CelProgram
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
