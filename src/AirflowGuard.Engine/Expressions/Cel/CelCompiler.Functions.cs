using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace AirflowGuard.Engine.Expressions.Cel;

/// <summary>
/// The standard functions and Kubernetes' string extensions: for each, how it may be called (global
/// <c>f(x)</c>, receiver <c>x.f()</c>), how many arguments, which kinds each argument may have (checked
/// at compile time where the kind is known) and its result type.
/// </summary>
internal sealed partial class CelCompiler
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly ConcurrentDictionary<string, Regex?> DynamicPatterns = new(StringComparer.Ordinal);

    [Flags]
    private enum Style
    {
        Global = 1,
        Receiver = 2,
        Both = Global | Receiver,
    }

    private delegate CelValue Impl(CelValue a, CelValue b, CelValue c, CelValue d);

    private sealed record FunctionSpec(Style Style, int Min, int Max, CelKind[]?[] Params, CelStaticType Result, Impl Impl);

    private static readonly CelKind[] Str = [CelKind.String];
    private static readonly CelKind[] IntOnly = [CelKind.Int];
    private static readonly CelKind[] ListOnly = [CelKind.List];

    private static readonly Dictionary<string, FunctionSpec> Functions = new(StringComparer.Ordinal)
    {
        ["size"] = new(Style.Both, 1, 1, [[CelKind.String, CelKind.Bytes, CelKind.List, CelKind.Map]], CelStaticType.Int, (a, _, _, _) => CelStrings.Size(a)),
        ["contains"] = new(Style.Receiver, 2, 2, [Str, Str], CelStaticType.Bool, (a, b, _, _) => CelStrings.Contains(a, b)),
        ["startsWith"] = new(Style.Receiver, 2, 2, [Str, Str], CelStaticType.Bool, (a, b, _, _) => CelStrings.StartsWith(a, b)),
        ["endsWith"] = new(Style.Receiver, 2, 2, [Str, Str], CelStaticType.Bool, (a, b, _, _) => CelStrings.EndsWith(a, b)),
        ["matches"] = new(Style.Both, 2, 2, [Str, Str], CelStaticType.Bool, (a, b, _, _) => Matches(a, b)),
        ["int"] = new(Style.Global, 1, 1, [null], CelStaticType.Int, (a, _, _, _) => CelConversions.ToInt(a)),
        ["uint"] = new(Style.Global, 1, 1, [null], CelStaticType.Uint, (a, _, _, _) => CelConversions.ToUint(a)),
        ["double"] = new(Style.Global, 1, 1, [null], CelStaticType.Double, (a, _, _, _) => CelConversions.ToDouble(a)),
        ["string"] = new(Style.Global, 1, 1, [null], CelStaticType.String, (a, _, _, _) => CelConversions.ToStringValue(a)),
        ["bytes"] = new(Style.Global, 1, 1, [null], CelStaticType.Bytes, (a, _, _, _) => CelConversions.ToBytes(a)),
        ["bool"] = new(Style.Global, 1, 1, [null], CelStaticType.Bool, (a, _, _, _) => CelConversions.ToBool(a)),
        ["type"] = new(Style.Global, 1, 1, [null], CelStaticType.Type, (a, _, _, _) => CelConversions.TypeOf(a)),
        ["dyn"] = new(Style.Global, 1, 1, [null], CelStaticType.Dyn, (a, _, _, _) => a),
        ["charAt"] = new(Style.Receiver, 2, 2, [Str, IntOnly], CelStaticType.String, (a, b, _, _) => CelStrings.CharAt(a, b)),
        ["indexOf"] = new(Style.Receiver, 2, 3, [Str, Str, IntOnly], CelStaticType.Int, (a, b, c, _) => CelStrings.IndexOf(a, b, c, last: false)),
        ["lastIndexOf"] = new(Style.Receiver, 2, 3, [Str, Str, IntOnly], CelStaticType.Int, (a, b, c, _) => CelStrings.IndexOf(a, b, c, last: true)),
        ["lowerAscii"] = new(Style.Receiver, 1, 1, [Str], CelStaticType.String, (a, _, _, _) => CelStrings.LowerAscii(a)),
        ["upperAscii"] = new(Style.Receiver, 1, 1, [Str], CelStaticType.String, (a, _, _, _) => CelStrings.UpperAscii(a)),
        ["trim"] = new(Style.Receiver, 1, 1, [Str], CelStaticType.String, (a, _, _, _) => CelStrings.Trim(a)),
        ["reverse"] = new(Style.Receiver, 1, 1, [Str], CelStaticType.String, (a, _, _, _) => CelStrings.Reverse(a)),
        ["replace"] = new(Style.Receiver, 3, 4, [Str, Str, Str, IntOnly], CelStaticType.String, (a, b, c, d) => CelStrings.Replace(a, b, c, d)),
        ["split"] = new(Style.Receiver, 2, 3, [Str, Str, IntOnly], CelStaticType.ListOf(CelStaticType.String), (a, b, c, _) => CelStrings.Split(a, b, c)),
        ["substring"] = new(Style.Receiver, 2, 3, [Str, IntOnly, IntOnly], CelStaticType.String, (a, b, c, _) => CelStrings.Substring(a, b, c)),
        ["timestamp"] = new(Style.Global, 1, 1, [[CelKind.String, CelKind.Int, CelKind.Timestamp]], CelStaticType.Timestamp, (a, _, _, _) => CelTime.ToTimestamp(a)),
        ["duration"] = new(Style.Global, 1, 1, [[CelKind.String, CelKind.Duration]], CelStaticType.Duration, (a, _, _, _) => CelTime.ToDuration(a)),
        ["getFullYear"] = Getter("getFullYear", timestampOnly: true),
        ["getMonth"] = Getter("getMonth", timestampOnly: true),
        ["getDate"] = Getter("getDate", timestampOnly: true),
        ["getDayOfMonth"] = Getter("getDayOfMonth", timestampOnly: true),
        ["getDayOfWeek"] = Getter("getDayOfWeek", timestampOnly: true),
        ["getDayOfYear"] = Getter("getDayOfYear", timestampOnly: true),
        ["getHours"] = Getter("getHours", timestampOnly: false),
        ["getMinutes"] = Getter("getMinutes", timestampOnly: false),
        ["getSeconds"] = Getter("getSeconds", timestampOnly: false),
        ["getMilliseconds"] = Getter("getMilliseconds", timestampOnly: false),
        ["quantity"] = new(Style.Global, 1, 1, [Str], CelStaticType.Quantity, (a, _, _, _) => CelQuantity.Of(a)),
        ["isQuantity"] = new(Style.Global, 1, 1, [Str], CelStaticType.Bool, (a, _, _, _) => CelQuantity.IsQuantity(a)),
        ["isLessThan"] = QuantityMethod("isLessThan", 2, CelStaticType.Bool),
        ["isGreaterThan"] = QuantityMethod("isGreaterThan", 2, CelStaticType.Bool),
        ["compareTo"] = QuantityMethod("compareTo", 2, CelStaticType.Int),
        ["add"] = QuantityMethod("add", 2, CelStaticType.Quantity),
        ["sub"] = QuantityMethod("sub", 2, CelStaticType.Quantity),
        ["isInteger"] = QuantityMethod("isInteger", 1, CelStaticType.Bool),
        ["asInteger"] = QuantityMethod("asInteger", 1, CelStaticType.Int),
        ["asApproximateFloat"] = QuantityMethod("asApproximateFloat", 1, CelStaticType.Double),
        ["sign"] = QuantityMethod("sign", 1, CelStaticType.Int),
        ["join"] = new(Style.Receiver, 1, 2, [ListOnly, Str], CelStaticType.String, (a, b, _, _) => CelStrings.Join(a, b)),
    };

    private static FunctionSpec QuantityMethod(string name, int arity, CelStaticType result) =>
        new(Style.Receiver, arity, arity, [[CelKind.Opaque], [CelKind.Opaque, CelKind.Int]], result, (a, b, _, _) => CelQuantity.Method(a, b, name));

    private static FunctionSpec Getter(string name, bool timestampOnly) =>
        new(Style.Receiver, 1, 2, [timestampOnly ? [CelKind.Timestamp] : [CelKind.Timestamp, CelKind.Duration], Str], CelStaticType.Int, (a, b, _, _) => CelTime.Get(a, b, name));

    /// <summary>The functions an expression may call, for documentation and messages.</summary>
    public static IEnumerable<string> FunctionNames => Functions.Keys;

    private Compiled Function(CelCall call, Compiled[] args)
    {
        var receiver = call.Target is not null;
        if (!Functions.TryGetValue(call.Function, out var spec))
        {
            var suggestion = Suggest(call.Function, Functions.Keys.Concat(["all", "exists", "exists_one", "map", "filter", "has"]));
            return Fail(call.Offset, $"undeclared reference to '{call.Function}'" + (suggestion is null ? "" : $"; did you mean '{suggestion}'?"));
        }
        if ((spec.Style & (receiver ? Style.Receiver : Style.Global)) == 0)
        {
            throw new CelSyntaxException(call.Offset, receiver
                ? $"'{call.Function}' is not a method: call it as {call.Function}(x)"
                : $"'{call.Function}' is a method: call it as x.{call.Function}(…)");
        }
        if (args.Length < spec.Min || args.Length > spec.Max)
        {
            throw NoOverload(call, args);
        }
        for (var i = 0; i < args.Length && !_environment.Unchecked; i++)
        {
            if (spec.Params[i] is { } kinds && args[i].Type.Kind is { } kind && Array.IndexOf(kinds, kind) < 0)
            {
                throw NoOverload(call, args);
            }
        }
        if (call.Function == "matches" && args[1].IsConstant && args[1].Constant.Kind == CelKind.String)
        {
            return ConstantMatches(call, args[0], args[1].Constant.AsString);
        }
        var f = spec.Impl;
        var cost = args.Sum(a => a.Cost) + 1;
        var e = args.Select(a => a.Eval).ToArray();
        var none = CelValue.Null;
        CelEval eval = e.Length switch
        {
            1 => a => e[0](a) is var x && x.IsError ? x : f(x, none, none, none),
            2 => a => e[0](a) is var x && x.IsError ? x : e[1](a) is var y && y.IsError ? y : f(x, y, none, none),
            3 => a => e[0](a) is var x && x.IsError ? x : e[1](a) is var y && y.IsError ? y : e[2](a) is var z && z.IsError ? z : f(x, y, z, none),
            _ => a => e[0](a) is var x && x.IsError ? x : e[1](a) is var y && y.IsError ? y : e[2](a) is var z && z.IsError ? z : e[3](a) is var w && w.IsError ? w : f(x, y, z, w),
        };
        return new Compiled(eval, spec.Result, cost);
    }

    /// <summary><c>s.matches('constant')</c>: the pattern compiled once, here; a bad pattern is a compile error.</summary>
    private static Compiled ConstantMatches(CelCall call, Compiled text, string pattern)
    {
        Regex regex;
        try
        {
            regex = new Regex(FromRe2(pattern), RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException ex)
        {
            throw new CelSyntaxException(call.Offset, $"invalid regular expression '{pattern}': {ex.Message}");
        }
        var e = text.Eval;
        return new Compiled(a => e(a) is var s && s.Kind == CelKind.String ? CelValue.Bool(regex.IsMatch(s.AsString))
            : s.IsError ? s : CelValue.NoSuchOverload("matches"), CelStaticType.Bool, text.Cost + 10);
    }

    private static CelValue Matches(CelValue text, CelValue pattern)
    {
        if (text.Kind != CelKind.String || pattern.Kind != CelKind.String)
        {
            return text.IsError ? text : pattern.IsError ? pattern : CelValue.NoSuchOverload("matches");
        }
        if (DynamicPatterns.Count > 256)
        {
            DynamicPatterns.Clear();
        }
        var regex = DynamicPatterns.GetOrAdd(pattern.AsString, static p =>
        {
            try
            {
                return new Regex(FromRe2(p), RegexOptions.CultureInvariant, RegexTimeout);
            }
            catch (ArgumentException)
            {
                return null;
            }
        });
        return regex is null ? CelValue.Error($"invalid regular expression '{pattern.AsString}'") : CelValue.Bool(regex.IsMatch(text.AsString));
    }

    /// <summary>RE2 syntax .NET spells differently: named groups <c>(?P&lt;name&gt;…)</c>.</summary>
    private static string FromRe2(string pattern) => pattern.Replace("(?P<", "(?<", StringComparison.Ordinal);
}
