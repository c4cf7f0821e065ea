using System.Runtime.CompilerServices;

namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>Operators, macros and function calls.</summary>
internal sealed partial class CelCompiler
{
    private Compiled Call(CelCall call, Scope? scope)
    {
        switch (call.Function)
        {
            case "_&&_" or "_||_":
                return Logic(call, scope, call.Function == "_&&_");
            case "_?_:_":
                return Conditional(call, scope);
            case "has" when call.Target is null:
                if (call.Args.Count != 1 || call.Args[0] is not CelSelect select)
                {
                    throw new CelSyntaxException(call.Offset, "invalid argument to has() macro: it takes one field selection, like has(a.b)");
                }
                return Select(select with { TestOnly = true }, scope);
            case "all" or "exists" or "exists_one" or "existsOne" when call.Target is not null && call.Args.Count == 3:
            case "transformList" or "transformMap" when call.Target is not null:
                return TwoVariableComprehension(call, scope);
            case "all" or "exists" or "exists_one" or "map" or "filter" when call.Target is not null:
                return Comprehension(call, scope);
        }
        var nodes = call.Target is null ? call.Args : [call.Target, .. call.Args];
        var args = nodes.Select(n => Node(n, scope)).ToArray();
        var compiled = call.Function switch
        {
            "_==_" or "_!=_" => Equality(call, args),
            "_<_" or "_<=_" or "_>_" or "_>=_" => Relation(call, args),
            "_+_" or "_-_" or "_*_" or "_/_" or "_%_" => Arithmetic(call, args),
            "-_" => Unary(args[0], v => CelOperators.Negate(v), args[0].Type.Kind is CelKind.Int or CelKind.Double or CelKind.Duration ? args[0].Type : CelStaticType.Dyn),
            "!_" => Unary(args[0], v => CelOperators.Not(v), CelStaticType.Bool),
            "_[_]" => Index(call, args),
            "@in" => Binary(args, (x, y) => CelOperators.In(x, y), CelStaticType.Bool),
            _ => Function(call, args),
        };
        if (!compiled.IsConstant && args.All(a => a.IsConstant))
        {
            // every argument is known: evaluate once, now (a constant error stays an error at run time)
            var value = compiled.Eval(null!);
            return Compiled.Of(value) with { Type = value.IsError ? compiled.Type : Compiled.Of(value).Type };
        }
        return compiled;
    }

    private Compiled Logic(CelCall call, Scope? scope, bool and)
    {
        // a chain a || b || c, parsed ((a || b) || c), runs as one loop over its operands instead of a closure per
        // operator: walked down its left side without recursion, so a long chain neither nests nor overflows
        var function = call.Function;
        var nodes = new List<CelNode>();
        CelNode node = call;
        while (node is CelCall { Target: null, Args.Count: 2 } link && link.Function == function)
        {
            nodes.Add(link.Args[1]);
            node = link.Args[0];
        }
        nodes.Add(node);
        nodes.Reverse();
        var operands = new CelEval[nodes.Count];
        var cost = 0.0;
        for (var i = 0; i < operands.Length; i++)
        {
            var operand = Node(nodes[i], scope);
            RequireBool(operand, nodes[i], function);
            operands[i] = operand.Eval;
            cost += operand.Cost;
        }
        // any operand decides alone (false for &&, true for ||), whatever the others are: errors are absorbed when one
        // decides; else the first operand in order that is not a bool is the answer (its error, or no such overload)
        var decisive = !and;
        return new Compiled(a =>
        {
            CelValue? undecided = null;
            foreach (var operand in operands)
            {
                var v = operand(a);
                if (v.Kind == CelKind.Bool)
                {
                    if (v.AsBool == decisive)
                    {
                        return v;
                    }
                }
                else
                {
                    undecided ??= v;
                }
            }
            return undecided is not { } first ? CelValue.Bool(!decisive) : first.IsError ? first : CelValue.NoSuchOverload(function);
        }, CelStaticType.Bool, cost);
    }

    private void RequireBool(Compiled compiled, CelNode node, string function)
    {
        if (!_environment.Unchecked && compiled.Type.Kind is { } kind && kind != CelKind.Bool)
        {
            throw new CelSyntaxException(node.Offset, $"found no matching overload for '{function}' applied to {compiled.Type} (it takes bool)");
        }
    }

    private Compiled Conditional(CelCall call, Scope? scope)
    {
        var condition = Node(call.Args[0], scope);
        RequireBool(condition, call.Args[0], "_?_:_");
        var then = Node(call.Args[1], scope);
        var otherwise = Node(call.Args[2], scope);
        var c = condition.Eval;
        var t = then.Eval;
        var o = otherwise.Eval;
        var type = ReferenceEquals(then.Type, otherwise.Type) ? then.Type : CelStaticType.Dyn;
        return new Compiled(a =>
        {
            var v = c(a);
            return v.Kind == CelKind.Bool ? (v.AsBool ? t(a) : o(a)) : v.IsError ? v : CelValue.NoSuchOverload("_?_:_");
        }, type, condition.Cost + Math.Max(then.Cost, otherwise.Cost));
    }

    private static Compiled Unary(Compiled operand, Func<CelValue, CelValue> f, CelStaticType type)
    {
        var e = operand.Eval;
        return new Compiled(a => f(e(a)), type, operand.Cost + 1);
    }

    private static Compiled Binary(Compiled[] args, Func<CelValue, CelValue, CelValue> f, CelStaticType type)
    {
        var l = args[0].Eval;
        var r = args[1].Eval;
        return new Compiled(a => f(l(a), r(a)), type, args[0].Cost + args[1].Cost + 1);
    }

    private static Compiled Equality(CelCall call, Compiled[] args)
    {
        var l = args[0].Eval;
        var r = args[1].Eval;
        var cost = args[0].Cost + args[1].Cost + 1;
        var negate = call.Function == "_!=_";
        if (args[1].IsConstant && args[1].Constant.Kind == CelKind.String)
        {
            // the common case, c.role == 'airflow': no dispatch on the constant; a loop variable's field (m.holds) read here
            var text = args[1].Constant.AsString;
            if (args[0].SlotField is { } field)
            {
                return new Compiled(a => EqualsText(field.Read(a), text, negate), CelStaticType.Bool, cost);
            }
            return new Compiled(a => EqualsText(l(a), text, negate), CelStaticType.Bool, cost);
        }
        return negate
            ? new Compiled(a => CelOperators.Equal(l(a), r(a)) is var e && e.Kind == CelKind.Bool ? CelValue.Bool(!e.AsBool) : e, CelStaticType.Bool, cost)
            : new Compiled(a => CelOperators.Equal(l(a), r(a)), CelStaticType.Bool, cost);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static CelValue EqualsText(in CelValue v, string text, bool negate) =>
        v.Kind == CelKind.String ? CelValue.Bool(string.Equals(v.AsString, text, StringComparison.Ordinal) != negate)
            : v.IsError ? v : CelValue.Bool(negate);

    private static bool Numeric(CelKind kind) => kind is CelKind.Int or CelKind.Uint or CelKind.Double;

    private Compiled Relation(CelCall call, Compiled[] args)
    {
        if (!_environment.Unchecked && args[0].Type.Kind is { } a && args[1].Type.Kind is { } b && !(Numeric(a) && Numeric(b))
            && (a != b || a is not (CelKind.String or CelKind.Bytes or CelKind.Bool or CelKind.Timestamp or CelKind.Duration)))
        {
            throw NoOverload(call, args);
        }
        var op = call.Function;
        return Binary(args, (x, y) => CelOperators.Compare(x, y, op), CelStaticType.Bool);
    }

    private Compiled Arithmetic(CelCall call, Compiled[] args)
    {
        var op = call.Function[1];
        if (!_environment.Unchecked && args[0].Type.Kind is { } a && args[1].Type.Kind is { } b)
        {
            var time = (op, a, b) is ('+', CelKind.Timestamp, CelKind.Duration) or ('+', CelKind.Duration, CelKind.Timestamp) or ('+', CelKind.Duration, CelKind.Duration)
                or ('-', CelKind.Timestamp, CelKind.Duration) or ('-', CelKind.Timestamp, CelKind.Timestamp) or ('-', CelKind.Duration, CelKind.Duration);
            var allowed = time || a == b && (op switch
            {
                '+' => a is CelKind.Int or CelKind.Uint or CelKind.Double or CelKind.String or CelKind.Bytes or CelKind.List,
                '%' => a is CelKind.Int or CelKind.Uint,
                _ => Numeric(a),
            });
            if (!allowed)
            {
                throw NoOverload(call, args);
            }
        }
        var type = args[0].Type.Kind is { } k && args[1].Type.Kind == k && k is not (CelKind.List or CelKind.Timestamp) ? args[0].Type : CelStaticType.Dyn;
        return op == '+'
            ? Binary(args, (x, y) => CelOperators.Add(x, y), type)
            : Binary(args, (x, y) => CelOperators.Arithmetic(x, y, op), type);
    }

    private Compiled Index(CelCall call, Compiled[] args)
    {
        var type = args[0].Type.Kind is CelKind.List or CelKind.Map && args[0].Type.Object is null ? args[0].Type.Element ?? CelStaticType.Dyn : CelStaticType.Dyn;
        if (!_environment.Unchecked && args[0].Type.Kind is { } kind && kind is not (CelKind.List or CelKind.Map))
        {
            throw new CelSyntaxException(call.Offset, $"found no matching overload for '_[_]' applied to {args[0].Type}");
        }
        return Binary(args, (x, y) => CelOperators.Index(x, y), type);
    }

    private static CelSyntaxException NoOverload(CelCall call, Compiled[] args) =>
        new(call.Offset, $"found no matching overload for '{call.Function}' applied to ({string.Join(", ", args.Select(a => a.Type))})");
}
