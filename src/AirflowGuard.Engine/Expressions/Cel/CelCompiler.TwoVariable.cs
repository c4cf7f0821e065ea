namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>
/// The two-variable comprehensions of CEL's extensions: <c>all(i, v, p)</c>, <c>exists(i, v, p)</c>,
/// <c>existsOne(i, v, p)</c>, <c>transformList(i, v, [filter,] t)</c> and <c>transformMap(k, v, [filter,] t)</c>,
/// where <c>i</c> is a list's index (or a map's key) and <c>v</c> the element (or the value).
/// </summary>
internal sealed partial class CelCompiler
{
    private Compiled TwoVariableComprehension(CelCall call, Scope? scope)
    {
        var function = call.Function;
        var transform = function is "transformList" or "transformMap";
        if (call.Args.Count < 3 || call.Args.Count > (transform ? 4 : 3))
        {
            throw new CelSyntaxException(call.Offset, $"{function}() takes {(transform ? "3 or 4" : "3")} arguments");
        }
        if (call.Args[0] is not CelIdent { Rooted: false } first || call.Args[1] is not CelIdent { Rooted: false } second)
        {
            throw new CelSyntaxException(call.Offset, $"{function}(): the first two arguments must be simple names");
        }
        if (first.Name == second.Name)
        {
            throw new CelSyntaxException(call.Args[1].Offset, $"{function}(): the two variables must have different names");
        }
        var range = Node(call.Target!, scope);
        if (range.Type.Kind is { } kind && kind is not (CelKind.List or CelKind.Map))
        {
            throw new CelSyntaxException(call.Target!.Offset, $"{function}() needs a list or a map, not {range.Type}");
        }
        var slot = scope?.Depth ?? 0;
        _slots = Math.Max(_slots, slot + 2);
        var elementType = range.Type.Kind == CelKind.List && range.Type.Object is null ? range.Type.Element ?? CelStaticType.Dyn : CelStaticType.Dyn;
        var inner = new Scope(second.Name, slot + 1, elementType, new Scope(first.Name, slot, range.Type.Kind == CelKind.List ? CelStaticType.Int : CelStaticType.Dyn, scope));
        var bodies = call.Args.Skip(2).Select(a => Node(a, inner)).ToArray();
        var size = range.Size ?? (range.IsConstant && range.Constant.Kind == CelKind.List ? range.Constant.AsList.Count : AssumedListSize);
        var cost = range.Cost + (size * (bodies.Sum(b => b.Cost) + 1));
        var items = range.Eval;
        var predicate = bodies.Length == 2 || !transform ? bodies[0].Eval : null;
        var result = transform ? bodies[^1].Eval : null;
        if (predicate is not null)
        {
            RequireBool(bodies[0], call.Args[2], function);
        }
        var type = function switch
        {
            "transformList" => CelStaticType.ListOf(bodies[^1].Type),
            "transformMap" => CelStaticType.MapOf(bodies[^1].Type),
            _ => CelStaticType.Bool,
        };
        return new Compiled(a => TwoVariable(a, items(a), slot, predicate, result, function), type, cost);
    }

    private static CelValue TwoVariable(CelActivation a, CelValue range, int slot, CelEval? predicate, CelEval? transform, string function)
    {
        if (range.Kind is not (CelKind.List or CelKind.Map))
        {
            return RangeError(range, function);
        }
        var keys = range.Kind == CelKind.Map ? [.. range.AsMap.Keys()] : (CelValue[]?)null;
        var count = keys?.Length ?? range.AsList.Count;
        var all = function == "all";
        var results = function == "transformList" ? new List<CelValue>(count) : null;
        var map = function == "transformMap" ? new CelMapLiteral() : null;
        CelValue? error = null;
        var matches = 0;
        for (var i = 0; i < count; i++)
        {
            if (--a.Budget < 0)
            {
                return BudgetSpent;
            }
            var key = keys is null ? CelValue.Int(i) : keys[i];
            var value = keys is null ? range.AsList[i] : range.AsMap.TryGet(key, out var v) ? v : CelValue.Null;
            a.Slots[slot] = key;
            a.Slots[slot + 1] = value;
            if (predicate is not null)
            {
                var test = predicate(a);
                if (test.Kind != CelKind.Bool)
                {
                    var failure = test.IsError ? test : CelValue.NoSuchOverload(function);
                    if (function is "all" or "exists")
                    {
                        error ??= failure;
                        continue;
                    }
                    return failure;
                }
                switch (function)
                {
                    case "all" when !test.AsBool: return CelValue.False;
                    case "exists" when test.AsBool: return CelValue.True;
                    case "exists_one" or "existsOne": matches += test.AsBool ? 1 : 0; continue;
                }
                if (!test.AsBool || transform is null)
                {
                    continue;
                }
            }
            if (transform is null)
            {
                continue;
            }
            var transformed = transform(a);
            if (transformed.IsError)
            {
                return transformed;
            }
            results?.Add(transformed);
            map?.Add(key, transformed);
        }
        return function switch
        {
            "all" or "exists" => error ?? CelValue.Bool(all),
            "exists_one" or "existsOne" => CelValue.Bool(matches == 1),
            "transformList" => CelValue.List(CelList.Of([.. results!])),
            _ => CelValue.Map(map!),
        };
    }
}
