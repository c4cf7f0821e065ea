using System.Runtime.CompilerServices;

namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>
/// Checks a parsed expression and compiles it to closures. At compile time: names are resolved
/// (variables to activation indexes, comprehension variables to slots), fields of typed view objects
/// to their accessors (an unknown field is an error), functions and their arity to implementations
/// (an unknown function or an argument of a known wrong type is an error), constant sub-expressions
/// folded, constant regular expressions compiled, and the cost estimated.
/// </summary>
internal sealed partial class CelCompiler
{
    /// <summary>The size assumed for a list whose size is not known when estimating cost.</summary>
    public const double AssumedListSize = 100;

    /// <summary>Expressions whose estimate is above this are refused at compile time (four nested comprehensions over unknown lists).</summary>
    public const double StaticCostLimit = 10_000_000;

    private readonly CelEnvironment _environment;
    private int _slots;

    private CelCompiler(CelEnvironment environment) => _environment = environment;

    public static CelProgram Compile(CelEnvironment environment, string text)
    {
        var node = CelParser.Parse(text);
        var compiler = new CelCompiler(environment);
        var compiled = compiler.Node(node, null);
        if (compiled.Cost > StaticCostLimit)
        {
            throw new CelSyntaxException(node.Offset, $"the estimated cost ({compiled.Cost:0.#e0} steps with lists of {AssumedListSize}) exceeds the limit of {StaticCostLimit:0.#e0}: too many nested comprehensions");
        }
        return new CelProgram(text, compiled.Eval, compiler._slots, compiled.Type, compiled.Cost);
    }

    private sealed record Scope(string Name, int Slot, CelStaticType Type, Scope? Parent)
    {
        public Scope? Find(string name) => Name == name ? this : Parent?.Find(name);

        public int Depth => Slot + 1;
    }

    /// <param name="Size">For a list literal, its number of items (what a comprehension over it costs); else null.</param>
    /// <param name="Slot">The comprehension slot the node only reads (a loop variable), or -1: a field selection on it reads the slot itself instead of calling the node.</param>
    /// <param name="SlotField">The field of a loop variable the node only reads, or null: a comparison with a constant reads it itself instead of calling the node.</param>
    private readonly record struct Compiled(CelEval Eval, CelStaticType Type, double Cost, bool IsConstant = false, CelValue Constant = default, int? Size = null, int Slot = -1,
        SlotField? SlotField = null)
    {
        public static Compiled Of(CelValue value) => new(_ => value, value.Kind switch
        {
            CelKind.List => CelStaticType.List,
            CelKind.Map => CelStaticType.Map,
            CelKind.Error => CelStaticType.Dyn,
            _ => CelStaticType.Of(value.Kind),
        }, 1, true, value);
    }

    /// <summary>How deep the syntax tree may be (selections and operator chains parse without nesting, and would nest the closures).</summary>
    public const int MaxDepth = 500;

    private int _depth;

    private Compiled Node(CelNode node, Scope? scope)
    {
        if (++_depth > MaxDepth)
        {
            throw new CelSyntaxException(node.Offset, $"the expression is nested too deeply (more than {MaxDepth} levels)");
        }
        var compiled = NodeOf(node, scope);
        _depth--;
        return compiled;
    }

    private Compiled NodeOf(CelNode node, Scope? scope) => node switch
    {
        CelLiteral literal => Compiled.Of(literal.Value),
        CelIdent ident => Ident(ident, scope),
        CelSelect select => Select(select, scope),
        CelCall call => Call(call, scope),
        CelListNode list => List(list, scope),
        CelMapNode map => Map(map, scope),
        CelStructNode structNode => throw new CelSyntaxException(structNode.Offset, $"unknown type '{structNode.TypeName}': message literals are not supported"),
        _ => throw new CelSyntaxException(node.Offset, "unsupported expression"),
    };

    private Compiled Ident(CelIdent ident, Scope? scope)
    {
        if (!ident.Rooted && scope?.Find(ident.Name) is { } variable)
        {
            var slot = variable.Slot;
            return new Compiled(a => a.Slots[slot], variable.Type, 1, Slot: slot);
        }
        if (_environment.TryGetVariable(ident.Name, out var index, out var type))
        {
            return new Compiled(a => a.Variable(index), type, 1);
        }
        if (CelType.Named.TryGetValue(ident.Name, out var celType))
        {
            return Compiled.Of(CelValue.Type(celType));
        }
        var known = _environment.VariableNames.Concat(Names(scope)).ToList();
        var suggestion = Suggest(ident.Name, known);
        return Fail(ident.Offset, $"undeclared reference to '{ident.Name}'" +
            (suggestion is not null ? $"; did you mean '{suggestion}'?" : known.Count > 0 ? $" (variables: {string.Join(", ", known)})" : ""));
    }

    /// <summary>A check error: thrown, or without the checker an error when evaluated.</summary>
    private Compiled Fail(int offset, string message)
    {
        if (!_environment.Unchecked)
        {
            throw new CelSyntaxException(offset, message);
        }
        var error = CelValue.Error(message);
        return new Compiled(_ => error, CelStaticType.Dyn, 1);
    }

    private static IEnumerable<string> Names(Scope? scope)
    {
        for (; scope is not null; scope = scope.Parent)
        {
            yield return scope.Name;
        }
    }

    /// <summary>A dotted name (<c>a.b.c</c>) that the environment declares as one variable (at most a few parts).</summary>
    private static string? Dotted(CelNode node)
    {
        var parts = new List<string>();
        for (var depth = 0; depth < 16; depth++)
        {
            switch (node)
            {
                case CelIdent ident:
                    parts.Add(ident.Name);
                    parts.Reverse();
                    return string.Join('.', parts);
                case CelSelect { TestOnly: false } select:
                    parts.Add(select.Field);
                    node = select.Operand;
                    break;
                default:
                    return null;
            }
        }
        return null;
    }

    private Compiled Select(CelSelect select, Scope? scope)
    {
        if (!select.TestOnly && Dotted(select) is { } dotted && dotted.Contains('.', StringComparison.Ordinal)
            && (scope?.Find(dotted[..dotted.IndexOf('.', StringComparison.Ordinal)]) is null)
            && _environment.TryGetVariable(dotted, out var index, out var type))
        {
            return new Compiled(a => a.Variable(index), type, 1);
        }
        var operand = Node(select.Operand, scope);
        var name = select.Field;
        var cost = operand.Cost + 1;
        if (operand.Type.Object is { } objectType)
        {
            if (!objectType.Fields.TryGetValue(name, out var field))
            {
                var suggestion = Suggest(name, objectType.Names);
                throw new CelSyntaxException(select.Offset + 1, $"{objectType.Name} has no field \"{name}\"" +
                    (suggestion is not null ? $"; did you mean \"{suggestion}\"?" : $"; it has: {string.Join(", ", objectType.Names)}"));
            }
            var eval = operand.Eval;
            var get = field.Get;
            if (select.TestOnly)
            {
                var isSet = field.IsSet;
                return new Compiled(a =>
                {
                    var v = eval(a);
                    return ObjectOf(v, objectType) is { } o
                        ? CelValue.Bool(isSet is null || isSet(o))
                        : Has(v, name);
                }, CelStaticType.Bool, cost);
            }
            if (operand.Slot >= 0)
            {
                // m.holds inside a comprehension over m: the loop variable read in place, one call fewer per element
                var slotField = new SlotField(operand.Slot, objectType, get, name);
                return new Compiled(slotField.Read, field.Type, cost, SlotField: slotField);
            }
            return new Compiled(a =>
            {
                var v = eval(a);
                return ObjectOf(v, objectType) is { } o ? get(o) : Field(v, name);
            }, field.Type, cost);
        }
        if (operand.Type.Kind is { } kind && kind is not (CelKind.Map or CelKind.Error))
        {
            throw new CelSyntaxException(select.Offset + 1, $"type '{operand.Type}' does not support field selection");
        }
        var operandEval = operand.Eval;
        if (select.TestOnly)
        {
            return new Compiled(a => Has(operandEval(a), name), CelStaticType.Bool, cost);
        }
        var elementType = operand.Type.Kind == CelKind.Map ? operand.Type.Element ?? CelStaticType.Dyn : CelStaticType.Dyn;
        return new Compiled(a => Field(operandEval(a), name), elementType, cost);
    }

    /// <summary>The view object <paramref name="v"/> holds when it is one of <paramref name="objectType"/>'s, else null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static CelObject? ObjectOf(in CelValue v, CelObjectType objectType) =>
        v.Kind == CelKind.Map && ReferenceEquals(v.AsMap.ViewType, objectType) ? Unsafe.As<CelObject>(v.Reference) : null;

    /// <summary>A field of a typed view object read from a comprehension's loop variable.</summary>
    private sealed class SlotField(int slot, CelObjectType objectType, Func<CelObject, CelValue> get, string name)
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public CelValue Read(CelActivation a)
        {
            ref readonly var v = ref a.Slots[slot];
            return ObjectOf(v, objectType) is { } o ? get(o) : Field(v, name);
        }
    }

    private static CelValue Field(in CelValue v, string name)
    {
        if (v.Kind == CelKind.Map)
        {
            return v.AsMap.TryGetField(name, out var value) ? value : CelValue.Error($"no such key: {name}");
        }
        return v.IsError ? v : CelValue.Error($"no such field '{name}' on {CelStaticTypeNames.Name(v.Kind)}");
    }

    private static CelValue Has(in CelValue v, string name)
    {
        if (v.Kind == CelKind.Map)
        {
            return CelValue.Bool(v.AsMap.TryGetField(name, out _));
        }
        return v.IsError ? v : CelValue.Error($"has() on {CelStaticTypeNames.Name(v.Kind)}: no such field '{name}'");
    }

    private Compiled List(CelListNode list, Scope? scope)
    {
        var items = list.Items.Select(i => Node(i, scope)).ToArray();
        var cost = 1 + items.Sum(i => i.Cost);
        var elementType = items.Length > 0 && items.All(i => ReferenceEquals(i.Type, items[0].Type)) ? items[0].Type : CelStaticType.Dyn;
        if (items.All(i => i.IsConstant))
        {
            var constants = items.Select(i => i.Constant).ToArray();
            var error = Array.FindIndex(constants, c => c.IsError);
            var value = error >= 0 ? constants[error] : CelValue.List(CelList.Of(constants));
            return new Compiled(_ => value, CelStaticType.ListOf(elementType), cost, true, value);
        }
        var evals = items.Select(i => i.Eval).ToArray();
        return new Compiled(a =>
        {
            var values = new CelValue[evals.Length];
            for (var i = 0; i < evals.Length; i++)
            {
                values[i] = evals[i](a);
                if (values[i].IsError)
                {
                    return values[i];
                }
            }
            return CelValue.List(CelList.Of(values));
        }, CelStaticType.ListOf(elementType), cost, Size: evals.Length);
    }

    private Compiled Map(CelMapNode map, Scope? scope)
    {
        var entries = map.Entries.Select(e => (Key: Node(e.Key, scope), Value: Node(e.Value, scope), e.Key.Offset)).ToArray();
        foreach (var (key, _, offset) in entries)
        {
            if (key.Type.Kind is { } kind && kind is not (CelKind.Int or CelKind.Uint or CelKind.Bool or CelKind.String))
            {
                throw new CelSyntaxException(offset, $"unsupported map key type '{key.Type}'");
            }
        }
        var cost = 1 + entries.Sum(e => e.Key.Cost + e.Value.Cost);
        var keys = entries.Select(e => e.Key.Eval).ToArray();
        var values = entries.Select(e => e.Value.Eval).ToArray();
        CelValue Build(CelActivation a)
        {
            var result = new CelMapLiteral();
            for (var i = 0; i < keys.Length; i++)
            {
                var key = keys[i](a);
                if (key.IsError)
                {
                    return key;
                }
                var value = values[i](a);
                if (value.IsError)
                {
                    return value;
                }
                if (!CelMapLiteral.IsValidKey(key))
                {
                    return CelValue.Error($"unsupported key type: {CelStaticTypeNames.Name(key.Kind)}");
                }
                if (!result.Add(key, value))
                {
                    return CelValue.Error($"Failed with repeated key: {key.Display()}");
                }
            }
            return CelValue.Map(result);
        }
        var valueType = entries.Length > 0 && entries.All(e => ReferenceEquals(e.Value.Type, entries[0].Value.Type)) ? entries[0].Value.Type : CelStaticType.Dyn;
        if (entries.All(e => e.Key.IsConstant && e.Value.IsConstant))
        {
            var constant = Build(null!);
            return new Compiled(_ => constant, CelStaticType.MapOf(valueType), cost, true, constant);
        }
        return new Compiled(Build, CelStaticType.MapOf(valueType), cost);
    }

    /// <summary>The closest name within two edits, for "did you mean".</summary>
    private static string? Suggest(string name, IEnumerable<string> names)
    {
        string? best = null;
        var bestDistance = 3;
        foreach (var candidate in names)
        {
            var distance = Distance(name, candidate);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }
        return best;
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.Length];
    }
}
