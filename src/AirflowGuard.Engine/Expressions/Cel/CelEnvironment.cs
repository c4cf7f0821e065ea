namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>The variables an expression may name, each with its index in the activation and its static type.</summary>
internal sealed class CelEnvironment
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
