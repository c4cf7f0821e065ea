namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>
/// The comprehension macros <c>all</c>, <c>exists</c>, <c>exists_one</c>, <c>map</c> (two and three
/// arguments) and <c>filter</c>, compiled to loops over a list (or a map's keys). The loop variable
/// lives in a slot of the activation; every iteration spends one unit of the evaluation's budget.
/// </summary>
internal sealed partial class CelCompiler
{
    private static readonly CelValue BudgetSpent = CelValue.Error($"cost limit exceeded: more than {CelProgram.IterationLimit} comprehension iterations");

    private Compiled Comprehension(CelCall call, Scope? scope)
    {
        var function = call.Function;
        var arity = function == "map" ? (2, 3) : (2, 2);
        if (call.Args.Count < arity.Item1 || call.Args.Count > arity.Item2)
        {
            throw new CelSyntaxException(call.Offset, $"{function}() takes {(arity.Item1 == arity.Item2 ? arity.Item1.ToString(System.Globalization.CultureInfo.InvariantCulture) : "2 or 3")} arguments");
        }
        if (call.Args[0] is not CelIdent { Rooted: false } variable)
        {
            throw new CelSyntaxException(call.Args[0].Offset, $"{function}(): the first argument must be a simple name");
        }
        var range = Node(call.Target!, scope);
        if (range.Type.Kind is { } kind && kind is not (CelKind.List or CelKind.Map))
        {
            throw new CelSyntaxException(call.Target!.Offset, $"{function}() needs a list or a map, not {range.Type}");
        }
        var slot = scope?.Depth ?? 0;
        _slots = Math.Max(_slots, slot + 1);
        var elementType = range.Type.Kind == CelKind.List && range.Type.Object is null ? range.Type.Element ?? CelStaticType.Dyn : CelStaticType.Dyn;
        var inner = new Scope(variable.Name, slot, elementType, scope);
        var first = Node(call.Args[1], inner);
        var second = call.Args.Count == 3 ? Node(call.Args[2], inner) : (Compiled?)null;
        var size = range.IsConstant && range.Constant.Kind == CelKind.List ? range.Constant.AsList.Count : range.Size ?? AssumedListSize;
        var cost = range.Cost + (size * (first.Cost + (second?.Cost ?? 0) + 1));
        var items = range.Eval;
        var body = first.Eval;
        switch (function)
        {
            case "all" or "exists":
                RequireBool(first, call.Args[1], function);
                var all = function == "all";
                return new Compiled(a =>
                {
                    var source = Items(items(a));
                    if (source is not { } list)
                    {
                        return RangeError(items(a), function);
                    }
                    CelValue? error = null;
                    var objects = ObjectsOf(list);
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (--a.Budget < 0)
                        {
                            return BudgetSpent;
                        }
                        a.Slots[slot] = At(list, objects, i);
                        var v = body(a);
                        if (v.Kind == CelKind.Bool)
                        {
                            if (v.AsBool != all)
                            {
                                return v;
                            }
                        }
                        else
                        {
                            error ??= v.IsError ? v : CelValue.NoSuchOverload(function);
                        }
                    }
                    return error ?? CelValue.Bool(all);
                }, CelStaticType.Bool, cost);
            case "exists_one":
                RequireBool(first, call.Args[1], function);
                return new Compiled(a =>
                {
                    if (Items(items(a)) is not { } list)
                    {
                        return RangeError(items(a), function);
                    }
                    var count = 0;
                    var objects = ObjectsOf(list);
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (--a.Budget < 0)
                        {
                            return BudgetSpent;
                        }
                        a.Slots[slot] = At(list, objects, i);
                        var v = body(a);
                        if (v.Kind != CelKind.Bool)
                        {
                            return v.IsError ? v : CelValue.NoSuchOverload(function);
                        }
                        count += v.AsBool ? 1 : 0;
                    }
                    return CelValue.Bool(count == 1);
                }, CelStaticType.Bool, cost);
            case "filter":
                RequireBool(first, call.Args[1], function);
                return new Compiled(a => Collect(a, items, slot, body, null, function), range.Type.Kind == CelKind.List ? range.Type : CelStaticType.List, cost);
            default:
                if (second is { } transform)
                {
                    RequireBool(first, call.Args[1], function);
                    var map = transform.Eval;
                    return new Compiled(a => Collect(a, items, slot, body, map, function), CelStaticType.ListOf(transform.Type), cost);
                }
                return new Compiled(a => Collect(a, items, slot, null, body, function), CelStaticType.ListOf(first.Type), cost);
        }
    }

    /// <summary>filter (a predicate), map (a transform) or both.</summary>
    private static CelValue Collect(CelActivation a, CelEval items, int slot, CelEval? predicate, CelEval? transform, string function)
    {
        var range = items(a);
        if (Items(range) is not { } list)
        {
            return RangeError(range, function);
        }
        var results = new List<CelValue>(list.Count);
        var objects = ObjectsOf(list);
        for (var i = 0; i < list.Count; i++)
        {
            if (--a.Budget < 0)
            {
                return BudgetSpent;
            }
            var item = At(list, objects, i);
            a.Slots[slot] = item;
            if (predicate is not null)
            {
                var keep = predicate(a);
                if (keep.Kind != CelKind.Bool)
                {
                    return keep.IsError ? keep : CelValue.NoSuchOverload(function);
                }
                if (!keep.AsBool)
                {
                    continue;
                }
            }
            var value = transform is null ? item : transform(a);
            if (value.IsError)
            {
                return value;
            }
            results.Add(value);
        }
        return CelValue.List(CelList.Of([.. results]));
    }

    /// <summary>What a comprehension iterates: a list's elements or a map's keys; null for anything else.</summary>
    private static CelList? Items(in CelValue range) => range.Kind switch
    {
        CelKind.List => range.AsList,
        CelKind.Map => CelList.Of([.. range.AsMap.Keys()]),
        _ => null,
    };

    /// <summary>A list of view objects as a span (empty for any other list): its elements without a virtual call each.</summary>
    private static ReadOnlySpan<CelObject> ObjectsOf(CelList list) => list is ObjectList objects ? objects.Objects : default;

    /// <summary>Element <paramref name="i"/> of <paramref name="list"/>, read from <paramref name="objects"/> when the list is of view objects.</summary>
    private static CelValue At(CelList list, ReadOnlySpan<CelObject> objects, int i) => objects.IsEmpty ? list[i] : CelValue.Map(objects[i]);

    private static CelValue RangeError(in CelValue range, string function) =>
        range.IsError ? range : CelValue.Error($"{function}() needs a list or a map, not {CelStaticTypeNames.Name(range.Kind)}");
}
